package io.selftrain.core.label;

import static com.google.common.base.Preconditions.checkState;

import java.util.Locale;
import org.immutables.value.Value;

/**
 * How a teacher's per-pixel probabilities become pseudo masks (Zoph et al. 2020, Sec. 3:
 * segmentation pseudo labels keep the pixels whose top class probability reaches a hard threshold
 * of 0.5; the others are ignored by the student's loss, label 255). An image whose labeled fraction
 * stays below {@link #minLabeledFraction()} is dropped (default 0: every image is kept, however few
 * of its pixels are labeled). With {@link #classBalance()} above 0, a class the teacher is rarely
 * sure of keeps at least that fraction of the pixels the teacher assigns to it: its threshold is
 * lowered to the confidence that keeps that fraction (class-balanced self-training, Zou et al.
 * 2018; Noisy Student balances classes for the same reason), so a garment the teacher confuses is
 * not taught as background or as its neighbour by omission.
 *
 * <pre>{@code
 * MaskPseudoLabelConfig rules = MaskPseudoLabelConfig.paper().withMinLabeledFraction(0.5);
 * }</pre>
 */
@Value.Immutable
public interface MaskPseudoLabelConfig {
  /**
   * @return the lowest top class probability of a labeled pixel, in (0, 1]; default 0.5
   */
  @Value.Default
  default double threshold() {
    return 0.5;
  }

  /**
   * @return the smallest fraction of an image's pixels that must be labeled to keep it, in [0, 1];
   *     default 0
   */
  @Value.Default
  default double minLabeledFraction() {
    return 0;
  }

  /**
   * @return the smallest fraction of each class's predicted pixels kept, lowering that class's
   *     threshold below {@link #threshold()} where needed, in [0, 1); default 0 (off: one threshold
   *     for every class, as in the paper)
   */
  @Value.Default
  default double classBalance() {
    return 0;
  }

  /** Checks ranges; messages name the setting and the bad value. */
  @Value.Check
  default void check() {
    checkState(threshold() > 0 && threshold() <= 1, "threshold must be in (0, 1]: %s", threshold());
    checkState(
        minLabeledFraction() >= 0 && minLabeledFraction() <= 1,
        "minLabeledFraction must be in [0, 1]: %s",
        minLabeledFraction());
    checkState(
        classBalance() >= 0 && classBalance() < 1,
        "classBalance must be in [0, 1): %s",
        classBalance());
  }

  /**
   * @return a short description, entering the pseudo-label stage's digest
   */
  default String describe() {
    return String.format(
        Locale.ROOT,
        "masks(p>=%.3f%s%s)",
        threshold(),
        minLabeledFraction() > 0
            ? String.format(Locale.ROOT, ", labeled>=%.3f", minLabeledFraction())
            : "",
        classBalance() > 0
            ? String.format(Locale.ROOT, ", class-balanced>=%.3f", classBalance())
            : "");
  }

  /**
   * @return the paper's rule: pixels at probability 0.5 or more, every image kept
   */
  static MaskPseudoLabelConfig paper() {
    return ImmutableMaskPseudoLabelConfig.builder().build();
  }

  /**
   * @param value the lowest top class probability of a labeled pixel, in (0, 1]
   * @return a copy with that threshold
   */
  MaskPseudoLabelConfig withThreshold(double value);

  /**
   * @param value the smallest labeled fraction of a kept image, in [0, 1]
   * @return a copy with that rule
   */
  MaskPseudoLabelConfig withMinLabeledFraction(double value);

  /**
   * @param value the smallest fraction of each class's predicted pixels kept, in [0, 1); 0 = off
   * @return a copy with that rule
   */
  MaskPseudoLabelConfig withClassBalance(double value);
}
