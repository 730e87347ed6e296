package io.selftrain.models.detection;

import static com.google.common.base.Preconditions.checkState;

import java.util.List;
import org.immutables.value.Value;

/**
 * Anchor layout of RetinaNet: on pyramid level {@code l} (stride {@code 2^l}) every location holds
 * {@code numScales * aspectRatios().size()} anchors with base size {@code anchorSize * 2^l *
 * 2^(s/numScales)} for {@code s = 0 .. numScales-1} (TF detection {@code anchor.py}; Lin et al.
 * 2017, Sec. 4: 3 scales x 3 ratios, areas 32^2 to 512^2 on P3 to P7).
 */
@Value.Immutable
public interface AnchorConfig {
  /**
   * @return finest pyramid level (stride {@code 2^minLevel})
   */
  @Value.Default
  default int minLevel() {
    return 3;
  }

  /**
   * @return coarsest pyramid level
   */
  @Value.Default
  default int maxLevel() {
    return 7;
  }

  /**
   * @return scales per octave
   */
  @Value.Default
  default int numScales() {
    return 3;
  }

  /**
   * @return aspect ratios width / height, in the TF order 1, 2, 0.5
   */
  @Value.Default
  default List<Double> aspectRatios() {
    return List.of(1.0, 2.0, 0.5);
  }

  /**
   * @return base anchor size in strides (4: 32 px on P3)
   */
  @Value.Default
  default double anchorSize() {
    return 4.0;
  }

  /**
   * @return anchors per location
   */
  @Value.Derived
  default int anchorsPerLocation() {
    return numScales() * aspectRatios().size();
  }

  /** Checks ranges. */
  @Value.Check
  default void check() {
    checkState(minLevel() >= 1, "minLevel must be positive: %s", minLevel());
    checkState(
        maxLevel() >= minLevel(),
        "maxLevel must be at least minLevel %s: %s",
        minLevel(),
        maxLevel());
    checkState(numScales() >= 1, "numScales must be positive: %s", numScales());
    checkState(!aspectRatios().isEmpty(), "aspectRatios must not be empty: %s", aspectRatios());
    for (double ratio : aspectRatios()) {
      checkState(ratio > 0, "aspectRatios must be positive: %s", aspectRatios());
    }
    checkState(anchorSize() > 0, "anchorSize must be positive: %s", anchorSize());
  }

  /**
   * @return the RetinaNet defaults: P3 to P7, 3 scales, ratios 1, 2, 0.5, anchor size 4
   */
  static AnchorConfig retinaNet() {
    return builder().build();
  }

  /**
   * @return a builder with the RetinaNet defaults
   */
  static ImmutableAnchorConfig.Builder builder() {
    return ImmutableAnchorConfig.builder();
  }
}
