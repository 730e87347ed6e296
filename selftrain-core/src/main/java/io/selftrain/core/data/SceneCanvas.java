package io.selftrain.core.data;

import io.selftrain.BoxesTarget;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A scene being painted: the pixels and, per pixel, which placed item is visible there (-1 for
 * background). Items are painted in placement order and each one's foreground overwrites whatever
 * is below it, so the pixels, the mask and the boxes all come from the same ownership map and
 * cannot disagree.
 */
final class SceneCanvas {
  private static final int BACKGROUND = -1;

  private final int height;
  private final int width;
  private final int channels;
  private final byte[] pixels;
  private final int[] owner;
  private final List<Integer> labels = new ArrayList<>();

  /**
   * A canvas over the given background pixels ({@code height * width * channels} bytes, not
   * copied).
   */
  SceneCanvas(int height, int width, int channels, byte[] background) {
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.pixels = background;
    this.owner = new int[height * width];
    Arrays.fill(owner, BACKGROUND);
  }

  /**
   * Paints an item's foreground with its top-left corner at {@code (top, left)}; the item must fit.
   * On a grey canvas a pixel keeps its value v; on an RGB canvas channel k becomes {@code ceil(v *
   * colour[k] / 255)}, which stays above 0 for every foreground pixel because colours are at least
   * 128.
   *
   * @param colour three channel values in [128, 255], or null on a grey canvas
   */
  void paint(ScaledItem item, int top, int left, int[] colour) {
    int id = labels.size();
    labels.add(item.label());
    for (int y = item.y1(); y < item.y2(); y++) {
      for (int x = item.x1(); x < item.x2(); x++) {
        if (!item.foreground(y, x)) {
          continue;
        }
        int p = (top + y) * width + left + x;
        owner[p] = id;
        int v = item.value(y, x);
        if (channels == 1) {
          pixels[p] = (byte) v;
        } else {
          for (int k = 0; k < 3; k++) {
            pixels[3 * p + k] = (byte) ((v * colour[k] + 254) / 255);
          }
        }
      }
    }
  }

  /**
   * The finished scene: one box per item that still owns a pixel (the tight box of its visible
   * pixels), items hidden entirely by later ones dropped; the mask holds {@code label + 1} where an
   * item is visible.
   */
  Scene toScene(int index) {
    int items = labels.size();
    int[] x1 = new int[items];
    int[] y1 = new int[items];
    int[] x2 = new int[items];
    int[] y2 = new int[items];
    int[] area = new int[items];
    Arrays.fill(x1, width);
    Arrays.fill(y1, height);
    byte[] mask = new byte[height * width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int id = owner[y * width + x];
        if (id == BACKGROUND) {
          continue;
        }
        mask[y * width + x] = (byte) (labels.get(id) + 1);
        area[id]++;
        x1[id] = Math.min(x1[id], x);
        y1[id] = Math.min(y1[id], y);
        x2[id] = Math.max(x2[id], x + 1);
        y2[id] = Math.max(y2[id], y + 1);
      }
    }
    int visible = 0;
    for (int a : area) {
      visible += a > 0 ? 1 : 0;
    }
    float[] boxes = new float[4 * visible];
    int[] classes = new int[visible];
    int[] areas = new int[visible];
    int k = 0;
    for (int id = 0; id < items; id++) {
      if (area[id] == 0) {
        continue;
      }
      boxes[4 * k] = x1[id];
      boxes[4 * k + 1] = y1[id];
      boxes[4 * k + 2] = x2[id];
      boxes[4 * k + 3] = y2[id];
      classes[k] = labels.get(id);
      areas[k] = area[id];
      k++;
    }
    return new Scene(
        index,
        Image.of(height, width, channels, pixels),
        BoxesTarget.of(boxes, classes),
        MaskTarget.of(height, width, mask),
        areas);
  }
}
