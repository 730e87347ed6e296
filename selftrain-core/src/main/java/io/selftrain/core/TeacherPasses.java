package io.selftrain.core;

import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Prediction;
import io.selftrain.Teacher;
import java.util.ArrayList;
import java.util.List;

/** Whole-dataset passes of any classification teacher: batched predictions with progress, and top-1. */
final class TeacherPasses {
  /** Images per {@link Teacher#predict} call. */
  static final int INFERENCE_BATCH = 500;

  private TeacherPasses() {}

  /** Receives progress of a long pass. */
  interface ProgressSink {
    void done(int done, int total);
  }

  /** Predictions for every image, in batches, reporting progress after each batch. */
  static List<Prediction<ClassTarget>> predictAll(Teacher<ClassTarget> teacher, List<Image> images, ProgressSink progress) {
    List<Prediction<ClassTarget>> out = new ArrayList<>(images.size());
    for (int start = 0; start < images.size(); start += INFERENCE_BATCH) {
      List<Prediction<ClassTarget>> batch = teacher.predict(images.subList(start, Math.min(images.size(), start + INFERENCE_BATCH)));
      if (batch.size() != Math.min(INFERENCE_BATCH, images.size() - start)) {
        throw new IllegalStateException(
            "teacher " + teacher.describe() + " returned " + batch.size() + " predictions for "
                + Math.min(INFERENCE_BATCH, images.size() - start) + " images");
      }
      out.addAll(batch);
      progress.done(out.size(), images.size());
    }
    return out;
  }

  /** Top-1 accuracy on labeled examples, as a fraction. */
  static double top1(Teacher<ClassTarget> teacher, List<Example<ClassTarget>> examples) {
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
