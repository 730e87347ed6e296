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

/**
 * One model on the engine's default device with its Adam trainer and one batch of random images and
 * one-hot targets: the work that {@link ModelBenchmark} and {@link GpuModelStepBenchmark} time.
 * Both steps end by reading one value back to the host, which waits for the device to finish the
 * step (on a GPU the kernels run asynchronously; on the CPU the read is free).
 */
final class ModelStep implements AutoCloseable {
  private final Model djlModel;
  private final Trainer trainer;
  private final Student<ClassTarget> student;
  private final NDArray images;
  private final NDArray targets;

  private ModelStep(String model, int batch) {
    Engine engine = Engines.load(Engines.PYTORCH);
    engine.setRandomSeed(0);
    student = ModelBenchmark.student(model);
    djlModel = Model.newInstance(model, engine.defaultDevice(), "PyTorch");
    djlModel.setBlock(student.newBlock());
    trainer =
        djlModel.newTrainer(
            new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(
                    Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build()));
    Shape input = new Shape(batch).addAll(student.inputShape());
    trainer.initialize(input);
    NDManager manager = trainer.getManager();
    images = manager.randomUniform(0, 1, input);
    int classes = (int) djlModel.getBlock().getOutputShapes(new Shape[] {input})[0].get(1);
    targets =
        manager
            .randomInteger(0, classes, new Shape(batch), DataType.INT32)
            .oneHot(classes)
            .toType(DataType.FLOAT32, false);
  }

  /**
   * Builds the model, its trainer and one batch on the engine's default device.
   *
   * @param model a {@link ModelBenchmark#model} value
   * @param batch images per batch
   * @return the step, to be closed
   */
  static ModelStep create(String model, int batch) {
    return new ModelStep(model, batch);
  }

  /**
   * Inference forward pass of the batch (no dropout, no stochastic depth).
   *
   * @return one output value, read back to the host
   */
  float forward() {
    // Results attach to their input's manager: borrow the batch into the scope so they are freed
    // with it.
    try (NDManager scope = trainer.getManager().newSubManager()) {
      scope.tempAttachAll(images);
      NDList out =
          djlModel.getBlock().forward(new ParameterStore(scope, false), new NDList(images), false);
      return out.head().getFloat(0, 0);
    }
  }

  /**
   * Forward (training mode), per-example loss, backward and Adam step on the batch.
   *
   * @return the batch's mean loss, read back after the update
   */
  float trainStep() {
    try (NDManager scope = trainer.getManager().newSubManager()) {
      scope.tempAttachAll(images, targets);
      NDArray loss;
      try (GradientCollector collector = trainer.newGradientCollector()) {
        loss = student.lossPerExample(trainer.forward(new NDList(images)), targets).mean();
        collector.backward(loss);
      }
      trainer.step();
      return loss.getFloat();
    }
  }

  /** Frees the trainer's and the model's native memory. */
  @Override
  public void close() {
    trainer.close();
    djlModel.close();
  }
}
