package io.selftrain.internal;

import java.util.SplittableRandom;

/** Seeded random orders shared by the modules (not API). */
public final class RandomOrder {
  private RandomOrder() {}

  /**
   * A uniformly random permutation of {@code 0..n-1} (Fisher-Yates, drawing from the end).
   *
   * @param n the size
   * @param rng the generator
   * @return the permutation
   */
  public static int[] permutation(int n, SplittableRandom rng) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
