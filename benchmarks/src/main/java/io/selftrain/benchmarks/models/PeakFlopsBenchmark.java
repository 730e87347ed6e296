package io.selftrain.benchmarks.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.selftrain.core.Engines;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's measured float32 peak on DJL's PyTorch engine: {@value #N}x{@value #N} matrix
 * products per second ({@code 2 N^3} FLOPs each), the reference for {@link ModelBenchmark}'s
 * fraction of peak.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_interop_threads=1"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PeakFlopsBenchmark {
  static final int N = 1024;

  /** PyTorch intra-op threads. */
  @Param({"1"})
  public int threads;

  private NDManager manager;
  private NDArray a;
  private NDArray b;

  /** Sets the PyTorch thread count and builds the two random matrices. */
  @Setup(Level.Trial)
  public void setUp() {
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    manager = Engines.load(Engines.PYTORCH).newBaseManager();
    a = manager.randomUniform(-1, 1, new Shape(N, N));
    b = manager.randomUniform(-1, 1, new Shape(N, N));
  }

  /** Frees the native memory of the trial. */
  @TearDown(Level.Trial)
  public void tearDown() {
    manager.close();
  }

  /** One {@code N x N} by {@code N x N} float32 product. */
  @Benchmark
  public float matmul() {
    try (NDManager scope = manager.newSubManager()) {
      NDArray c = a.matMul(b);
      c.attach(scope);
      return c.getFloat(0, 0);
    }
  }
}
