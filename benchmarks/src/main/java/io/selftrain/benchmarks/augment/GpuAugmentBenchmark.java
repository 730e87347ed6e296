package io.selftrain.benchmarks.augment;

import io.selftrain.augment.AugmentPolicy;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * {@link DeviceAugmentBenchmark}'s work (Augment-S1..S4 of Zoph et al. 2020 on the device path,
 * uint8 RGB, output size equal to input size) in batches of {@value #BATCH}, the size of a training
 * batch on a GPU, on the engine's default device. The score stays images per second
 * ({@code @OperationsPerInvocation(}{@value #BATCH}{@code )}); each call draws, uploads, augments
 * and reads back one batch, as in {@link DeviceAugmentBenchmark}.
 *
 * <p>Meant for a GPU (on a CPU it runs, slowly). With a CUDA libtorch (see {@code
 * benchmarks/gpu/run.sh}):
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar GpuAugmentBenchmark -rf json -rff gpu-augment.json
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Dai.djl.offline=true"})
@State(Scope.Thread)
public class GpuAugmentBenchmark {
  private static final int BATCH = 256;

  @Param public AugmentPolicy policy;

  @Param({"224"})
  public int size;

  @Param({"classification", "detection"})
  public String task;

  private DeviceAugmentCase work;

  /** Opens the manager on the engine's default device and builds the batch and the policy. */
  @Setup
  public void setUp() {
    work = new DeviceAugmentCase(policy, size, task, "default", BATCH);
  }

  /** Closes the manager. */
  @TearDown
  public void tearDown() {
    work.close();
  }

  /**
   * @return a value read back from the augmented batch (consumed by JMH)
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public byte augmentBatch() {
    return work.augmentBatch();
  }
}
