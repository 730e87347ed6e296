package io.selftrain.benchmarks.augment;

import io.selftrain.BoxesTarget;
import io.selftrain.Example;
import io.selftrain.augment.AugmentOp;
import io.selftrain.augment.AugmentStep;
import io.selftrain.augment.Augmenters;
import io.selftrain.augment.OpConstants;
import io.selftrain.augment.OpSpec;
import io.selftrain.augment.PolicyAugmenter;
import java.util.List;
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
 * Images per second of each registry op at level 7 on uint8 RGB, 224x224 and 640x640, with and
 * without 8 boxes (box-only ops change every box). The op is sampled and applied on every call, as
 * in training.
 *
 * <p>How to run (on an idle machine; one thread, then all cores):
 *
 * <pre>
 * mvn -B -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar AugmentOpBenchmark -t 1 -rf json -rff benchmarks/results/ops-1t.json
 * java -jar benchmarks/target/benchmarks.jar AugmentOpBenchmark -t max -rf json -rff benchmarks/results/ops-all.json
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class AugmentOpBenchmark {
  @Param public AugmentOp op;

  @Param({"224", "640"})
  public int size;

  @Param({"false", "true"})
  public boolean boxes;

  private Example<BoxesTarget> example;
  private PolicyAugmenter<BoxesTarget> augmenter;
  private SplittableRandom rng;

  /** Builds the input and the one-op augmenter. */
  @Setup
  public void setUp() {
    Example<BoxesTarget> withBoxes = BenchmarkImages.detection(size);
    example =
        boxes
            ? withBoxes
            : new Example<>(
                withBoxes.image(), BoxesTarget.of(new float[0], new int[0]), withBoxes.origin());
    augmenter = Augmenters.op(OpSpec.of(op, 1.0, 7), OpConstants.detection());
    rng = new SplittableRandom(42);
  }

  /**
   * @return the augmented example (consumed by JMH)
   */
  @Benchmark
  public Example<BoxesTarget> augment() {
    return augmenter.augment(example, rng);
  }

  /**
   * @return the draw alone: what sampling costs without the kernels
   */
  @Benchmark
  public List<AugmentStep> sampleOnly() {
    return augmenter.sample(example, rng);
  }
}
