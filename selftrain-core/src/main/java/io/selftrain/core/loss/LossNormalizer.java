package io.selftrain.core.loss;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * The state of one training run's {@link LossNormalization}: it sees the detached per-source losses
 * of each step and returns the weights {@code (w_h, w_p)} of {@code L = w_h L_h + w_p L_p}. Keeping
 * the arithmetic here, apart from any tensor, makes it testable with hand-computed values.
 */
public final class LossNormalizer {
  private static final double EPSILON = 1e-8;

  private final LossNormalization setting;
  private double humanAverage;
  private double pseudoAverage;
  private long humanSteps;
  private long pseudoSteps;

  private LossNormalizer(LossNormalization setting) {
    this.setting = setting;
  }

  /**
   * A fresh normalizer (empty moving averages).
   *
   * @param setting the rule
   * @return the normalizer
   */
  public static LossNormalizer of(LossNormalization setting) {
    return new LossNormalizer(checkNotNull(setting, "setting"));
  }

  /** Weights of one step. @param human weight of L_h @param pseudo weight of L_p */
  public record Weights(double human, double pseudo) {}

  /**
   * Updates the moving averages with this step's detached losses and returns the weights.
   *
   * @param humanLoss mean loss on the step's human examples (finite, non-negative)
   * @param humanCount human examples in the step, at least 1
   * @param pseudoLoss mean loss on the step's pseudo examples (ignored when pseudoCount is 0)
   * @param pseudoCount pseudo examples in the step
   * @return the weights
   */
  public Weights step(double humanLoss, int humanCount, double pseudoLoss, int pseudoCount) {
    checkArgument(humanCount >= 1, "humanCount must be at least 1: %s", humanCount);
    checkArgument(pseudoCount >= 0, "pseudoCount must be non-negative: %s", pseudoCount);
    double m = setting.momentum();
    humanAverage = m * humanAverage + (1 - m) * humanLoss;
    humanSteps++;
    if (pseudoCount == 0) {
      return new Weights(1.0, 0.0);
    }
    pseudoAverage = m * pseudoAverage + (1 - m) * pseudoLoss;
    pseudoSteps++;
    double alpha = setting.alpha();
    switch (setting.mode()) {
      case SUM:
        return new Weights(1.0, alpha);
      case BATCH_RATIO:
        return new Weights(1.0, (double) pseudoCount / humanCount);
      default:
        double ratio = humanAverage() / Math.max(pseudoAverage(), EPSILON);
        return new Weights(1.0 / (1 + alpha), alpha * ratio / (1 + alpha));
    }
  }

  /**
   * @return the bias-corrected moving average of the human loss (0 before the first step)
   */
  public double humanAverage() {
    return humanSteps == 0 ? 0 : humanAverage / (1 - Math.pow(setting.momentum(), humanSteps));
  }

  /**
   * @return the bias-corrected moving average of the pseudo loss (0 before the first step with
   *     pseudo examples)
   */
  public double pseudoAverage() {
    return pseudoSteps == 0 ? 0 : pseudoAverage / (1 - Math.pow(setting.momentum(), pseudoSteps));
  }
}
