package io.selftrain.internal;

/**
 * Intersection over union of xyxy boxes stored four floats per box, as {@link
 * io.selftrain.BoxesTarget} holds them.
 */
public final class BoxIou {
  private BoxIou() {}

  /**
   * The IoU of box {@code i} of {@code a} and box {@code j} of {@code b}; 0 when they do not
   * overlap.
   *
   * @param a boxes, x1 y1 x2 y2 each
   * @param i a box of {@code a}
   * @param b boxes, x1 y1 x2 y2 each
   * @param j a box of {@code b}
   * @return the IoU, in [0, 1]
   */
  public static double of(float[] a, int i, float[] b, int j) {
    double w = Math.min(a[4 * i + 2], b[4 * j + 2]) - Math.max(a[4 * i], b[4 * j]);
    double h = Math.min(a[4 * i + 3], b[4 * j + 3]) - Math.max(a[4 * i + 1], b[4 * j + 1]);
    if (w <= 0 || h <= 0) {
      return 0;
    }
    double inter = w * h;
    double areaA = (double) (a[4 * i + 2] - a[4 * i]) * (a[4 * i + 3] - a[4 * i + 1]);
    double areaB = (double) (b[4 * j + 2] - b[4 * j]) * (b[4 * j + 3] - b[4 * j + 1]);
    return inter / (areaA + areaB - inter);
  }
}
