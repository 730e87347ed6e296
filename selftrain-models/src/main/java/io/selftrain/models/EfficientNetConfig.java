package io.selftrain.models;

import static com.google.common.base.Preconditions.checkState;

import java.util.List;
import org.immutables.value.Value;

/**
 * The architecture and noise of an EfficientNet (Tan &amp; Le 2019, "EfficientNet: Rethinking Model
 * Scaling for Convolutional Neural Networks", arXiv 1905.11946): the B0 stage table scaled by a
 * width and a depth coefficient. Start from {@link EfficientNet#b0()} .. {@link EfficientNet#l2()}
 * or a tiny variant and change fields with the {@code withX} copies:
 *
 * <pre>{@code
 * EfficientNetConfig student = EfficientNet.b0().withNumClasses(10).withDropout(0.5f);
 * }</pre>
 *
 * <p>Defaults follow the official code ({@code efficientnet_builder.py}, {@code
 * efficientnet_model.py}): stem 32 and head 1280 filters before scaling, depth divisor 8, batch
 * norm momentum 0.99 and epsilon 1e-3 (Keras convention: the running average keeps 0.99 of its old
 * value), stochastic depth drop rate 0.2 at the end of the network, squeeze-excitation on every
 * block.
 */
@Value.Immutable
public interface EfficientNetConfig {
  /**
   * @return name for logs and reports, such as {@code "efficientnet-b0"}
   */
  String name();

  /**
   * @return width coefficient: filters are multiplied by it and rounded to the depth divisor
   */
  double widthCoefficient();

  /**
   * @return depth coefficient: repeats are multiplied by it and rounded up
   */
  double depthCoefficient();

  /**
   * @return input height and width in pixels
   */
  int resolution();

  /**
   * @return dropout rate before the classifier during training, in [0, 1)
   */
  float dropout();

  /**
   * @return number of classes of the classifier
   */
  @Value.Default
  default int numClasses() {
    return 1000;
  }

  /**
   * @return input channels (3 for RGB)
   */
  @Value.Default
  default int inputChannels() {
    return 3;
  }

  /**
   * @return stochastic depth drop rate, in [0, 1): block {@code i} (0-based) of {@code N} keeps its
   *     residual branch with probability {@code 1 - stochasticDepth * i / N} during training
   */
  @Value.Default
  default float stochasticDepth() {
    return 0.2f;
  }

  /**
   * @return the stages before scaling; the B0 table by default
   */
  @Value.Default
  default List<MbConvStage> stages() {
    return EfficientNet.B0_STAGES;
  }

  /**
   * Whether the network lays its activations out channels-last in memory (and the detection and
   * segmentation heads above it then too): the same values up to the order of a convolution's sums,
   * faster on the CPU (README, Model speed). Off by default, so that the figures measured without
   * it keep reproducing to the last bit; students built on it carry {@code -cl} after their name.
   *
   * @return true for the channels-last layout
   */
  @Value.Default
  default boolean channelsLast() {
    return false;
  }

  /**
   * Whether swish is the engine's fused {@code silu} kernel (PyTorch: one kernel each way and one
   * saved tensor, where {@code x * sigmoid(x)} takes two forward, four backward and two more saved
   * tensors; reached through {@link FusedSilu}, since DJL's engine has no {@code silu}) and
   * squeeze-excitation's squeeze one global average pool instead of two chained means: the
   * operations torchvision's EfficientNet runs. The same values up to float rounding, faster to
   * train (README, Model speed). Off by default, so that the figures measured without it keep
   * reproducing to the last bit (EfficientNet's training results move with last bits); students
   * built on it carry {@code -fused} after their name. Engines other than PyTorch compute swish as
   * the product either way.
   *
   * @return true for the fused operations
   */
  @Value.Default
  default boolean fusedOps() {
    return false;
  }

  /**
   * @return filters of the stem 3x3 convolution before width scaling
   */
  @Value.Default
  default int stemFilters() {
    return 32;
  }

  /**
   * @return stride of the stem convolution, 1 or 2
   */
  @Value.Default
  default int stemStride() {
    return 2;
  }

  /**
   * @return filters of the head 1x1 convolution before width scaling
   */
  @Value.Default
  default int headFilters() {
    return 1280;
  }

  /**
   * @return filters are rounded to a multiple of this
   */
  @Value.Default
  default int depthDivisor() {
    return 8;
  }

  /**
   * @return batch norm momentum in the Keras convention (weight of the old running average)
   */
  @Value.Default
  default float batchNormMomentum() {
    return 0.99f;
  }

  /**
   * @return batch norm epsilon
   */
  @Value.Default
  default float batchNormEpsilon() {
    return 1e-3f;
  }

