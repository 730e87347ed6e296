package io.selftrain.benchmarks.models;

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
 * {@link ModelBenchmark}'s forward pass and training step at batch sizes that fill a GPU: the same
 * models and code on the engine's default device, in batches of {@link #batch} images. Each call
 * runs {@value #IMAGES} / batch steps, so that the score stays images per second
 * ({@code @OperationsPerInvocation(}{@value #IMAGES}{@code )}) whatever the batch. Noisy Student
 * (Xie et al. 2020) trains its students in batches of thousands of images on accelerators (its
 * released code's default {@code train_batch_size} is 4096); batch 16, the CPU benchmark's, leaves
 * most of a GPU idle and times kernel launches rather than the model.
 *
 * <p>Meant for a GPU (on a CPU it runs, slowly). With a CUDA libtorch (see {@code
 * benchmarks/gpu/run.sh}):
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar GpuModelStepBenchmark -p model=efficientnet-b0 -p batch=256
 * java -jar benchmarks/target/benchmarks.jar GpuModelStepBenchmark -p model=cnn28-w48 -p batch=1024
 * </pre>
 *
 * {@code benchmarks/model_peer.py --device cuda --batch N} times PyTorch's own eager mode on the
 * same steps.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_interop_threads=1"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GpuModelStepBenchmark {
  /** Images per call: a multiple of every {@link #batch} value. */
  static final int IMAGES = 1024;

  /** The model, as in {@link ModelBenchmark#model}. */
  @Param({"efficientnet-b0", "cnn28-w48"})
  public String model;

  /** Images per batch: divides {@value #IMAGES}. */
  @Param({"256", "1024"})
  public int batch;

  /** PyTorch intra-op threads (host-side work only on a GPU). */
  @Param({"1"})
  public int threads;

  private ModelStep step;
  private int steps;

  /** Builds the model, its trainer and one batch on the engine's default device. */
  @Setup(Level.Trial)
  public void setUp() {
    if (batch <= 0 || IMAGES % batch != 0) {
      throw new IllegalArgumentException("batch must divide " + IMAGES + ": " + batch);
    }
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    steps = IMAGES / batch;
    step = ModelStep.create(model, batch);
  }

  /** Frees the native memory of the trial. */
  @TearDown(Level.Trial)
  public void tearDown() {
    step.close();
  }

  /**
   * Inference forward passes of {@value #IMAGES} images, one batch at a time.
   *
   * @return the sum of one output value per batch
   */
  @Benchmark
  @OperationsPerInvocation(IMAGES)
  public float forward() {
    float sum = 0;
    for (int i = 0; i < steps; i++) {
      sum += step.forward();
    }
    return sum;
  }

  /**
   * Training steps (forward, loss, backward, Adam) on {@value #IMAGES} images, one batch at a time.
   *
   * @return the sum of the batches' mean losses
   */
  @Benchmark
  @OperationsPerInvocation(IMAGES)
  public float trainStep() {
    float sum = 0;
    for (int i = 0; i < steps; i++) {
      sum += step.trainStep();
    }
    return sum;
  }
}
