package io.selftrain.benchmarks.augment;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.selftrain.BoxesTarget;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.augment.AugmentPolicy;
import io.selftrain.augment.Augmenters;
import io.selftrain.augment.DeviceAugmenter;
import io.selftrain.augment.DeviceBatch;
import io.selftrain.augment.Task;
import io.selftrain.core.Engines;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
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
 * PYTORCH_FLAVOR=cu128}.
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

  private NDManager manager;
  private List<Example<ClassTarget>> classBatch;
  private List<Example<BoxesTarget>> boxBatch;
  private DeviceAugmenter<ClassTarget> classAugmenter;
  private DeviceAugmenter<BoxesTarget> boxAugmenter;
  private SplittableRandom rng;

  /** Opens the manager on the chosen device and builds the batch and the policy. */
  @Setup
  public void setUp() {
    Engine engine = Engines.load(Engines.PYTORCH);
    Device target = "cpu".equals(device) ? Device.cpu() : engine.defaultDevice();
    manager = engine.newBaseManager(target);
    classBatch = Collections.nCopies(BATCH, BenchmarkImages.classification(size));
    boxBatch = Collections.nCopies(BATCH, BenchmarkImages.detection(size));
    classAugmenter = Augmenters.device(Augmenters.policy(policy, Task.CLASSIFICATION, size, size));
    boxAugmenter = Augmenters.device(Augmenters.policy(policy, Task.DETECTION, size, size));
    rng = new SplittableRandom(7);
  }

  /** Closes the manager. */
  @TearDown
  public void tearDown() {
    manager.close();
  }

  /**
   * @return a value read back from the augmented batch (consumed by JMH)
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public byte augmentBatch() {
    List<SplittableRandom> generators = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      generators.add(rng.split());
    }
    try (DeviceBatch<?> batch =
        "detection".equals(task)
            ? boxAugmenter.augment(boxBatch, generators, manager)
            : classAugmenter.augment(classBatch, generators, manager)) {
      return batch.images().max().toByteArray()[0];
    }
  }
}
