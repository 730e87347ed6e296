package io.selftrain.models;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;
import io.selftrain.ClassTarget;
import io.selftrain.Student;
import io.selftrain.models.internal.LayoutNames;
import java.util.ArrayList;
import java.util.List;

/**
 * EfficientNet B0..B7 and L2 (Tan &amp; Le 2019, arXiv 1905.11946; L2 from Xie et al. 2020,
 * "Self-training with Noisy Student improves ImageNet classification") as DJL blocks and
 * classification students, plus tiny variants for CPU tests and examples.
 *
 * <pre>{@code
 * Student<ClassTarget> student = EfficientNet.student(
 *     EfficientNet.b0().withNumClasses(10).withDropout(0.5f).withStochasticDepth(0.2f));
 * Block backbone = EfficientNet.features(EfficientNet.b3());   // outputs strides 8, 16, 32
 * }</pre>
 *
 * <h2>Architecture</h2>
 *
 * Stem 3x3 conv stride 2, BN, swish; the {@link MbConvStage} table of B0 (Table 1) scaled by {@link
 * EfficientNetConfig#roundFilters} and {@link EfficientNetConfig#roundRepeats}; head 1x1 conv, BN,
 * swish, global average pool, dropout, fully connected. Parameter counts with a 1000-class head
 * (batch norm scale and shift included, running statistics excluded) are those of the official and
 * torchvision models, from B0 5,288,548 to B7 66,347,960 and L2 480,309,308.
 *
 * <h2>Noise</h2>
 *
 * Dropout before the classifier and stochastic depth with the linear schedule of the official code:
 * block {@code i} (0-based) of {@code N} keeps its residual branch with probability {@code 1 -
 * stochasticDepth * i / N} (so the first block is never dropped and the last block keeps it with
 * {@code 1 - 0.2 (N-1)/N}, 0.8125 for B0). NOTE: Huang et al. 2016 count blocks from 1, which puts
 * exactly 0.8 on the last block; we follow the code the paper's models were trained with.
 *
 * <h2>Not in the paper</h2>
 *
 * Weights start from DJL's default initializers (the official code uses variance scaling with
 * fan-out). Convolutions pad symmetrically ({@code k/2}), which gives the same output sizes as
 * TensorFlow's {@code SAME} padding but shifts strided windows by one pixel.
 */
public final class EfficientNet {
  /**
   * B0 block arguments, {@code efficientnet_builder.py _DEFAULT_BLOCKS_ARGS} (Tan &amp; Le 2019,
   * Table 1).
   */
  static final List<MbConvStage> B0_STAGES =
      List.of(
          // repeats, kernel, stride, expand, in, out; SE 0.25 everywhere
          MbConvStage.of(1, 3, 1, 1, 32, 16),
          MbConvStage.of(2, 3, 2, 6, 16, 24),
          MbConvStage.of(2, 5, 2, 6, 24, 40),
          MbConvStage.of(3, 3, 2, 6, 40, 80),
          MbConvStage.of(3, 5, 1, 6, 80, 112),
          MbConvStage.of(4, 5, 2, 6, 112, 192),
          MbConvStage.of(1, 3, 1, 6, 192, 320));

  /** The feature strides {@link #features} returns, finest first. */
  static final int[] FEATURE_STRIDES = {8, 16, 32};

  private EfficientNet() {}

  /**
   * The scaled variants: (width, depth, resolution, dropout) from {@code efficientnet_builder.py
   * efficientnet_params} (Tan &amp; Le 2019, Sec. 4; L2: Xie et al. 2020). Counts are with a
   * 1000-class head; the L2 count was derived with the same rules (reference/paper-spec.md, section
   * 5).
   */
  public enum Variant {
    /** EfficientNet-B0, 5,288,548 parameters. */
    B0(1.0, 1.0, 224, 0.2f),
    /** EfficientNet-B1, 7,794,184 parameters. */
    B1(1.0, 1.1, 240, 0.2f),
    /** EfficientNet-B2, 9,109,994 parameters. */
    B2(1.1, 1.2, 260, 0.3f),
    /** EfficientNet-B3, 12,233,232 parameters. */
    B3(1.2, 1.4, 300, 0.3f),
    /** EfficientNet-B4, 19,341,616 parameters. */
    B4(1.4, 1.8, 380, 0.4f),
    /** EfficientNet-B5, 30,389,784 parameters. */
    B5(1.6, 2.2, 456, 0.4f),
    /** EfficientNet-B6, 43,040,704 parameters. */
    B6(1.8, 2.6, 528, 0.5f),
    /** EfficientNet-B7, 66,347,960 parameters. */
    B7(2.0, 3.1, 600, 0.5f),
    /** EfficientNet-L2 of Noisy Student, 480,309,308 parameters. */
    L2(4.3, 5.3, 800, 0.5f);

