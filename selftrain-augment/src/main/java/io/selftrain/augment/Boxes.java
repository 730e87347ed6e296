package io.selftrain.augment;

/**
 * Box geometry for the work state: corner-wise mapping through an affine map, and the scale-jitter
 * resize-and-crop. Results are clipped to the image and boxes with no area left are removed (TF
 * {@code get_non_empty_box_indices}).
 */
final class Boxes {
  private Boxes() {}

  /**
   * Maps every box's four corners with {@code forward}, encloses them, clips, and drops empty
   * boxes.
   */
  static void transform(Work work, Affine forward) {
    if (work.boxes == null || work.boxCount == 0) {
      return;
    }
    float[] b = work.boxes;
    boolean[] keep = new boolean[work.boxCount];
    for (int i = 0; i < work.boxCount; i++) {
      double x1 = b[4 * i];
      double y1 = b[4 * i + 1];
      double x2 = b[4 * i + 2];
      double y2 = b[4 * i + 3];
      double[] us = {forward.u(x1, y1), forward.u(x2, y1), forward.u(x1, y2), forward.u(x2, y2)};
      double[] vs = {forward.v(x1, y1), forward.v(x2, y1), forward.v(x1, y2), forward.v(x2, y2)};
      double minU = Math.min(Math.min(us[0], us[1]), Math.min(us[2], us[3]));
      double maxU = Math.max(Math.max(us[0], us[1]), Math.max(us[2], us[3]));
      double minV = Math.min(Math.min(vs[0], vs[1]), Math.min(vs[2], vs[3]));
      double maxV = Math.max(Math.max(vs[0], vs[1]), Math.max(vs[2], vs[3]));
      keep[i] = store(b, i, minU, minV, maxU, maxV, work.width, work.height);
    }
    work.keepBoxes(keep);
  }

  /**
   * Scale jitter on boxes: mirror, scale by scaled/input size, subtract the offset, clip, drop
   * empty.
   */
  static void resizeCrop(Work work, ResizeCrop p, int inputHeight, int inputWidth) {
    if (work.boxes == null || work.boxCount == 0) {
      return;
    }
    double sx = (double) p.scaledWidth() / inputWidth;
    double sy = (double) p.scaledHeight() / inputHeight;
    float[] b = work.boxes;
    boolean[] keep = new boolean[work.boxCount];
    for (int i = 0; i < work.boxCount; i++) {
      double x1 = b[4 * i];
      double x2 = b[4 * i + 2];
      if (p.flip()) {
        double t = inputWidth - x2;
        x2 = inputWidth - x1;
        x1 = t;
      }
      keep[i] =
          store(
              b,
              i,
              x1 * sx - p.offsetX(),
              b[4 * i + 1] * sy - p.offsetY(),
              x2 * sx - p.offsetX(),
              b[4 * i + 3] * sy - p.offsetY(),
              p.outputWidth(),
              p.outputHeight());
    }
    work.keepBoxes(keep);
  }

  private static boolean store(
      float[] b, int i, double x1, double y1, double x2, double y2, int width, int height) {
    float cx1 = (float) Math.max(0, Math.min(width, x1));
    float cy1 = (float) Math.max(0, Math.min(height, y1));
    float cx2 = (float) Math.max(0, Math.min(width, x2));
    float cy2 = (float) Math.max(0, Math.min(height, y2));
    b[4 * i] = cx1;
    b[4 * i + 1] = cy1;
    b[4 * i + 2] = cx2;
    b[4 * i + 3] = cy2;
    return cx1 < cx2 && cy1 < cy2;
  }
}
