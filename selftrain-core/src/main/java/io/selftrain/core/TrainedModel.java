package io.selftrain.core;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.selftrain.Image;
import io.selftrain.Prediction;
import io.selftrain.Student;
import io.selftrain.Target;
import io.selftrain.Teacher;
import io.selftrain.models.internal.ModelTeacher;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A student's block with its parameters, owned by a DJL {@link Model}; once trained it serves as
 * the un-noised teacher of the next round (inference-mode forward passes: no dropout, no stochastic
 * depth).
 */
final class TrainedModel<T extends Target> implements Teacher<T> {
  private final Student<T> student;
  private final Model model;

  /** Inference over the same model; not closed separately (closing this closes the model). */
  private final ModelTeacher<T> inference;

  private TrainedModel(Student<T> student, Model model) {
    this.student = student;
    this.model = model;
    this.inference = new ModelTeacher<>("trained", student, model);
  }

  /** A fresh model with the student's block, initialised from the engine's (seeded) generator. */
  static <T extends Target> TrainedModel<T> create(
      Student<T> student, String engine, Device device) {
    Model model = Model.newInstance(student.name(), device, engine);
    Block block = student.newBlock();
    model.setBlock(block);
    return new TrainedModel<>(student, model);
  }

  /**
   * A fresh model with the student's block, its parameters set by {@code init} (random: drawn from
   * the engine's generator now).
   */
  static <T extends Target> TrainedModel<T> create(
      Student<T> student, String engine, Device device, Initialization init) throws IOException {
    TrainedModel<T> trained = create(student, engine, device);
    try {
      init.initialize(
          trained.model.getBlock(),
          trained.model.getNDManager(),
          inputShape(student, 1),
          student.name());
      Block block = trained.model.getBlock();
      if (!block.isInitialized()) {
        // random initialisation from the engine's generator, here rather than in the trainer so
        // that the
        // caller decides what else may draw from that generator meanwhile
        block.initialize(
            trained.model.getNDManager(), trained.model.getDataType(), inputShape(student, 1));
      }
    } catch (IOException | RuntimeException e) {
      trained.close();
      throw e;
    }
    return trained;
  }

  /** A model with the student's block and parameters read from a file written by {@link #save}. */
  static <T extends Target> TrainedModel<T> load(
      Student<T> student, String engine, Device device, Path file) throws IOException {
    TrainedModel<T> trained = create(student, engine, device);
    try {
      Initialization.load(
          file,
          trained.model.getBlock(),
          trained.model.getNDManager(),
          inputShape(student, 1),
          student.name());
    } catch (IOException | RuntimeException e) {
      trained.close();
      throw e;
    }
    return trained;
  }

  static Shape inputShape(Student<?> student, long batch) {
    return new Shape(batch).addAll(student.inputShape());
  }

  Model model() {
    return model;
  }

  Student<T> student() {
    return student;
  }

  void save(WorkDirectory dir, String relative) throws IOException {
    dir.writeAtomically(
        relative,
        out -> {
          DataOutputStream data = new DataOutputStream(out);
          model.getBlock().saveParameters(data);
          data.flush();
        });
  }

  @Override
  public List<Prediction<T>> predict(List<Image> images) {
    return inference.predict(images);
  }

  @Override
  public void close() {
    model.close();
  }
}