  /** Checks ranges. */
  @Value.Check
  default void check() {
    checkState(!name().isBlank(), "name must not be blank: '%s'", name());
    checkState(widthCoefficient() > 0, "widthCoefficient must be positive: %s", widthCoefficient());
    checkState(depthCoefficient() > 0, "depthCoefficient must be positive: %s", depthCoefficient());
    checkState(resolution() >= 1, "resolution must be positive: %s", resolution());
    checkState(dropout() >= 0f && dropout() < 1f, "dropout must be in [0, 1): %s", dropout());
    checkState(numClasses() >= 2, "numClasses must be at least 2: %s", numClasses());
    checkState(inputChannels() >= 1, "inputChannels must be positive: %s", inputChannels());
    checkState(
        stochasticDepth() >= 0f && stochasticDepth() < 1f,
        "stochasticDepth must be in [0, 1): %s",
        stochasticDepth());
    checkState(!stages().isEmpty(), "stages must not be empty: %s", stages());
    checkState(stemFilters() >= 1, "stemFilters must be positive: %s", stemFilters());
    checkState(
        stemStride() == 1 || stemStride() == 2, "stemStride must be 1 or 2: %s", stemStride());
    checkState(headFilters() >= 1, "headFilters must be positive: %s", headFilters());
    checkState(depthDivisor() >= 1, "depthDivisor must be positive: %s", depthDivisor());
    checkState(
        batchNormMomentum() >= 0f && batchNormMomentum() < 1f,
        "batchNormMomentum must be in [0, 1): %s",
        batchNormMomentum());
    checkState(
        batchNormEpsilon() > 0f, "batchNormEpsilon must be positive: %s", batchNormEpsilon());
  }

  /**
   * Width scaling of the official code ({@code round_filters}): {@code max(d, int(f*w + d/2) // d *
   * d)}, plus {@code d} if that lost more than 10% of {@code f*w}, with {@code d = depthDivisor()}.
   *
   * @param filters filters before scaling
   * @return filters after scaling
   */
  default int roundFilters(int filters) {
    double scaled = filters * widthCoefficient();
    int divisor = depthDivisor();
    int rounded = Math.max(divisor, (int) (scaled + divisor / 2.0) / divisor * divisor);
    if (rounded < 0.9 * scaled) {
      rounded += divisor;
    }
    return rounded;
  }

  /**
   * Depth scaling of the official code ({@code round_repeats}): {@code ceil(depthCoefficient *
   * repeats)}.
   *
   * @param repeats repeats before scaling
   * @return repeats after scaling
   */
  default int roundRepeats(int repeats) {
    return (int) Math.ceil(depthCoefficient() * repeats);
  }

  /**
   * @param value the new {@link #numClasses()}
   * @return a copy with this number of classes
   * @throws IllegalStateException if it is less than 2
   */
  EfficientNetConfig withNumClasses(int value);

  /**
   * @param value the new {@link #inputChannels()}
   * @return a copy with this number of input channels
   * @throws IllegalStateException if it is not positive
   */
  EfficientNetConfig withInputChannels(int value);

  /**
   * @param value the new {@link #resolution()}
   * @return a copy with this input resolution
   * @throws IllegalStateException if it is not positive
   */
  EfficientNetConfig withResolution(int value);

  /**
   * @param value the new {@link #dropout()}
   * @return a copy with this dropout rate
   * @throws IllegalStateException if it is not in [0, 1)
   */
  EfficientNetConfig withDropout(float value);

  /**
   * @param value the new {@link #stochasticDepth()}
   * @return a copy with this stochastic depth drop rate
   * @throws IllegalStateException if it is not in [0, 1)
   */
  EfficientNetConfig withStochasticDepth(float value);

  /**
   * @param value the new {@link #name()}
   * @return a copy with this name
   */
  EfficientNetConfig withName(String value);

  /**
   * @param values the new {@link #stages()}
   * @return a copy with these stages
   * @throws IllegalStateException if there are none
   */
  EfficientNetConfig withStages(List<MbConvStage> values);

  /**
   * @param value the new {@link #headFilters()}
   * @return a copy with this many head filters before scaling
   * @throws IllegalStateException if it is not positive
   */
  EfficientNetConfig withHeadFilters(int value);

  /**
   * @param value the new {@link #channelsLast()}
   * @return a copy in this memory layout
   */
  EfficientNetConfig withChannelsLast(boolean value);

  /**
   * @param value the new {@link #fusedOps()}
   * @return a copy with or without the fused operations
   */
  EfficientNetConfig withFusedOps(boolean value);

  /**
   * @return a builder; name, coefficients, resolution and dropout are required
   */
  static ImmutableEfficientNetConfig.Builder builder() {
    return ImmutableEfficientNetConfig.builder();
  }
}
