package io.selftrain.core.label;

import io.selftrain.BoxesTarget;
import io.selftrain.Prediction;
import io.selftrain.PseudoLabel;
import io.selftrain.PseudoLabeler;
import io.selftrain.internal.BoxIou;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Detection pseudo labels by {@link BoxPseudoLabelConfig}: every teacher box with a score at or
 * above the threshold, with its class and score (weight 1); per-image, so it draws nothing from the
 * generator. A kept image's confidence is the mean score of its boxes; a background image's is 1
 * minus the best score the teacher gave any box in it.
 */
final class BoxPseudoLabeler implements PseudoLabeler<BoxesTarget> {
  /**
   * The overlap at which a better box of another class suppresses one (RetinaNet's NMS threshold).
   */
  static final double CROSS_CLASS_IOU = 0.5;

  private final BoxPseudoLabelConfig config;

  BoxPseudoLabeler(BoxPseudoLabelConfig config) {
    this.config = config;
  }

  @Override
  public List<PseudoLabel<BoxesTarget>> select(
      List<Prediction<BoxesTarget>> predictions, SplittableRandom rng) {
    List<PseudoLabel<BoxesTarget>> labels = new ArrayList<>();
    for (int i = 0; i < predictions.size(); i++) {
      if (predictions.get(i) == null) {
        continue; // an unreadable image, skipped
      }
      BoxesTarget detections = predictions.get(i).target();
      if (config.crossClassNms()) {
        detections = crossClassNms(detections, CROSS_CLASS_IOU);
      }
      double ignore = config.ignoreScore() > 0 ? config.ignoreScore() : config.scoreThreshold();
      BoxesTarget kept = keep(detections, (float) config.scoreThreshold(), (float) ignore);
      int positives = 0;
      double sum = 0;
      float[] scores = kept.scores();
      float[] weights = kept.weights();
      for (int k = 0; k < scores.length; k++) {
        if (weights[k] > 0) {
          positives++;
          sum += scores[k];
        }
      }
      if (positives > 0) {
        labels.add(new PseudoLabel<>(i, kept, (float) Math.min(1.0, sum / positives)));
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

  /**
   * The boxes of {@code detections} scoring at least {@code ignore}, in their order: weight 1 from
   * {@code threshold} on, weight 0 (an ignored region) below it.
   */
  static BoxesTarget keep(BoxesTarget detections, float threshold, float ignore) {
    float[] scores = detections.scores();
    float[] weights = new float[scores.length];
    for (int i = 0; i < scores.length; i++) {
      weights[i] = scores[i] >= threshold ? 1f : 0f;
    }
    return BoxesTarget.of(detections.boxes(), detections.classes(), scores, weights)
        .select(i -> scores[i] >= ignore);
  }

  /**
   * Greedy NMS over all classes: by descending score (ties in order), a box is dropped when it
   * overlaps a kept one at IoU {@code iou} or more.
   */
  static BoxesTarget crossClassNms(BoxesTarget detections, double iou) {
    float[] boxes = detections.boxes();
    boolean[] keep = new boolean[detections.size()];
    List<Integer> kept = new ArrayList<>();
    for (int i : detections.byDescendingScore()) {
      boolean suppressed = false;
      for (int j : kept) {
        if (BoxIou.of(boxes, i, boxes, j) >= iou) {
          suppressed = true;
          break;
        }
      }
      if (!suppressed) {
        kept.add(i);
        keep[i] = true;
      }
    }
    return detections.select(i -> keep[i]);
  }

  @Override
  public String describe() {
    return config.describe();
  }
}
