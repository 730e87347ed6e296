package io.selftrain.benchmarks.models;

import io.selftrain.ClassTarget;
import io.selftrain.Student;
import io.selftrain.models.ConvNetConfig;
import io.selftrain.models.ConvNets;
import io.selftrain.models.EfficientNet;
import io.selftrain.models.EfficientNetConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Images per second of the models' inference forward pass and of a whole training step (forward,
 * loss, backward, Adam update) on DJL's PyTorch engine, batches of {@value #BATCH}. The per-image
 * multiply-adds ({@code EfficientNet.multiplyAdds}, {@code ConvNets.multiplyAdds}) turn a score
 * into achieved GFLOP/s (2 FLOPs per multiply-add; a training step counted as 3 forward passes);
 * {@link PeakFlopsBenchmark} measures the machine's matrix-multiply peak in the same run for the
 * fraction. The model runs on the engine's default device (a GPU when the engine has one); {@link
 * GpuModelStepBenchmark} times the same steps at batch sizes that fill a GPU.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'ModelBenchmark|PeakFlopsBenchmark' -p threads=1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_interop_threads=1"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class ModelBenchmark {
  static final int BATCH = 16;

  /**
   * The model: a ConvNets CNN or an EfficientNet variant at its own resolution; {@code -fused}
   * after an EfficientNet's name, the same model with the engine's fused operations ({@code
   * fusedOps()} of its config); {@code -cl} after either, the same model laid out channels-last
   * ({@code channelsLast()} of its config).
   */
  @Param({
    "cnn28-w48",
    "cnn28-w48-cl",
    "efficientnet-tiny28",
    "efficientnet-tiny64",
    "efficientnet-b0",
    "efficientnet-b0-cl",
    "efficientnet-b0-fused",
    "efficientnet-b0-fused-cl"
  })
  public String model;

  /** PyTorch intra-op threads. */
  @Param({"1"})
  public int threads;

  private ModelStep step;

  private static final String CHANNELS_LAST = "-cl";
  private static final String FUSED = "-fused";

  /**
   * The model's name without its {@code -fused} and {@code -cl}: neither changes the architecture.
   */
  private static String plainName(String name) {
    String plain = stripSuffix(name, CHANNELS_LAST);
    return stripSuffix(plain, FUSED);
  }

  private static String stripSuffix(String name, String suffix) {
    return name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : name;
  }

  static Student<ClassTarget> student(String name) {
    boolean channelsLast = name.endsWith(CHANNELS_LAST);
    boolean fused = stripSuffix(name, CHANNELS_LAST).endsWith(FUSED);
    String plain = plainName(name);
    if (fused && !plain.startsWith("efficientnet-")) {
      throw new IllegalArgumentException(
          "model: -fused applies to the EfficientNet models only: " + name);
    }
    switch (plain) {
      case "cnn28-w48":
        return ConvNets.student(
            ConvNetConfig.builder()
                .width(48)
                .dropout(0.3f)
                .stochasticDepth(0.2f)
                .channelsLast(channelsLast)
                .build());
      case "efficientnet-tiny28":
        return efficientNet(EfficientNet.tiny28(), channelsLast, fused);
      case "efficientnet-tiny64":
        return efficientNet(EfficientNet.tiny64(), channelsLast, fused);
      case "efficientnet-b0":
        return efficientNet(EfficientNet.b0(), channelsLast, fused);
      default:
        throw new IllegalArgumentException(
            "model must be one of cnn28-w48, efficientnet-tiny28, efficientnet-tiny64,"
                + " efficientnet-b0, an EfficientNet optionally followed by -fused, each"
                + " optionally followed by -cl: "
                + name);
    }
  }

  private static Student<ClassTarget> efficientNet(
      EfficientNetConfig config, boolean channelsLast, boolean fused) {
    return EfficientNet.student(config.withChannelsLast(channelsLast).withFusedOps(fused));
  }

  /**
   * Multiply-adds of one image's forward pass.
   *
   * @param name a {@link #model} value
   * @return the count
   */
  public static long multiplyAdds(String name) {
    switch (plainName(name)) {
      case "cnn28-w48":
        return ConvNets.multiplyAdds(ConvNetConfig.builder().width(48).build());
      case "efficientnet-tiny28":
        return EfficientNet.multiplyAdds(EfficientNet.tiny28());
      case "efficientnet-tiny64":
        return EfficientNet.multiplyAdds(EfficientNet.tiny64());
      case "efficientnet-b0":
        return EfficientNet.multiplyAdds(EfficientNet.b0());
      default:
        throw new IllegalArgumentException("unknown model: " + name);
    }
  }

  /**
   * Sets the PyTorch thread count and builds the model, its trainer and one batch of random images
   * and targets.
   */
  @Setup(Level.Trial)
  public void setUp() {
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    step = ModelStep.create(model, BATCH);
  }

  /** Frees the native memory of the trial. */
  @TearDown(Level.Trial)
  public void tearDown() {
    step.close();
  }

  /**
   * Inference forward pass of one batch (no dropout, no stochastic depth).
   *
   * @return one output value
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public float forward() {
    return step.forward();
  }

  /**
   * Forward (training mode), per-example loss, backward and Adam step on one batch.
   *
   * @return the batch's mean loss
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public float trainStep() {
    return step.trainStep();
  }
}