    private final double width;
    private final double depth;
    private final int resolution;
    private final float dropout;

    Variant(double width, double depth, int resolution, float dropout) {
      this.width = width;
      this.depth = depth;
      this.resolution = resolution;
      this.dropout = dropout;
    }

    /**
     * @return the variant's configuration with 1000 classes and 3 input channels
     */
    public EfficientNetConfig config() {
      return EfficientNetConfig.builder()
          .name("efficientnet-" + name().toLowerCase(java.util.Locale.ROOT))
          .widthCoefficient(width)
          .depthCoefficient(depth)
          .resolution(resolution)
          .dropout(dropout)
          .build();
    }
  }

  /**
   * @return EfficientNet-B0: width 1.0, depth 1.0, 224 px, dropout 0.2
   */
  public static EfficientNetConfig b0() {
    return Variant.B0.config();
  }

  /**
   * @return EfficientNet-B1: width 1.0, depth 1.1, 240 px, dropout 0.2
   */
  public static EfficientNetConfig b1() {
    return Variant.B1.config();
  }

  /**
   * @return EfficientNet-B2: width 1.1, depth 1.2, 260 px, dropout 0.3
   */
  public static EfficientNetConfig b2() {
    return Variant.B2.config();
  }

  /**
   * @return EfficientNet-B3: width 1.2, depth 1.4, 300 px, dropout 0.3
   */
  public static EfficientNetConfig b3() {
    return Variant.B3.config();
  }

  /**
   * @return EfficientNet-B4: width 1.4, depth 1.8, 380 px, dropout 0.4
   */
  public static EfficientNetConfig b4() {
    return Variant.B4.config();
  }

  /**
   * @return EfficientNet-B5: width 1.6, depth 2.2, 456 px, dropout 0.4
   */
  public static EfficientNetConfig b5() {
    return Variant.B5.config();
  }

  /**
   * @return EfficientNet-B6: width 1.8, depth 2.6, 528 px, dropout 0.5
   */
  public static EfficientNetConfig b6() {
    return Variant.B6.config();
  }

  /**
   * @return EfficientNet-B7: width 2.0, depth 3.1, 600 px, dropout 0.5
   */
  public static EfficientNetConfig b7() {
    return Variant.B7.config();
  }

  /**
   * @return EfficientNet-L2: width 4.3, depth 5.3, 800 px, dropout 0.5
   */
  public static EfficientNetConfig l2() {
    return Variant.L2.config();
  }

  /**
   * A tiny EfficientNet for 28x28 grey images (MNIST, Fashion-MNIST) on a CPU: the B0 table at
   * width 0.25 and depth 0.25 (one block per stage, 7 blocks), head 256 filters before scaling, 10
   * classes. The stride-32 stage is 1x1, so training batches need at least 2 examples (PyTorch's
   * batch norm refuses one value per channel). NOTE: not a model of the paper.
   *
   * @return the configuration
   */
  public static EfficientNetConfig tiny28() {
    return EfficientNetConfig.builder()
        .name("efficientnet-tiny28")
        .widthCoefficient(0.25)
        .depthCoefficient(0.25)
        .resolution(28)
        .dropout(0.2f)
        .inputChannels(1)
        .numClasses(10)
        .headFilters(256)
        .build();
  }

  /**
   * A small EfficientNet for 64x64 colour images on a CPU: the B0 table at width 0.5 and depth 0.5
   * (10 blocks), head 512 filters before scaling, 10 classes. NOTE: not a model of the paper.
   *
   * @return the configuration
   */
  public static EfficientNetConfig tiny64() {
    return EfficientNetConfig.builder()
        .name("efficientnet-tiny64")
        .widthCoefficient(0.5)
        .depthCoefficient(0.5)
        .resolution(64)
        .dropout(0.2f)
        .numClasses(10)
        .headFilters(512)
        .build();
  }

