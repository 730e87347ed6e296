package io.selftrain.internal;

/**
 * Numbered seeds from one seed (not API): the generator of draw {@code (a, b)} under a seed is
 * {@code new SplittableRandom(SeedMix.mix(seed, a, b))}, the same on every thread count and in
 * every order of evaluation, so draw {@code (a, b)} can be recomputed alone.
 */
public final class SeedMix {
  private SeedMix() {}

  /**
   * The seed of draw {@code (a, b)}: the SplitMix64 finaliser over a combination of the three
   * values.
   *
   * @param seed the seed everything derives from
   * @param a the first index, such as a round, pass or scene
   * @param b the second index, such as an example or slot
   * @return the derived seed
   */
  public static long mix(long seed, long a, long b) {
    long z = seed + 0x9E3779B97F4A7C15L * (a + 1) + 0xBF58476D1CE4E5B9L * (b + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
