package io.selftrain.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Prediction;
import io.selftrain.Student;
import io.selftrain.Target;
import io.selftrain.Teacher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Classification teachers from trained DJL models, and whole-dataset passes of any teacher (batched
 * predictions with progress, top-1 accuracy).
 */
public final class Teachers {
  /** Images per {@link Teacher#predict} call. */
  static final int INFERENCE_BATCH = 500;

  private Teachers() {}

  /** Receives progress of a long pass. */
  public interface ProgressSink {
    /**
     * Called after each batch.
     *
     * @param done images predicted so far
     * @param total images in the pass
     */
    void done(int done, int total);
  }

  /**
   * A trained model as an un-noised teacher (inference-mode forward passes: no dropout, no
   * stochastic depth), for instance a {@link ClassificationRun#fitFirstTeacher()} result or a DJL
   * checkpoint.
   *
   * @param architecture the model's architecture
   * @param parameters its parameters (not random)
   * @param engine the DJL engine that runs it, such as {@link Engines#PYTORCH}
   * @return the teacher; close it to free its native memory
   * @throws IllegalArgumentException if {@code parameters} is random or the engine is absent
   * @throws IOException naming the file, if the parameters cannot be read or do not fit
   */
  public static <T extends Target> Teacher<T> trained(
      Student<T> architecture, Initialization parameters, String engine) throws IOException {
    checkNotNull(architecture, "architecture");
    checkArgument(
        parameters.file().isPresent(), "parameters must come from a file, not %s", parameters);
    return TrainedModel.create(
        architecture, engine, Engines.load(engine).defaultDevice(), parameters);
  }

  /**
   * Predictions for every image, in batches, reporting progress after each batch.
   *
   * @param teacher the teacher
   * @param images the images
   * @param progress receives (done, total) after each batch
   * @return one prediction per image, in order
   * @throws IllegalStateException if the teacher returns a wrong number of predictions
   */
  public static <T extends Target> List<Prediction<T>> predictAll(
      Teacher<T> teacher, List<Image> images, ProgressSink progress) {
    return predictAll(teacher, images, INFERENCE_BATCH, progress);
  }

  /**
   * Predictions for every image, in batches of a given size, reporting progress after each batch.
   *
   * @param teacher the teacher
   * @param images the images
   * @param batchSize images per {@link Teacher#predict} call: large for small classification
   *     inputs, small for detection and segmentation, whose outputs per image are large
   * @param progress receives (done, total) after each batch
   * @return one prediction per image, in order
   * @throws IllegalStateException if the teacher returns a wrong number of predictions
   */
  public static <T extends Target> List<Prediction<T>> predictAll(
      Teacher<T> teacher, List<Image> images, int batchSize, ProgressSink progress) {
    checkArgument(batchSize >= 1, "batchSize must be positive: %s", batchSize);
    List<Prediction<T>> out = new ArrayList<>(images.size());
    for (int start = 0; start < images.size(); start += batchSize) {
      List<Prediction<T>> batch =
          teacher.predict(images.subList(start, Math.min(images.size(), start + batchSize)));
      if (batch.size() != Math.min(batchSize, images.size() - start)) {
        throw new IllegalStateException(
            "teacher "
                + teacher.describe()
                + " returned "
                + batch.size()
                + " predictions for "
                + Math.min(batchSize, images.size() - start)
                + " images");
      }
      out.addAll(batch);
      progress.done(out.size(), images.size());
    }
    return out;
  }

  /**
   * Top-1 accuracy on labeled examples.
   *
   * @param teacher the teacher
   * @param examples labeled examples
   * @return the fraction whose arg-max prediction is the label, in [0, 1]
   */
  public static double top1(Teacher<ClassTarget> teacher, List<Example<ClassTarget>> examples) {
    List<Image> images = new ArrayList<>(examples.size());
    for (Example<ClassTarget> e : examples) {
      images.add(e.image());
    }
    List<Prediction<ClassTarget>> predictions = predictAll(teacher, images, (done, total) -> {});
    int correct = 0;
    for (int i = 0; i < examples.size(); i++) {
      if (predictions.get(i).target().classIndex() == examples.get(i).target().classIndex()) {
        correct++;
      }
    }
    return (double) correct / examples.size();
  }
}
