package io.selftrain.benchmarks.augment;

import io.selftrain.Augmenter;
import io.selftrain.BoxesTarget;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.augment.AugmentPolicy;
import io.selftrain.augment.Augmenters;
import io.selftrain.augment.Task;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Images per second of Augment-S1..S4 (Zoph et al. 2020) on uint8 RGB at 224x224 and 640x640,
 * output size equal to input size, for classification (no boxes) and detection (8 boxes). Compare
 * with {@code benchmarks/torchvision_peer.py}, which composes torchvision's equivalents the same
 * way.
 *
 * <p>The fork is a plain JVM, as users run it: the resize is the native kernel where the jar
 * carries one ({@code Augmenters.resizeKernels()}). How to run (on an idle machine; one thread,
 * then all cores; {@code benchmarks/augment_vs_peers.sh} does the first and the peers in one go):
 *
 * <pre>
 * mvn -B -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar AugmentPolicyBenchmark -t 1 -rf json -rff benchmarks/results/policies-1t.json
 * java -jar benchmarks/target/benchmarks.jar AugmentPolicyBenchmark -t max -rf json -rff benchmarks/results/policies-all.json
 * python3 benchmarks/torchvision_peer.py --threads 1 --jmh benchmarks/results/policies-1t.json
 * </pre>
 *
 * <p>The Java fallback: add {@code -jvmArgsAppend -Dselftrain.native=false} (and {@code
 * --add-modules=jdk.incubator.vector} for its vectorised loops).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class AugmentPolicyBenchmark {
  @Param public AugmentPolicy policy;

  @Param({"224", "640"})
  public int size;

  @Param({"classification", "detection"})
  public String task;

  private Example<ClassTarget> classExample;
  private Example<BoxesTarget> boxExample;
  private Augmenter<ClassTarget> classAugmenter;
  private Augmenter<BoxesTarget> boxAugmenter;
  private SplittableRandom rng;

  /** Builds the input and the policy. */
  @Setup
  public void setUp() {
    classExample = BenchmarkImages.classification(size);
    boxExample = BenchmarkImages.detection(size);
    classAugmenter = Augmenters.policy(policy, Task.CLASSIFICATION, size, size);
    boxAugmenter = Augmenters.policy(policy, Task.DETECTION, size, size);
    rng = new SplittableRandom(7);
  }

  /**
   * @return the augmented example (consumed by JMH)
   */
  @Benchmark
  public Object augment() {
    return "detection".equals(task)
        ? boxAugmenter.augment(boxExample, rng)
        : classAugmenter.augment(classExample, rng);
  }
}
