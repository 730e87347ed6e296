package io.selftrain.models;

import static com.google.common.base.Preconditions.checkState;

import org.immutables.value.Value;

/**
 * A small residual convolutional network for 28x28 grey images (MNIST, Fashion-MNIST): the
 * CPU-sized stand-in for EfficientNet in examples and tests. Layout (width w):
 *
 * <pre>
 * conv3x3(w) BN ReLU, maxpool 2          28 -> 14
 * conv3x3(2w) BN ReLU, maxpool 2         14 -> 7
 * residual[conv3x3(2w) BN ReLU conv3x3(2w) BN] with stochastic depth, ReLU
 * flatten, dropout, linear(hidden) ReLU, dropout, linear(numClasses)
 * </pre>
 *
 * NOTE: not a model of the paper; the noise it carries (dropout before the classifier, stochastic
 * depth on the residual branch) is the student noise of Xie et al. 2020, Sec. 2.
 */
@Value.Immutable
public interface ConvNetConfig {
  /**
   * @return number of classes of the output layer
   */
  @Value.Default
  default int numClasses() {
    return 10;
  }

  /**
   * @return input channels (1 for grey images)
   */
  @Value.Default
  default int inputChannels() {
    return 1;
  }

  /**
   * @return input height and width in pixels; must be divisible by 4
   */
  @Value.Default
  default int inputSize() {
    return 28;
  }

  /**
   * @return channels of the first convolution; later stages use twice as many
   */
  @Value.Default
  default int width() {
    return 32;
  }

  /** Units of the hidden fully connected layer unless set. */
  int DEFAULT_HIDDEN = 128;

  /**
   * @return units of the hidden fully connected layer
   */
  @Value.Default
  default int hidden() {
    return DEFAULT_HIDDEN;
  }

  /**
   * @return dropout rate before each fully connected layer during training, in [0, 1)
   */
  @Value.Default
  default float dropout() {
    return 0f;
  }

  /**
   * @return probability of dropping the residual branch per example during training, in [0, 1)
   */
  @Value.Default
  default float stochasticDepth() {
    return 0f;
  }

  /**
   * Whether the network hands its convolutions channels-last activations (each pixel's channels
   * side by side in memory), which oneDNN convolves without reordering them at every call: the same
   * values up to the order of a convolution's sums, a training step 1.35-1.45x faster on one CPU
   * thread (README, Model speed). Off by default, so that the figures measured without it keep
   * reproducing to the last bit.
   *
   * @return true for the channels-last layout
   */
  @Value.Default
  default boolean channelsLast() {
    return false;
  }

  /** Checks ranges. */
  @Value.Check
  default void check() {
    checkState(numClasses() >= 2, "numClasses must be at least 2: %s", numClasses());
    checkState(inputChannels() >= 1, "inputChannels must be positive: %s", inputChannels());
    checkState(
        inputSize() >= 4 && inputSize() % 4 == 0,
        "inputSize must be a positive multiple of 4: %s",
        inputSize());
    checkState(width() >= 1, "width must be positive: %s", width());
    checkState(hidden() >= 1, "hidden must be positive: %s", hidden());
    checkState(dropout() >= 0f && dropout() < 1f, "dropout must be in [0, 1): %s", dropout());
    checkState(
        stochasticDepth() >= 0f && stochasticDepth() < 1f,
        "stochasticDepth must be in [0, 1): %s",
        stochasticDepth());
  }

  /**
   * @return a builder with the defaults (10 classes, 28x28x1, width 32, hidden 128, no noise)
   */
  static ImmutableConvNetConfig.Builder builder() {
    return ImmutableConvNetConfig.builder();
  }
}
