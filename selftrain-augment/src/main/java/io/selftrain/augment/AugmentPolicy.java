package io.selftrain.augment;

/**
 * The four augmentation strengths of Zoph et al. 2020, "Rethinking Pre-training and Self-training"
 * (arXiv:2006.06882, Sec. 3.1; reference/paper-spec.md Sec. 4.1), from weakest to strongest. Build
 * one with {@link Augmenters#policy(AugmentPolicy, Task, int, int)}.
 */
public enum AugmentPolicy {
  /**
   * Augment-S1: horizontal flip + scale jitter (0.8, 1.2) + crop (the standard RetinaNet
   * "FlipCrop").
   */
  S1(false, false, 0.8, 1.2),
  /** Augment-S2: AutoAugment (the task's table) + S1. */
  S2(true, false, 0.8, 1.2),
  /** Augment-S3: AutoAugment + flip + large scale jitter (0.5, 2.0) + crop. */
  S3(true, false, 0.5, 2.0),
  /** Augment-S4: RandAugment (N = 2, M = 10) + flip + large scale jitter (0.5, 2.0) + crop. */
  S4(false, true, 0.5, 2.0);

  private final boolean autoAugment;
  private final boolean randAugment;
  private final double minScale;
  private final double maxScale;

  AugmentPolicy(boolean autoAugment, boolean randAugment, double minScale, double maxScale) {
    this.autoAugment = autoAugment;
    this.randAugment = randAugment;
    this.minScale = minScale;
    this.maxScale = maxScale;
  }

  /**
   * @return whether the policy starts with AutoAugment
   */
  public boolean usesAutoAugment() {
    return autoAugment;
  }

  /**
   * @return whether the policy starts with RandAugment
   */
  public boolean usesRandAugment() {
    return randAugment;
  }

  /**
   * @return the smallest scale-jitter factor
   */
  public double minScale() {
    return minScale;
  }

  /**
   * @return the largest scale-jitter factor
   */
  public double maxScale() {
    return maxScale;
  }
}
