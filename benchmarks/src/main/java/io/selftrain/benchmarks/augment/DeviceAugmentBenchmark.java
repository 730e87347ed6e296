package io.selftrain.benchmarks.augment;

import io.selftrain.augment.AugmentPolicy;
import io.selftrain.augment.DeviceAugmenter;
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
 * Images per second of the device path ({@link DeviceAugmenter}) for Augment-S1..S4 (Zoph et al.
 * 2020) on uint8 RGB at 224x224 in batches of 32, output size equal to input size, on DJL's PyTorch
 * engine: the engine's default device ({@code device=default}: a GPU when the engine has one) or
 * the CPU. Each call draws the batch on the host, uploads it, runs the batched ops and reads one
 * value back so that the device has finished; the score is images per second
 * ({@code @OperationsPerInvocation(32)}). Compare with {@link AugmentPolicyBenchmark} (the CPU
 * path, one image per call).
 *
 * <p>How to run (on an idle machine):
 *
 * <pre>
 * mvn -B -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar DeviceAugmentBenchmark -rf json -rff benchmarks/results/device.json
 * java -jar benchmarks/target/benchmarks.jar DeviceAugmentBenchmark -p device=cpu -jvmArgsAppend -Dai.djl.pytorch.num_threads=1
 * </pre>
 *
 * For a GPU, point {@code PYTORCH_LIBRARY_PATH} at a CUDA libtorch 2.7.1 and set {@code
 * PYTORCH_FLAVOR=cu128}, or run {@code benchmarks/gpu/run.sh} (a CUDA PyTorch wheel's libtorch).
 * {@link GpuAugmentBenchmark} times the same work in batches that fill a GPU.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Dai.djl.offline=true"})
@State(Scope.Thread)
public class DeviceAugmentBenchmark {
  private static final int BATCH = 32;

  @Param public AugmentPolicy policy;

  @Param({"224"})
  public int size;

  @Param({"classification", "detection"})
  public String task;

  @Param({"default", "cpu"})
  public String device;

  private DeviceAugmentCase work;

  /** Opens the manager on the chosen device and builds the batch and the policy. */
  @Setup
  public void setUp() {
    work = new DeviceAugmentCase(policy, size, task, device, BATCH);
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
