package io.selftrain.core;

import ai.djl.training.tracker.Tracker;

/** Linear warm-up from 0 to the peak, then cosine decay to 1% of the peak at the last step. */
final class WarmupCosine implements Tracker {
  private final float peak;
  private final int warmupSteps;
  private final int totalSteps;

  WarmupCosine(float peak, int warmupSteps, int totalSteps) {
    this.peak = peak;
    this.warmupSteps = warmupSteps;
    this.totalSteps = Math.max(totalSteps, 1);
  }

  @Override
  public float getNewValue(int numUpdate) {
    if (numUpdate < warmupSteps) {
      return peak * (numUpdate + 1) / warmupSteps;
    }
    double progress =
        Math.min(1.0, (double) (numUpdate - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
    double floor = 0.01 * peak;
    return (float) (floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }
}