  /**
   * A classification student: logits (batch, classes), soft-target cross entropy, softmax decoding.
   *
   * @param config the architecture and noise
   * @return the student; each {@link Student#newBlock()} is a fresh, uninitialised network
   */
  public static Student<ClassTarget> student(EfficientNetConfig config) {
    checkNotNull(config, "config");
    return new ClassificationStudent(
        LayoutNames.of(config.name(), config.channelsLast(), config.fusedOps()),
        new Shape(config.inputChannels(), config.resolution(), config.resolution()),
        config.numClasses(),
        () -> classifier(config));
  }

  /**
   * The classification network: input (batch, channels, height, width), output logits (batch,
   * classes).
   *
   * @param config the architecture and noise
   * @return a new, uninitialised block
   */
  public static Block classifier(EfficientNetConfig config) {
    checkNotNull(config, "config");
    return new EfficientNetBlock(config, true);
  }

  /**
   * The backbone without head for detection and segmentation necks: input (batch, channels, height,
   * width), output three arrays at strides 8, 16 and 32 (the last block at each stride), with
   * {@link #featureChannels} channels.
   *
   * @param config the architecture (its head, dropout and class count are unused)
   * @return a new, uninitialised block
   * @throws IllegalArgumentException if the stages do not reach each of the strides 8, 16 and 32
   */
  public static Block features(EfficientNetConfig config) {
    checkNotNull(config, "config");
    return new EfficientNetBlock(config, false);
  }

