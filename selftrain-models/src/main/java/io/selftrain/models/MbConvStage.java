package io.selftrain.models;

import static com.google.common.base.Preconditions.checkState;

import org.immutables.value.Value;

/**
 * One stage of EfficientNet: {@code repeats} mobile inverted bottleneck (MBConv) blocks with the
 * same kernel, expansion and output filters, before width and depth scaling. The first block of the
 * stage has stride {@code stride} and {@code inputFilters} inputs; the others have stride 1 and
 * {@code outputFilters} inputs. Written like the block strings of the official code, e.g. {@code
 * r2_k3_s22_e6_i16_o24_se0.25} (Tan &amp; Le 2019, Table 1; {@code efficientnet_builder.py
 * _DEFAULT_BLOCKS_ARGS}).
 */
@Value.Immutable
public interface MbConvStage {
  /**
   * @return number of blocks in the stage before depth scaling, at least 1
   */
  int repeats();

  /**
   * @return depthwise kernel size, odd
   */
  int kernelSize();

  /**
   * @return stride of the first block, 1 or 2
   */
  int stride();

  /**
   * @return expansion ratio of the 1x1 expand convolution (1 = no expand convolution)
   */
  int expandRatio();

  /**
   * @return input filters of the first block before width scaling
   */
  int inputFilters();

  /**
   * @return output filters of every block before width scaling
   */
  int outputFilters();

  /**
   * @return squeeze-excitation ratio relative to the block's input filters (not the expanded
   *     filters), in (0, 1]
   */
  @Value.Default
  default double seRatio() {
    return 0.25;
  }

  /** Checks ranges. */
  @Value.Check
  default void check() {
    checkState(repeats() >= 1, "repeats must be positive: %s", repeats());
    checkState(
        kernelSize() >= 1 && kernelSize() % 2 == 1,
        "kernelSize must be positive and odd: %s",
        kernelSize());
    checkState(stride() == 1 || stride() == 2, "stride must be 1 or 2: %s", stride());
    checkState(expandRatio() >= 1, "expandRatio must be positive: %s", expandRatio());
    checkState(inputFilters() >= 1, "inputFilters must be positive: %s", inputFilters());
    checkState(outputFilters() >= 1, "outputFilters must be positive: %s", outputFilters());
    checkState(seRatio() > 0 && seRatio() <= 1, "seRatio must be in (0, 1]: %s", seRatio());
  }

  /**
   * A stage with squeeze-excitation ratio 0.25.
   *
   * @param repeats blocks in the stage
   * @param kernelSize depthwise kernel size
   * @param stride stride of the first block
   * @param expandRatio expansion ratio
   * @param inputFilters input filters of the first block
   * @param outputFilters output filters
   * @return the stage
   * @throws IllegalStateException if a value is out of range
   */
  static MbConvStage of(
      int repeats,
      int kernelSize,
      int stride,
      int expandRatio,
      int inputFilters,
      int outputFilters) {
    return ImmutableMbConvStage.builder()
        .repeats(repeats)
        .kernelSize(kernelSize)
        .stride(stride)
        .expandRatio(expandRatio)
        .inputFilters(inputFilters)
        .outputFilters(outputFilters)
        .build();
  }

  /**
   * @return a builder; all fields but {@code seRatio} are required
   */
  static ImmutableMbConvStage.Builder builder() {
    return ImmutableMbConvStage.builder();
  }
}
