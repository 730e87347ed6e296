package io.selftrain.augment;

import static com.google.common.base.Preconditions.checkState;

import org.immutables.value.Value;

/**
 * Settings of the flip-and-crop augmenter for classification: pad the image by {@link #padding()}
 * pixels of {@link #fill()} on every side, take a random crop of the original size, and mirror it
 * left-right with probability 0.5 when {@link #horizontalFlip()} is set. This is the "FlipCrop"
 * part of Augment-S1 (Zoph et al. 2020, Sec. 3.1) in its classic CIFAR/MNIST form, plus optional
 * Cutout (DeVries and Taylor 2017) as extra input noise.
 */
@Value.Immutable
public interface FlipCropConfig {
  /**
   * @return pixels of padding on each side before cropping; 0 disables the crop
   */
  @Value.Default
  default int padding() {
    return 2;
  }

  /**
   * @return whether to mirror left-right with probability 0.5 (off for digits, whose shape changes
   *     meaning)
   */
  @Value.Default
  default boolean horizontalFlip() {
    return true;
  }

  /**
   * @return grey value of padded pixels (0 = the black background of MNIST-style images)
   */
  @Value.Default
  default int fill() {
    return 0;
  }

  /**
   * @return side of a square Cutout patch centred at a random pixel (0 = no Cutout). NOTE: not in
   *     Augment-S1
   */
  @Value.Default
  default int cutout() {
    return 0;
  }

  /** Checks the ranges of every setting. */
  @Value.Check
  default void check() {
    checkState(padding() >= 0, "padding must be non-negative: %s", padding());
    checkState(fill() >= 0 && fill() <= 255, "fill must be in [0, 255]: %s", fill());
    checkState(cutout() >= 0, "cutout must be non-negative: %s", cutout());
  }

  /**
   * @return a new builder with the defaults (padding 2, horizontal flip, fill 0, no Cutout)
   */
  static ImmutableFlipCropConfig.Builder builder() {
    return ImmutableFlipCropConfig.builder();
  }
}
