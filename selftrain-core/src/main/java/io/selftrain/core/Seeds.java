package io.selftrain.core;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;

/**
 * Splits a run's one seed into independent, reproducible seeds per purpose (round, stage, epoch, example),
 * so a stage re-run alone draws exactly what it drew inside the whole run.
 */
final class Seeds {
  private Seeds() {}

  /** A seed for a named purpose. */
  static long derive(long seed, String purpose) {
    return Hashing.murmur3_128().newHasher().putLong(seed).putString(purpose, StandardCharsets.UTF_8).hash().asLong();
  }

  /** A seed for numbered draws inside a purpose (SplitMix64 finaliser over the combined value). */
  static long mix(long seed, long a, long b) {
    long z = seed + 0x9E3779B97F4A7C15L * (a + 1) + 0xBF58476D1CE4E5B9L * (b + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
