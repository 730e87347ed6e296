package io.selftrain.core.eval;

/**
 * The mean of {@code numpy.mean} for a 1-D float64 array, summed the way numpy sums: pairwise, in
 * blocks of up to 128 values with eight running sums each. pycocotools averages precision and
 * recall values with {@code numpy.mean}, so adding in the same order gives the same last bits.
 */
final class PairwiseSum {
  private static final int BLOCK = 128;
  private static final int UNROLL = 8;

  private PairwiseSum() {}

  /**
   * @return the mean of {@code values[0 .. n)}, or -1 when {@code n} is 0 (pycocotools' "no value")
   */
  static double meanOrMinusOne(double[] values, int n) {
    return n == 0 ? -1 : sum(values, 0, n) / n;
  }

  static double sum(double[] a, int from, int n) {
    if (n < UNROLL) {
      double sum = 0.;
      for (int i = 0; i < n; i++) {
        sum += a[from + i];
      }
      return sum;
    }
    if (n <= BLOCK) {
      double[] r = new double[UNROLL];
      System.arraycopy(a, from, r, 0, UNROLL);
      int i = UNROLL;
      for (; i < n - n % UNROLL; i += UNROLL) {
        for (int j = 0; j < UNROLL; j++) {
          r[j] += a[from + i + j];
        }
      }
      double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; i++) {
        sum += a[from + i];
      }
      return sum;
    }
    int half = n / 2;
    half -= half % UNROLL;
    return sum(a, from, half) + sum(a, from + half, n - half);
  }
}
