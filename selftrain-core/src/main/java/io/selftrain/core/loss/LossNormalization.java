package io.selftrain.core.loss;

import static com.google.common.base.Preconditions.checkState;

import org.immutables.value.Value;

/**
 * How the loss on human labels {@code L_h} and the loss on pseudo labels {@code L_p} of one step
 * combine.
 *
 * <ul>
 *   <li>{@link Mode#PAPER} (default): {@code L = 1/(1+alpha) * (L_h + alpha * (avg(L_h) / avg(L_p))
 *       * L_p)}, where the averages are exponential moving averages of the detached losses (Zoph et
 *       al. 2020, "Rethinking Pre-training and Self-training", Appendix "loss normalization"). The
 *       paper does not state the decay; NOTE: momentum 0.99 with Adam-style bias correction is this
 *       SDK's choice, so the ratio is defined from the first step. A step without pseudo examples
 *       uses {@code L_h} alone and leaves {@code avg(L_p)} untouched.
 *   <li>{@link Mode#SUM}: {@code L = L_h + alpha * L_p}.
 *   <li>{@link Mode#BATCH_RATIO}: {@code L = L_h + (n_p / n_h) * L_p}, Noisy Student's weighting by
 *       the unlabeled-to-labeled batch ratio (Xie et al. 2020; {@code main.py} of
 *       google-research/noisystudent).
 * </ul>
 *
 * <pre>{@code
 * LossNormalization.paper(1.0)      // the paper's rule with alpha = 1
 * LossNormalization.sum(1.0)        // plain sum
 * LossNormalization.batchRatio()    // Noisy Student
 * }</pre>
 */
@Value.Immutable
public interface LossNormalization {
  /** The combination rule. */
  enum Mode {
    /** Moving-average ratio of Zoph et al. 2020. */
    PAPER,
    /** Plain weighted sum. */
    SUM,
    /** Weight by the pseudo-to-human batch size ratio (Noisy Student). */
    BATCH_RATIO
  }

  /**
   * @return the rule
   */
  Mode mode();

  /**
   * @return the weight of the pseudo-label loss (PAPER and SUM), positive
   */
  @Value.Default
  default double alpha() {
    return 1.0;
  }

  /**
   * @return the decay of the moving averages (PAPER), in [0, 1)
   */
  @Value.Default
  default double momentum() {
    return 0.99;
  }

  /** Checks ranges. */
  @Value.Check
  default void check() {
    checkState(alpha() > 0 && Double.isFinite(alpha()), "alpha must be positive: %s", alpha());
    checkState(momentum() >= 0 && momentum() < 1, "momentum must be in [0, 1): %s", momentum());
  }

  /**
   * @return a short description such as {@code "paper(alpha=1.0)"}
   */
  default String describe() {
    switch (mode()) {
      case PAPER:
        return "paper(alpha=" + alpha() + ", momentum=" + momentum() + ")";
      case SUM:
        return "sum(alpha=" + alpha() + ")";
      default:
        return "batch-ratio";
    }
  }

  /**
   * The paper's rule.
   *
   * @param alpha weight of the pseudo-label loss, positive
   * @return the setting
   */
  static LossNormalization paper(double alpha) {
    return ImmutableLossNormalization.builder().mode(Mode.PAPER).alpha(alpha).build();
  }

  /**
   * The plain sum {@code L_h + alpha L_p}.
   *
   * @param alpha weight of the pseudo-label loss, positive
   * @return the setting
   */
  static LossNormalization sum(double alpha) {
    return ImmutableLossNormalization.builder().mode(Mode.SUM).alpha(alpha).build();
  }

  /**
   * @return Noisy Student's batch-ratio weighting
   */
  static LossNormalization batchRatio() {
    return ImmutableLossNormalization.builder().mode(Mode.BATCH_RATIO).build();
  }

  /**
   * Parses {@code paper}, {@code paper:2.0}, {@code sum}, {@code sum:0.5} or {@code batch-ratio}.
   *
   * @param spec the text
   * @return the setting
   * @throws IllegalArgumentException for an unknown rule or a bad alpha
   */
  static LossNormalization parse(String spec) {
    String[] parts = spec.trim().split(":", 2);
    double alpha = 1.0;
    if (parts.length == 2) {
      try {
        alpha = Double.parseDouble(parts[1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("lossNormalization alpha must be a number: " + spec, e);
      }
      if (!(alpha > 0)) {
        throw new IllegalArgumentException("lossNormalization alpha must be positive: " + spec);
      }
    }
    switch (parts[0]) {
      case "paper":
        return paper(alpha);
      case "sum":
        return sum(alpha);
      case "batch-ratio":
        return batchRatio();
      default:
        throw new IllegalArgumentException(
            "lossNormalization must be one of [paper, sum, batch-ratio] (optionally :alpha): "
                + spec);
    }
  }
}
