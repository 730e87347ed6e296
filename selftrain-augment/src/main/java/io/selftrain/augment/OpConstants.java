package io.selftrain.augment;

import static com.google.common.base.Preconditions.checkState;

import org.immutables.value.Value;

/**
 * The hyper-parameters that scale levels into pixels in the TF level-to-argument tables
 * (reference/paper-spec.md Sec. 4.3-4.4). Three presets: {@link #randAugment()} (cutout 40,
 * translate 100), {@link #imageNet()} (AutoAugment ImageNet: cutout 100, translate 250) and {@link
 * #detection()} (AutoAugment detection: also translate-bbox 120, cutout-bbox 50, max pad fraction
 * 0.75). Exposed and cut-out pixels always take TF's grey 128.
 */
@Value.Immutable
public interface OpConstants {
  /**
   * @return pixels of Translate at level 10
   */
  @Value.Default
  default double translateConst() {
    return 250;
  }

  /**
   * @return half-side of the Cutout square at level 10
   */
  @Value.Default
  default double cutoutConst() {
    return 100;
  }

  /**
   * @return pixels of TranslateX/Y_Only_BBoxes at level 10
   */
  @Value.Default
  default double translateBboxConst() {
    return 120;
  }

  /**
   * @return half-side of Cutout_Only_BBoxes at level 10
   */
  @Value.Default
  default double cutoutBboxConst() {
    return 50;
  }

  /**
   * @return BBox_Cutout pad fraction at level 10
   */
  @Value.Default
  default double cutoutMaxPadFraction() {
    return 0.75;
  }

  /** Checks ranges. */
  @Value.Check
  default void check() {
    checkState(translateConst() >= 0, "translateConst must be non-negative: %s", translateConst());
    checkState(cutoutConst() >= 0, "cutoutConst must be non-negative: %s", cutoutConst());
    checkState(
        translateBboxConst() >= 0,
        "translateBboxConst must be non-negative: %s",
        translateBboxConst());
    checkState(
        cutoutBboxConst() >= 0, "cutoutBboxConst must be non-negative: %s", cutoutBboxConst());
    checkState(
        cutoutMaxPadFraction() >= 0 && cutoutMaxPadFraction() <= 1,
        "cutoutMaxPadFraction must be in [0, 1]: %s",
        cutoutMaxPadFraction());
  }

  /**
   * @return a builder starting from the detection defaults
   */
  static ImmutableOpConstants.Builder builder() {
    return ImmutableOpConstants.builder();
  }

  /**
   * @return RandAugment's constants (TF {@code distort_image_with_randaugment}: cutout 40,
   *     translate 100)
   */
  static OpConstants randAugment() {
    return builder().cutoutConst(40).translateConst(100).build();
  }

  /**
   * @return AutoAugment ImageNet constants (TF efficientnet {@code autoaugment.py}: cutout 100,
   *     translate 250)
   */
  static OpConstants imageNet() {
    return builder().build();
  }

  /**
   * @return AutoAugment detection constants (TF detection {@code autoaugment_utils.py}: cutout 100,
   *     translate 250, translate-bbox 120, cutout-bbox 50, max pad fraction 0.75)
   */
  static OpConstants detection() {
    return builder().build();
  }

  /**
   * The same constants for images {@code factor} times the side they were written for: the pixel
   * constants (translate, cutout, translate-bbox, cutout-bbox) scale, the pad fraction does not.
   *
   * @param factor positive
   * @return the scaled constants
   * @throws IllegalArgumentException if factor is not positive and finite
   */
  default OpConstants scaledBy(double factor) {
    com.google.common.base.Preconditions.checkArgument(
        factor > 0 && Double.isFinite(factor), "factor must be positive: %s", factor);
    return builder()
        .translateConst(translateConst() * factor)
        .cutoutConst(cutoutConst() * factor)
        .translateBboxConst(translateBboxConst() * factor)
        .cutoutBboxConst(cutoutBboxConst() * factor)
        .cutoutMaxPadFraction(cutoutMaxPadFraction())
        .build();
  }

  /**
   * @return the constants in pixels, such as {@code "translate=100.0px cutout=40.0px
   *     bbox-translate=120.0px bbox-cutout=50.0px"}
   */
  default String describe() {
    return String.format(
        java.util.Locale.ROOT,
        "translate=%.1fpx cutout=%.1fpx bbox-translate=%.1fpx bbox-cutout=%.1fpx",
        translateConst(),
        cutoutConst(),
        translateBboxConst(),
        cutoutBboxConst());
  }
}
