package io.selftrain.core;

import io.selftrain.BoxesTarget;
import io.selftrain.Prediction;
import io.selftrain.PseudoLabel;
import io.selftrain.internal.BoxIou;
import java.util.List;

/** Computes {@link PseudoBoxStats} for one detection pseudo-labeling pass. */
final class PseudoBoxStatistics {
  /** The IoU at which a pseudo box counts as finding a true box. */
  static final double MATCH_IOU = 0.5;

  private PseudoBoxStatistics() {}

  /**
   * Statistics of a pass.
   *
   * @param predictions the teacher's detections for every pool image
   * @param labels the selected pseudo labels
   * @param truth the pool's true boxes, or null when unknown
   * @param numClasses the classes
   * @return the statistics
   */
  static PseudoBoxStats of(
      List<Prediction<BoxesTarget>> predictions,
      List<PseudoLabel<BoxesTarget>> labels,
      List<BoxesTarget> truth,
      int numClasses) {
    int[] histogram = new int[10];
    for (Prediction<BoxesTarget> p : predictions) {
      if (p == null) {
        continue; // an unreadable image, skipped
      }
      for (float s : p.target().scores()) {
        histogram[Math.min(9, (int) (s * 10))]++;
      }
    }
    int[] perClass = new int[numClasses];
    int images = 0;
    int boxes = 0;
    int ignored = 0;
    double scoreSum = 0;
    long matched = 0;
    for (PseudoLabel<BoxesTarget> label : labels) {
      BoxesTarget positives = positives(label.target());
      ignored += label.target().size() - positives.size();
      if (positives.size() > 0) {
        images++;
      }
      boxes += positives.size();
      for (int k : positives.classes()) {
        perClass[k]++;
      }
      for (float s : positives.scores()) {
        scoreSum += s;
      }
      if (truth != null) {
        matched += matches(positives, truth.get(label.poolIndex()));
      }
    }
    double precision = -1;
    double recall = -1;
    if (truth != null) {
      long trueBoxes = 0;
      for (BoxesTarget t : truth) {
        trueBoxes += t.size();
      }
      precision = boxes == 0 ? -1 : (double) matched / boxes;
      recall = trueBoxes == 0 ? -1 : (double) matched / trueBoxes;
    }
    return new PseudoBoxStats(
        predictions.size(),
        labels.size(),
        images,
        boxes,
        ignored,
        perClass,
        histogram,
        boxes == 0 ? 0 : scoreSum / boxes,
        precision,
        recall);
  }

  /** The boxes of positive weight (ignored regions left out). */
  static BoxesTarget positives(BoxesTarget target) {
    float[] weights = target.weights();
    return target.select(i -> weights[i] > 0);
  }

  /**
   * How many of {@code pseudo}'s boxes match a true box of their class at IoU of at least 0.5:
   * greedily by descending score, each true box matched at most once, to the unmatched true box of
   * highest IoU.
   */
  static int matches(BoxesTarget pseudo, BoxesTarget truth) {
    float[] p = pseudo.boxes();
    int[] pc = pseudo.classes();
    float[] t = truth.boxes();
    int[] tc = truth.classes();
    boolean[] used = new boolean[tc.length];
    int found = 0;
    for (int i : pseudo.byDescendingScore()) {
      int best = -1;
      double bestIou = MATCH_IOU;
      for (int j = 0; j < tc.length; j++) {
        if (used[j] || tc[j] != pc[i]) {
          continue;
        }
        double iou = BoxIou.of(p, i, t, j);
        if (iou >= bestIou) {
          bestIou = iou;
          best = j;
        }
      }
      if (best >= 0) {
        used[best] = true;
        found++;
      }
    }
    return found;
  }
}
