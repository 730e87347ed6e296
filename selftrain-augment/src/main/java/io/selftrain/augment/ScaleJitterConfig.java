package io.selftrain.augment;

import static com.google.common.base.Preconditions.checkState;

import org.immutables.value.Value;

/**
 * Random horizontal flip plus scale jitter and crop to a fixed output size, as TF {@code
 * resize_and_crop_image} (reference/paper-spec.md Sec. 4.2): {@code r ~ U(minScale, maxScale)}; the
 * image is resized, aspect kept, to fit {@code round(r * output)}; a window of the output size is
 * cut at a uniform random offset; where the window runs past the resized image it is padded
 * bottom/right with grey 128 (the uint8 counterpart of TF padding the mean-normalized image with 0)
 * and masks with 255. Standard jitter is (0.8, 1.2) (Augment-S1/S2), large is (0.5, 2.0) (S3/S4;
 * Zoph et al. 2020).
 */
@Value.Immutable
public interface ScaleJitterConfig {
  /**
   * @return rows of the output
   */
  int outputHeight();

  /**
   * @return columns of the output
   */
  int outputWidth();

  /**
   * @return the smallest scale factor
   */
  @Value.Default
  default double minScale() {
    return 0.8;
  }

  /**
   * @return the largest scale factor
   */
  @Value.Default
  default double maxScale() {
    return 1.2;
  }

  /**
   * @return whether to mirror left-right with probability 1/2 first
   */
  @Value.Default
  default boolean horizontalFlip() {
    return true;
  }

  /** Checks ranges. */
  @Value.Check
  default void check() {
    checkState(outputHeight() > 0, "outputHeight must be positive: %s", outputHeight());
    checkState(outputWidth() > 0, "outputWidth must be positive: %s", outputWidth());
    checkState(minScale() > 0, "minScale must be positive: %s", minScale());
    checkState(
        maxScale() >= minScale(),
        "maxScale must be at least minScale (%s): %s",
        minScale(),
        maxScale());
  }

  /**
   * @return a new builder (range 0.8-1.2, flip on)
   */
  static ImmutableScaleJitterConfig.Builder builder() {
    return ImmutableScaleJitterConfig.builder();
  }
}
