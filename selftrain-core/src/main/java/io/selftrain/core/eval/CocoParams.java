package io.selftrain.core.eval;

/**
 * The default parameters of pycocotools' {@code COCOeval} for boxes ({@code Params.setDetParams}),
 * with the thresholds computed as {@code numpy.linspace} computes them, so that they are the same
 * doubles.
 */
final class CocoParams {
  private CocoParams() {}

  /**
   * {@code linspace(0.5, 0.95, 10)}: {@code i * (0.45 / 9) + 0.5}, the last exactly 0.95; the 9th
   * is 0.8999999999999999, not 0.9.
   */
  static final double[] IOU_THRESHOLDS = linspace(0.5, 0.95, 10);

  /** {@code linspace(0, 1, 101)}: i * 0.01, the last one exactly 1. */
  static final double[] RECALL_THRESHOLDS = linspace(0.0, 1.0, 101);

  /**
   * The most detections per image and category that count, ascending; the last one bounds matching.
   */
  static final int[] MAX_DETECTIONS = {1, 10, 100};

  /** Object area ranges, both ends included: all, small, medium, large. */
  static final double[][] AREA_RANGES = {
    {0, 1e5 * 1e5}, {0, 32 * 32}, {32 * 32, 96 * 96}, {96 * 96, 1e5 * 1e5},
  };

  static final int ALL = 0;
  static final int SMALL = 1;
  static final int MEDIUM = 2;
  static final int LARGE = 3;

  /**
   * Matching starts from {@code min(threshold, 1 - 1e-10)}, so IoU 1 can match at any threshold.
   */
  static final double MAX_START_IOU = 1 - 1e-10;

  /** {@code numpy.spacing(1)}: keeps precision defined before the first counted detection. */
  static final double EPS = Math.ulp(1.0);

  /**
   * numpy's linspace with its endpoint: {@code start + i * step}, then the last one set to {@code
   * stop}.
   */
  private static double[] linspace(double start, double stop, int num) {
    double step = (stop - start) / (num - 1);
    double[] values = new double[num];
    for (int i = 0; i < num; i++) {
      values[i] = i * step + start;
    }
    values[num - 1] = stop;
    return values;
  }
}