  /**
   * The channels of the {@link #features} outputs.
   *
   * @param config the architecture
   * @return channels at strides 8, 16 and 32
   * @throws IllegalArgumentException if the stages do not reach each of the strides 8, 16 and 32
   */
  public static int[] featureChannels(EfficientNetConfig config) {
    List<BlockSpec> specs = blocks(config);
    int[] idx = endpointBlocks(config);
    int[] channels = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      channels[i] = specs.get(idx[i]).outputFilters();
    }
    return channels;
  }

  /**
   * The number of trainable parameters, from the configuration alone (no block is built):
   * convolution and fully connected weights and biases, batch norm scale and shift; not the batch
   * norm running statistics.
   *
   * @param config the architecture
   * @return the count, with the classification head
   */
  public static long parameterCount(EfficientNetConfig config) {
    List<BlockSpec> specs = blocks(config); // never empty: stages and repeats are at least 1
    long last = specs.get(specs.size() - 1).outputFilters();
    long head = config.roundFilters(config.headFilters());
    return featuresParameterCount(config)
        + last * head
        + 2 * head
        + head * config.numClasses()
        + config.numClasses();
  }

  /**
   * The number of trainable parameters of {@link #features}: {@link #parameterCount} without the
   * head (1x1 conv, batch norm, fully connected).
   *
   * @param config the architecture
   * @return the count of the stem and the MBConv blocks
   */
  public static long featuresParameterCount(EfficientNetConfig config) {
    long stem = config.roundFilters(config.stemFilters());
    long count = (long) config.inputChannels() * 9 * stem + 2 * stem;
    for (BlockSpec b : blocks(config)) {
      long in = b.inputFilters();
      long exp = b.expandedFilters();
      long se = b.seFilters();
      long out = b.outputFilters();
      if (b.expandRatio() != 1) {
        count += in * exp + 2 * exp;
      }
      count += (long) b.kernelSize() * b.kernelSize() * exp + 2 * exp;
      count += exp * se + se + se * exp + exp;
      count += exp * out + 2 * out;
    }
    return count;
  }

  /**
   * Multiply-adds of one forward pass at the config's resolution, counted from the layout:
   * convolutions ("SAME" padding, so a stride-s layer maps n pixels to ceil(n / s)),
   * squeeze-excitation and the classifier; batch norm, activations and pooling are not counted. Tan
   * and Le 2019 (Table 2) call this "FLOPS": 0.39B for B0 at 224 and 37B for B7 at 600.
   *
   * @param config the architecture
   * @return the count for one image
   */
  public static long multiplyAdds(EfficientNetConfig config) {
    long size = ceilDiv(config.resolution(), config.stemStride());
    long stem = config.roundFilters(config.stemFilters());
    long count = size * size * config.inputChannels() * 9 * stem;
    for (BlockSpec b : blocks(config)) {
      long exp = b.expandedFilters();
      if (b.expandRatio() != 1) {
        count += size * size * b.inputFilters() * exp;
      }
      size = ceilDiv(size, b.stride());
      count += size * size * b.kernelSize() * b.kernelSize() * exp;
      count += 2L * exp * b.seFilters();
      count += size * size * exp * b.outputFilters();
    }
    List<BlockSpec> specs = blocks(config);
    long last = specs.get(specs.size() - 1).outputFilters();
    long head = config.roundFilters(config.headFilters());
    return count + size * size * last * head + head * config.numClasses();
  }

  private static long ceilDiv(long n, long d) {
    return (n + d - 1) / d;
  }

  /**
   * The number of MBConv blocks after depth scaling (B0 16, B7 55, L2 88).
   *
   * @param config the architecture
   * @return the block count
   */
  public static int numBlocks(EfficientNetConfig config) {
    return blocks(config).size();
  }

  /** One MBConv block after scaling, with its place in the stochastic depth schedule. */
  record BlockSpec(
      int inputFilters,
      int outputFilters,
      int kernelSize,
      int stride,
      int expandRatio,
      double seRatio,
      float survival,
      int cumulativeStride) {
    int expandedFilters() {
      return inputFilters * expandRatio;
    }

    /** Squeeze-excitation width: relative to the block input filters, as the official code. */
    int seFilters() {
      return Math.max(1, (int) (inputFilters * seRatio));
    }

    boolean hasResidual() {
      return stride == 1 && inputFilters == outputFilters;
    }
  }

  static List<BlockSpec> blocks(EfficientNetConfig config) {
    int total = 0;
    for (MbConvStage stage : config.stages()) {
      total += config.roundRepeats(stage.repeats());
    }
    List<BlockSpec> out = new ArrayList<>(total);
    int stride = config.stemStride();
    for (MbConvStage stage : config.stages()) {
      int in = config.roundFilters(stage.inputFilters());
      int outFilters = config.roundFilters(stage.outputFilters());
      int repeats = config.roundRepeats(stage.repeats());
      for (int r = 0; r < repeats; r++) {
        int s = r == 0 ? stage.stride() : 1;
        stride *= s;
        int idx = out.size();
        float survival = (float) (1.0 - config.stochasticDepth() * (double) idx / total);
        out.add(
            new BlockSpec(
                r == 0 ? in : outFilters,
                outFilters,
                stage.kernelSize(),
                s,
                stage.expandRatio(),
                stage.seRatio(),
                survival,
                stride));
      }
    }
    return out;
  }

  /** Index of the last block at each of the strides 8, 16 and 32. */
  static int[] endpointBlocks(EfficientNetConfig config) {
    List<BlockSpec> specs = blocks(config);
    int[] idx = new int[FEATURE_STRIDES.length];
    for (int f = 0; f < FEATURE_STRIDES.length; f++) {
      idx[f] = -1;
      for (int i = 0; i < specs.size(); i++) {
        if (specs.get(i).cumulativeStride() == FEATURE_STRIDES[f]) {
          idx[f] = i;
        }
      }
      checkArgument(
          idx[f] >= 0,
          "stages must reach stride %s with at least one block: %s",
          FEATURE_STRIDES[f],
          config.name());
    }
    return idx;
  }

  /**
   * Mean over height and width of an (N, C, H, W) array.
   *
   * @param x the array
   * @param keepDims whether the result keeps H and W as 1 x 1
   * @param pooled one global average pool (PyTorch: {@code adaptive_avg_pool2d} to 1 x 1, as
   *     torchvision's EfficientNet), else two chained one-axis means (multi-axis means throw on
   *     DJL's PyTorch engine), whose backward pass materialises a second full-size gradient; the
   *     two differ in float rounding only ({@link EfficientNetConfig#fusedOps()})
   * @return the means
   */
  static NDArray spatialMean(NDArray x, boolean keepDims, boolean pooled) {
    if (!pooled) {
      return x.mean(new int[] {3}, keepDims).mean(new int[] {2}, keepDims);
    }
    NDArray means = Pool.globalAvgPool2d(x);
    return keepDims ? means.reshape(x.getShape().get(0), x.getShape().get(1), 1, 1) : means;
  }
}
