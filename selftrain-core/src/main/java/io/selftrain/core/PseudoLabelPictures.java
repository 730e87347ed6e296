package io.selftrain.core;

import io.selftrain.BoxesTarget;
import io.selftrain.ClassTarget;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.PseudoLabel;
import io.selftrain.Target;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Pool images with their pseudo labels drawn, for the report ({@link RunReport}): a class index and
 * its confidence in the caption; boxes outlined in their class's colour; masks tinted by class over
 * the image, ignored pixels (255) greyed. Images are enlarged to about 128 pixels, nearest.
 */
final class PseudoLabelPictures {
  /** About how large a picture is drawn, in pixels. */
  static final int SIDE = 128;

  /** Colours per class index, repeating (Tableau 10). */
  private static final Color[] PALETTE = {
    new Color(0x4e79a7), new Color(0xf28e2b), new Color(0xe15759), new Color(0x76b7b2),
    new Color(0x59a14f), new Color(0xedc948), new Color(0xb07aa1), new Color(0xff9da7),
    new Color(0x9c755f), new Color(0xbab0ac)
  };

  private PseudoLabelPictures() {}

  /**
   * The first {@code count} pseudo labels of a round, drawn.
   *
   * @param round the round the labels belong to
   * @param labels the round's pseudo labels, in pool order
   * @param pool the unlabeled images the labels index
   */
  static <T extends Target> List<RunReport.Picture> of(
      int round, List<PseudoLabel<T>> labels, List<Image> pool, int count) {
    List<RunReport.Picture> pictures = new ArrayList<>();
    for (PseudoLabel<T> label : labels.subList(0, Math.min(count, labels.size()))) {
      Image image = pool.get(label.poolIndex());
      pictures.add(
          new RunReport.Picture(
              String.format(
                  Locale.ROOT,
                  "round %d, pool image %d: %s, confidence %.2f",
                  round,
                  label.poolIndex(),
                  describe(label.target()),
                  label.confidence()),
              ReportCharts.dataUri(draw(image, label.target()))));
    }
    return pictures;
  }

  static String describe(Target target) {
    if (target instanceof ClassTarget t) {
      return "class " + t.classIndex();
    }
    if (target instanceof BoxesTarget t) {
      return t.size() + (t.size() == 1 ? " box" : " boxes");
    }
    if (target instanceof MaskTarget t) {
      long labeled = 0;
      for (byte b : t.classes()) {
        labeled += (b & 0xFF) == MaskTarget.IGNORE ? 0 : 1;
      }
      return String.format(
          Locale.ROOT, "%.0f%% of pixels labeled", 100.0 * labeled / t.classes().length);
    }
    return target.toString();
  }

  static BufferedImage draw(Image image, Target target) {
    int scale = Math.max(1, SIDE / Math.max(image.height(), image.width()));
    BufferedImage picture =
        new BufferedImage(
            image.width() * scale, image.height() * scale, BufferedImage.TYPE_INT_RGB);
    MaskTarget mask = target instanceof MaskTarget m ? m : null;
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        int r = image.get(y, x, 0);
        int g = image.channels() == 3 ? image.get(y, x, 1) : r;
        int b = image.channels() == 3 ? image.get(y, x, 2) : r;
        int rgb = mask == null ? (r << 16) | (g << 8) | b : tint(r, g, b, mask.get(y, x));
        for (int dy = 0; dy < scale; dy++) {
          for (int dx = 0; dx < scale; dx++) {
            picture.setRGB(x * scale + dx, y * scale + dy, rgb);
          }
        }
      }
    }
    if (target instanceof BoxesTarget boxes) {
      Graphics2D g = picture.createGraphics();
      g.setStroke(new BasicStroke(2f));
      float[] xyxy = boxes.boxes();
      for (int k = 0; k < boxes.size(); k++) {
        g.setColor(PALETTE[boxes.classes()[k] % PALETTE.length]);
        int x1 = Math.round(xyxy[4 * k] * scale);
        int y1 = Math.round(xyxy[4 * k + 1] * scale);
        int x2 = Math.round(xyxy[4 * k + 2] * scale);
        int y2 = Math.round(xyxy[4 * k + 3] * scale);
        g.drawRect(x1, y1, x2 - x1, y2 - y1);
        g.drawString(Integer.toString(boxes.classes()[k]), x1 + 2, y1 + 12);
      }
      g.dispose();
    }
    return picture;
  }

  /** Half the class's colour over the pixel; background (0) as it is; ignored (255) greyed. */
  private static int tint(int r, int g, int b, int k) {
    if (k == 0) {
      return (r << 16) | (g << 8) | b;
    }
    Color c = k == MaskTarget.IGNORE ? Color.GRAY : PALETTE[k % PALETTE.length];
    return ((r + c.getRed()) / 2 << 16) | ((g + c.getGreen()) / 2 << 8) | (b + c.getBlue()) / 2;
  }
}
