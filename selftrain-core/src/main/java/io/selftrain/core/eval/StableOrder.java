package io.selftrain.core.eval;

/**
 * Orders indices by descending key, keeping equal keys in index order: what pycocotools gets from
 * {@code numpy.argsort(-scores, kind='mergesort')}. Keys compare as numbers, so {@code -0.0} equals
 * {@code 0.0}, as in numpy.
 */
final class StableOrder {
  /** Runs this short are sorted by insertion. */
  private static final int RUN = 16;

  private StableOrder() {}

  /**
   * @return the indices {@code 0 .. keys.length - 1}, highest key first, ties in index order
   */
  static int[] descending(double[] keys) {
    int n = keys.length;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int lo = 0; lo < n; lo += RUN) {
      insertion(keys, order, lo, Math.min(lo + RUN, n));
    }
    int[] buffer = new int[n];
    for (int width = RUN; width < n; width *= 2) {
      for (int lo = 0; lo < n - width; lo += 2 * width) {
        merge(keys, order, buffer, lo, lo + width, Math.min(lo + 2 * width, n));
      }
    }
    return order;
  }

  private static void insertion(double[] keys, int[] order, int from, int to) {
    for (int i = from + 1; i < to; i++) {
      int index = order[i];
      double key = keys[index];
      int j = i - 1;
      while (j >= from && keys[order[j]] < key) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = index;
    }
  }

  /** Merges the sorted runs {@code [lo, mid)} and {@code [mid, hi)}; the left one wins ties. */
  private static void merge(double[] keys, int[] order, int[] buffer, int lo, int mid, int hi) {
    if (!(keys[order[mid]] > keys[order[mid - 1]])) {
      return; // already in order
    }
    System.arraycopy(order, lo, buffer, lo, hi - lo);
    int left = lo;
    int right = mid;
    for (int k = lo; k < hi; k++) {
      if (left < mid && (right >= hi || !(keys[buffer[right]] > keys[buffer[left]]))) {
        order[k] = buffer[left++];
      } else {
        order[k] = buffer[right++];
      }
    }
  }
}
