package io.selftrain.benchmarks.models;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.selftrain.ClassTarget;
import io.selftrain.Student;
import io.selftrain.core.Engines;
import io.selftrain.models.ConvNetConfig;
import io.selftrain.models.ConvNets;
import io.selftrain.models.EfficientNet;
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
 * fraction.
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

  /** The model: a ConvNets CNN or an EfficientNet variant at its own resolution. */
  @Param({"cnn28-w48", "efficientnet-tiny28", "efficientnet-tiny64", "efficientnet-b0"})
  public String model;

  /** PyTorch intra-op threads. */
  @Param({"1"})
  public int threads;

  private Model djlModel;
  private Trainer trainer;
  private Student<ClassTarget> student;
  private NDArray images;
  private NDArray targets;

  static Student<ClassTarget> student(String name) {
    switch (name) {
      case "cnn28-w48":
        return ConvNets.student(
            ConvNetConfig.builder().width(48).dropout(0.3f).stochasticDepth(0.2f).build());
      case "efficientnet-tiny28":
        return EfficientNet.student(EfficientNet.tiny28());
      case "efficientnet-tiny64":
        return EfficientNet.student(EfficientNet.tiny64());
      case "efficientnet-b0":
        return EfficientNet.student(EfficientNet.b0());
      default:
        throw new IllegalArgumentException(
            "model must be one of cnn28-w48, efficientnet-tiny28, efficientnet-tiny64, efficientnet-b0: "
                + name);
    }
  }

  /**
   * Multiply-adds of one image's forward pass.
   *
   * @param name a {@link #model} value
   * @return the count
   */
  public static long multiplyAdds(String name) {
    switch (name) {
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
    Engine engine = Engines.load(Engines.PYTORCH);
    engine.setRandomSeed(0);
    student = student(model);
    djlModel = Model.newInstance(model, engine.defaultDevice(), "PyTorch");
    djlModel.setBlock(student.newBlock());
    trainer =
        djlModel.newTrainer(
            new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(
                    Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build()));
    Shape input = new Shape(BATCH).addAll(student.inputShape());
    trainer.initialize(input);
    NDManager manager = trainer.getManager();
    images = manager.randomUniform(0, 1, input);
    int classes = (int) djlModel.getBlock().getOutputShapes(new Shape[] {input})[0].get(1);
    targets =
        manager
            .randomInteger(0, classes, new Shape(BATCH), DataType.INT32)
            .oneHot(classes)
            .toType(DataType.FLOAT32, false);
  }

  /** Frees the native memory of the trial. */
  @TearDown(Level.Trial)
  public void tearDown() {
    trainer.close();
    djlModel.close();
  }

  /** Inference forward pass of one batch (no dropout, no stochastic depth). */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public float forward() {
    // Results attach to their input's manager: borrow the batch into the scope so they are freed
    // with it.
    try (NDManager scope = trainer.getManager().newSubManager()) {
      scope.tempAttachAll(images);
      NDList out =
          djlModel.getBlock().forward(new ParameterStore(scope, false), new NDList(images), false);
      return out.head().getFloat(0, 0);
    }
  }

  /** Forward (training mode), per-example loss, backward and Adam step on one batch. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public float trainStep() {
    float loss;
    try (NDManager scope = trainer.getManager().newSubManager()) {
      scope.tempAttachAll(images, targets);
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDArray l = student.lossPerExample(trainer.forward(new NDList(images)), targets).mean();
        loss = l.getFloat();
        collector.backward(l);
      }
      trainer.step();
    }
    return loss;
  }
}
