package io.selftrain.core.label;

import io.selftrain.BoxesTarget;
import io.selftrain.Prediction;
import io.selftrain.PseudoLabel;
import io.selftrain.PseudoLabeler;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Detection pseudo labels by {@link BoxPseudoLabelConfig}: every teacher box with a score at or above the
 * threshold, with its class and score (weight 1); per-image, so it draws nothing from the generator. A kept
 * image's confidence is the mean score of its boxes; a background image's is 1 minus the best score the
 * teacher gave any box in it.
 */
final class BoxPseudoLabeler implements PseudoLabeler<BoxesTarget> {
  private final BoxPseudoLabelConfig config;

  BoxPseudoLabeler(BoxPseudoLabelConfig config) {
    this.config = config;
  }

  @Override
  public List<PseudoLabel<BoxesTarget>> select(List<Prediction<BoxesTarget>> predictions, SplittableRandom rng) {
    List<PseudoLabel<BoxesTarget>> labels = new ArrayList<>();
    for (int i = 0; i < predictions.size(); i++) {
      BoxesTarget kept = keep(predictions.get(i).target(), (float) config.scoreThreshold());
      if (kept.size() > 0) {
        float[] scores = kept.scores();
        double sum = 0;
        for (float s : scores) {
          sum += s;
        }
        labels.add(new PseudoLabel<>(i, kept, (float) Math.min(1.0, sum / scores.length)));
      } else if (config.keepEmpty()) {
        float best = 0f;
        for (float s : predictions.get(i).target().scores()) {
          best = Math.max(best, s);
        }
        labels.add(new PseudoLabel<>(i, kept, 1f - best));
      }
    }
    return labels;
  }

  /** The boxes of {@code detections} scoring at least {@code threshold}, in their order. */
  static BoxesTarget keep(BoxesTarget detections, float threshold) {
    float[] boxes = detections.boxes();
    int[] classes = detections.classes();
    float[] scores = detections.scores();
    int n = 0;
    for (float s : scores) {
      if (s >= threshold) {
        n++;
      }
    }
    float[] keptBoxes = new float[4 * n];
    int[] keptClasses = new int[n];
    float[] keptScores = new float[n];
    float[] weights = new float[n];
    int j = 0;
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] >= threshold) {
        System.arraycopy(boxes, 4 * i, keptBoxes, 4 * j, 4);
        keptClasses[j] = classes[i];
        keptScores[j] = scores[i];
        weights[j] = 1f;
        j++;
      }
    }
    return BoxesTarget.of(keptBoxes, keptClasses, keptScores, weights);
  }

  @Override
  public String describe() {
    return config.describe();
  }
}
