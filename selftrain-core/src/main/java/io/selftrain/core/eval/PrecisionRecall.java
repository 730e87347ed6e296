package io.selftrain.core.eval;

import static io.selftrain.core.eval.CocoParams.AREA_RANGES;
import static io.selftrain.core.eval.CocoParams.EPS;
import static io.selftrain.core.eval.CocoParams.IOU_THRESHOLDS;
import static io.selftrain.core.eval.CocoParams.MAX_DETECTIONS;
import static io.selftrain.core.eval.CocoParams.RECALL_THRESHOLDS;

import java.util.Arrays;
import java.util.List;

/**
 * Interpolated precision at the 101 recall points and final recall, per IoU threshold, category,
 * area range and detection limit: pycocotools' {@code COCOeval.accumulate}. Arrays are laid out as
 * numpy's: precision {@code [T][R][K][A][M]}, recall {@code [T][K][A][M]}, -1 where undefined.
 *
 * <p>For one category, area range and limit, the first {@code limit} detections of every image are
 * pooled and sorted by descending score (ties by image id, then by rank within the image). Walking
 * down that list, recall is true positives over the objects that are not ignored, and precision is
 * true positives over true plus false positives (plus {@code numpy.spacing(1)}); ignored detections
 * count as neither. Precision is made non-increasing from the right, and the value at each recall
 * point is the precision of the first detection whose recall reaches it, or 0 if none does.
 * Settings without any object to find stay -1.
 */
final class PrecisionRecall {
  static final int T = IOU_THRESHOLDS.length;
  static final int R = RECALL_THRESHOLDS.length;
  static final int A = AREA_RANGES.length;
  static final int M = MAX_DETECTIONS.length;

  final int numCategories;
  final double[] precision;
  final double[] recall;

  PrecisionRecall(int numCategories) {
    this.numCategories = numCategories;
    this.precision = new double[T * R * numCategories * A * M];
    this.recall = new double[T * numCategories * A * M];
    Arrays.fill(precision, -1);
    Arrays.fill(recall, -1);
  }

  int precisionIndex(int t, int r, int k, int a, int m) {
    return (((t * R + r) * numCategories + k) * A + a) * M + m;
  }

  int recallIndex(int t, int k, int a, int m) {
    return ((t * numCategories + k) * A + a) * M + m;
  }

  /**
   * Fills in category {@code k}.
   *
   * @param images the evaluations of the images with objects or detections of this category, by
   *     ascending image id
   */
  void add(int k, List<ImageEvaluation> images) {
    if (images.isEmpty()) {
      return;
    }
    int[] objects = new int[A];
    for (ImageEvaluation image : images) {
      for (int a = 0; a < A; a++) {
        objects[a] += image.objects[a];
      }
    }
    for (int m = 0; m < M; m++) {
      int limit = MAX_DETECTIONS[m];
      int n = 0;
      for (ImageEvaluation image : images) {
        n += Math.min(image.scores.length, limit);
      }
      double[] scores = new double[n];
      int[] imageOf = new int[n];
      int[] rankOf = new int[n];
      int j = 0;
      for (int i = 0; i < images.size(); i++) {
        ImageEvaluation image = images.get(i);
        for (int d = 0; d < Math.min(image.scores.length, limit); d++, j++) {
          scores[j] = image.scores[d];
          imageOf[j] = i;
          rankOf[j] = d;
        }
      }
      int[] order = StableOrder.descending(scores);
      double[] rc = new double[n];
      double[] pr = new double[n];
      for (int a = 0; a < A; a++) {
        if (objects[a] == 0) {
          continue;
        }
        for (int t = 0; t < T; t++) {
          double tp = 0;
          double fp = 0;
          for (int s = 0; s < n; s++) {
            ImageEvaluation image = images.get(imageOf[order[s]]);
            byte outcome = image.outcomes[a][t * image.scores.length + rankOf[order[s]]];
            if (outcome == ImageEvaluation.TRUE_POSITIVE) {
              tp++;
            } else if (outcome == ImageEvaluation.FALSE_POSITIVE) {
              fp++;
            }
            rc[s] = tp / objects[a];
            pr[s] = tp / (fp + tp + EPS);
          }
          recall[recallIndex(t, k, a, m)] = n > 0 ? rc[n - 1] : 0;
          for (int s = n - 1; s > 0; s--) {
            if (pr[s] > pr[s - 1]) {
              pr[s - 1] = pr[s];
            }
          }
          // searchsorted(rc, recThrs, side='left'): the first s with rc[s] >= threshold; past the
          // end is 0.
          int s = 0;
          for (int r = 0; r < R; r++) {
            while (s < n && rc[s] < RECALL_THRESHOLDS[r]) {
              s++;
            }
            precision[precisionIndex(t, r, k, a, m)] = s < n ? pr[s] : 0;
          }
        }
      }
    }
  }
}
