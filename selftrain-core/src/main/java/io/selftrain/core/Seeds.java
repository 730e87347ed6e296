package io.selftrain.core;

import com.google.common.hash.Hashing;
import io.selftrain.internal.SeedMix;
import java.nio.charset.StandardCharsets;

/**
 * Splits a run's one seed into independent, reproducible seeds per purpose (round, stage, epoch,
 * example), so a stage re-run alone draws exactly what it drew inside the whole run.
 */
final class Seeds {
  private Seeds() {}

  /** A seed for a named purpose. */
  static long derive(long seed, String purpose) {
    return Hashing.murmur3_128()
        .newHasher()
        .putLong(seed)
        .putString(purpose, StandardCharsets.UTF_8)
        .hash()
        .asLong();
  }

  /** A seed for numbered draws inside a purpose ({@link SeedMix#mix}). */
  static long mix(long seed, long a, long b) {
    return SeedMix.mix(seed, a, b);
  }
}
