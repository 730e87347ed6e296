package io.selftrain.augment;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * RandAugment(N, M) (Cubuk et al. 2020) as TF {@code distort_image_with_randaugment}: {@link
 * #numLayers()} times, one op chosen uniformly from {@link #ops()} is applied (always) at level
 * {@link #magnitude()}. Defaults: N = 2, M = 10 (Augment-S4, Zoph et al. 2020), the 16 TF ops,
 * cutout 40, translate 100. Geometric ops move boxes and masks, which is TF's {@code
 * build_for_detection} variant.
 */
@Value.Immutable
public interface RandAugmentConfig {
  /** The 16 ops of TF RandAugment, in TF's order. */
  List<AugmentOp> TF_OPS =
      List.of(
          AugmentOp.AUTO_CONTRAST,
          AugmentOp.EQUALIZE,
          AugmentOp.INVERT,
          AugmentOp.ROTATE,
          AugmentOp.POSTERIZE,
          AugmentOp.SOLARIZE,
          AugmentOp.COLOR,
          AugmentOp.CONTRAST,
          AugmentOp.BRIGHTNESS,
          AugmentOp.SHARPNESS,
          AugmentOp.SHEAR_X,
          AugmentOp.SHEAR_Y,
          AugmentOp.TRANSLATE_X,
          AugmentOp.TRANSLATE_Y,
          AugmentOp.CUTOUT,
          AugmentOp.SOLARIZE_ADD);

  /**
   * @return N, the number of ops applied per example
   */
  @Value.Default
  default int numLayers() {
    return 2;
  }

  /**
   * @return M, the level of every op (TF allows more than 10; Noisy Student used up to 27)
   */
  @Value.Default
  default double magnitude() {
    return 10;
  }

  /**
   * @return the ops to choose from (add {@link AugmentOp#IDENTITY} for the {@code
   *     tensorflow/models} variant)
   */
  @Value.Default
  default List<AugmentOp> ops() {
    return TF_OPS;
  }

  /**
   * @return the pixel constants
   */
  @Value.Default
  default OpConstants constants() {
    return OpConstants.randAugment();
  }

  /** Checks ranges. */
  @Value.Check
  default void check() {
    checkState(numLayers() >= 0, "numLayers must be non-negative: %s", numLayers());
    checkState(
        magnitude() >= 0 && Double.isFinite(magnitude()),
        "magnitude must be finite and non-negative: %s",
        magnitude());
    checkState(!ops().isEmpty(), "ops must not be empty: %s", ops());
  }

  /**
   * @return the spec string {@code rand-m<M>-n<N>}, which {@link #parse} reads back
   */
  default String spec() {
    double m = magnitude();
    String ms = m == Math.rint(m) ? Long.toString((long) m) : Double.toString(m);
    return "rand-m" + ms + "-n" + numLayers();
  }

  /**
   * @return a new builder (N = 2, M = 10, the 16 TF ops)
   */
  static ImmutableRandAugmentConfig.Builder builder() {
    return ImmutableRandAugmentConfig.builder();
  }

  /**
   * Reads {@code rand-m<M>-n<N>} (either part may be left out to keep its default).
   *
   * @param spec such as {@code "rand-m10-n2"}
   * @return the configuration with the default ops and constants
   * @throws IllegalArgumentException if the spec does not have that form
   */
  static RandAugmentConfig parse(String spec) {
    Matcher m =
        Pattern.compile("rand(?:-m(\\d+(?:\\.\\d+)?))?(?:-n(\\d+))?").matcher(String.valueOf(spec));
    checkArgument(m.matches(), "spec must look like rand-m10-n2: %s", spec);
    ImmutableRandAugmentConfig.Builder b = builder();
    if (m.group(1) != null) {
      b.magnitude(Double.parseDouble(m.group(1)));
    }
    if (m.group(2) != null) {
      b.numLayers(Integer.parseInt(m.group(2)));
    }
    return b.build();
  }
}
