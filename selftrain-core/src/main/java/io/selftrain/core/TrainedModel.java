package io.selftrain.core;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Prediction;
import io.selftrain.Student;
import io.selftrain.Teacher;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A student's block with its parameters, owned by a DJL {@link Model}; once trained it serves as the
 * un-noised teacher of the next round (inference-mode forward passes: no dropout, no stochastic depth).
 */
final class TrainedModel implements Teacher<ClassTarget> {
  static final int INFERENCE_BATCH = 500;

  private final Student<ClassTarget> student;
  private final Model model;

  private TrainedModel(Student<ClassTarget> student, Model model) {
    this.student = student;
    this.model = model;
  }

  /** A fresh model with the student's block, initialised from the engine's (seeded) generator. */
  static TrainedModel create(Student<ClassTarget> student, String engine, Device device) {
    Model model = Model.newInstance(student.name(), device, engine);
    Block block = student.newBlock();
    model.setBlock(block);
    return new TrainedModel(student, model);
  }

  /** A model with the student's block and parameters read from a file written by {@link #save}. */
  static TrainedModel load(Student<ClassTarget> student, String engine, Device device, Path file) throws IOException {
    TrainedModel trained = create(student, engine, device);
    Block block = trained.model.getBlock();
    block.initialize(trained.model.getNDManager(), DataType.FLOAT32, inputShape(student, 1));
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      block.loadParameters(trained.model.getNDManager(), in);
    } catch (MalformedModelException e) {
      trained.close();
      throw new IOException("parameter file " + file + " does not fit " + student.name() + ": " + e.getMessage(), e);
    }
    return trained;
  }

  static Shape inputShape(Student<?> student, long batch) {
    return new Shape(batch).addAll(student.inputShape());
  }

  Model model() {
    return model;
  }

  Student<ClassTarget> student() {
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
  public List<Prediction<ClassTarget>> predict(List<Image> images) {
    try (NDManager scope = model.getNDManager().newSubManager()) {
      NDArray x = BatchEncoder.images(images, scope);
      NDList out = model.getBlock().forward(new ParameterStore(scope, false), new NDList(x), false);
      return student.decode(out);
    }
  }

  /** Predictions for every image, in batches, reporting progress after each batch. */
  List<Prediction<ClassTarget>> predictAll(List<Image> images, ProgressSink progress) {
    List<Prediction<ClassTarget>> out = new ArrayList<>(images.size());
    for (int start = 0; start < images.size(); start += INFERENCE_BATCH) {
      out.addAll(predict(images.subList(start, Math.min(images.size(), start + INFERENCE_BATCH))));
      progress.done(out.size(), images.size());
    }
    return out;
  }

  /** Top-1 accuracy on labeled examples, as a fraction. */
  double top1(List<Example<ClassTarget>> examples) {
    List<Image> images = new ArrayList<>(examples.size());
    for (Example<ClassTarget> e : examples) {
      images.add(e.image());
    }
    List<Prediction<ClassTarget>> predictions = predictAll(images, (done, total) -> {});
    int correct = 0;
    for (int i = 0; i < examples.size(); i++) {
      if (predictions.get(i).target().classIndex() == examples.get(i).target().classIndex()) {
        correct++;
      }
    }
    return (double) correct / examples.size();
  }

  @Override
  public void close() {
    model.close();
  }

  /** Receives progress of a long pass. */
  interface ProgressSink {
    void done(int done, int total);
  }
}
