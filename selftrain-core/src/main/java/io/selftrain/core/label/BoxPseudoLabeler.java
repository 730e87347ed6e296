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
 * Detection pseudo labels by {@link BoxPseudoLabelConfig}: every teacher box with a score at or above the
 * threshold, with its class and score (weight 1); per-image, so it draws nothing from the generator. A kept
 * image's confidence is the mean score of its boxes; a background image's is 1 minus the best score the
 * teacher gave any box in it.
 */
final class BoxPseudoLabeler implements PseudoLabeler<BoxesTarget> {
  /** The overlap at which a better box of another class suppresses one (RetinaNet's NMS threshold). */
  static final double CROSS_CLASS_IOU = 0.5;
  private final BoxPseudoLabelConfig config;

  BoxPseudoLabeler(BoxPseudoLabelConfig config) {
    this.config = config;
  }

  @Override
  public List<PseudoLabel<BoxesTarget>> select(List<Prediction<BoxesTarget>> predictions, SplittableRandom rng) {
    List<PseudoLabel<BoxesTarget>> labels = new ArrayList<>();
    for (int i = 0; i < predictions.size(); i++) {
      BoxesTarget detections = predictions.get(i).target();
      if (config.crossClassNms()) {
        detections = crossClassNms(detections, CROSS_CLASS_IOU);
      }
      BoxesTarget kept = keep(detections, (float) config.scoreThreshold());
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
    float[] scores = detections.scores();
    boolean[] keep = new boolean[scores.length];
    for (int i = 0; i < scores.length; i++) {
      keep[i] = scores[i] >= threshold;
    }
    return subset(detections, keep);
  }

  /**
   * Greedy NMS over all classes: by descending score (ties in order), a box is dropped when it overlaps a kept
   * one at IoU {@code iou} or more.
   */
  static BoxesTarget crossClassNms(BoxesTarget detections, double iou) {
    float[] boxes = detections.boxes();
    float[] scores = detections.scores();
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
    boolean[] keep = new boolean[scores.length];
    List<Integer> kept = new ArrayList<>();
    for (int i : order) {
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
    return subset(detections, keep);
  }

  /** The boxes whose flag is set, in their order, with weight 1. */
  private static BoxesTarget subset(BoxesTarget detections, boolean[] keep) {
    float[] boxes = detections.boxes();
    int[] classes = detections.classes();
    float[] scores = detections.scores();
    int n = 0;
    for (boolean k : keep) {
      if (k) {
        n++;
      }
    }
    float[] keptBoxes = new float[4 * n];
    int[] keptClasses = new int[n];
    float[] keptScores = new float[n];
    float[] weights = new float[n];
    int j = 0;
    for (int i = 0; i < scores.length; i++) {
      if (keep[i]) {
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
