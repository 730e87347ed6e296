package io.selftrain.core.eval;

import static io.selftrain.core.eval.CocoParams.AREA_RANGES;
import static io.selftrain.core.eval.CocoParams.IOU_THRESHOLDS;
import static io.selftrain.core.eval.CocoParams.MAX_DETECTIONS;
import static io.selftrain.core.eval.CocoParams.MAX_START_IOU;

import java.util.Arrays;
import java.util.List;

/**
 * The detections of one image and one category matched to its objects, at every IoU threshold and
 * for every area range: pycocotools' {@code COCOeval.evaluateImg} (with {@code computeIoU}) for
 * boxes.
 *
 * <h2>Rules (as in pycocotools)</h2>
 *
 * <ul>
 *   <li>Detections are taken by descending score, ties in input order, and only the first 100
 *       count.
 *   <li>An object is ignored if it is a crowd region or its {@code area} is outside the range;
 *       ignored objects are tried after all others.
 *   <li>Each detection takes the object with the highest IoU of at least the threshold (starting
 *       from {@code min(threshold, 1 - 1e-10)}; on equal IoU the later object), skipping objects
 *       already taken unless they are crowd regions, and not moving on to ignored objects once it
 *       has a regular one.
 *   <li>A detection that takes an ignored object is ignored. A detection that takes nothing, or
 *       takes an object with id 0 (pycocotools records matches by object id, 0 meaning none), is a
 *       false positive, unless its box area {@code w * h} is outside the range, when it is ignored.
 * </ul>
 *
 * <p>The IoU of a crowd region is intersection over the detection's area (the share of the
 * detection inside the region); of any other object, intersection over union. Boxes that only touch
 * have IoU 0.
 */
final class ImageEvaluation {
  static final byte FALSE_POSITIVE = 0;
  static final byte TRUE_POSITIVE = 1;
  static final byte IGNORED = 2;

  private static final int MAX_DETS = MAX_DETECTIONS[MAX_DETECTIONS.length - 1];

  /** Scores of the detections kept, highest first (ties in input order). */
  final double[] scores;

  /** {@code [area][threshold * scores.length + detection]}: one of the three outcomes. */
  final byte[][] outcomes;

  /** {@code [area]}: the objects that are not ignored (the ones recall counts). */
  final int[] objects;

  private ImageEvaluation(double[] scores, byte[][] outcomes, int[] objects) {
    this.scores = scores;
    this.outcomes = outcomes;
    this.objects = objects;
  }

  /**
   * Matches the detections of one image and category to its objects.
   *
   * @param truth the objects, in ground-truth order
   * @param detections the detections, in input order
   */
  static ImageEvaluation of(List<CocoAnnotation> truth, List<CocoDetection> detections) {
    double[] allScores = new double[detections.size()];
    for (int i = 0; i < allScores.length; i++) {
      allScores[i] = detections.get(i).score();
    }
    int[] byScore = StableOrder.descending(allScores);
    int numDetections = Math.min(byScore.length, MAX_DETS);
    CocoDetection[] dets = new CocoDetection[numDetections];
    double[] scores = new double[numDetections];
    for (int d = 0; d < numDetections; d++) {
      dets[d] = detections.get(byScore[d]);
      scores[d] = dets[d].score();
    }
    int numObjects = truth.size();
    double[] ious = ious(dets, truth);

    int numThresholds = IOU_THRESHOLDS.length;
    byte[][] outcomes = new byte[AREA_RANGES.length][numThresholds * numDetections];
    int[] objects = new int[AREA_RANGES.length];
    // Per area range: objects in the order they are tried (regular first), their ignore and crowd
    // flags.
    int[] order = new int[numObjects];
    boolean[] ignored = new boolean[numObjects];
    boolean[] crowd = new boolean[numObjects];
    boolean[] taken = new boolean[numObjects];
    boolean[] outside = new boolean[numDetections];
    for (int a = 0; a < AREA_RANGES.length; a++) {
      double lo = AREA_RANGES[a][0];
      double hi = AREA_RANGES[a][1];
      int regular = 0;
      for (CocoAnnotation object : truth) {
        if (!ignores(object, lo, hi)) {
          regular++;
        }
      }
      objects[a] = regular;
      int nextRegular = 0;
      int nextIgnored = regular;
      for (int g = 0; g < numObjects; g++) {
        CocoAnnotation object = truth.get(g);
        int position = ignores(object, lo, hi) ? nextIgnored++ : nextRegular++;
        order[position] = g;
        ignored[position] = position >= regular;
        crowd[position] = object.crowd();
      }
      for (int d = 0; d < numDetections; d++) {
        double area = dets[d].w() * dets[d].h();
        outside[d] = area < lo || area > hi;
      }
      for (int t = 0; t < numThresholds; t++) {
        Arrays.fill(taken, false);
        for (int d = 0; d < numDetections; d++) {
          double best = Math.min(IOU_THRESHOLDS[t], MAX_START_IOU);
          int match = -1;
          for (int p = 0; p < numObjects; p++) {
            if (taken[p] && !crowd[p]) {
              continue;
            }
            if (match > -1 && !ignored[match] && ignored[p]) {
              break;
            }
            double iou = ious[d * numObjects + order[p]];
            if (iou < best) {
              continue;
            }
            best = iou;
            match = p;
          }
          byte outcome;
          if (match == -1) {
            outcome = outside[d] ? IGNORED : FALSE_POSITIVE;
          } else {
            taken[match] = true;
            boolean counted = truth.get(order[match]).id() != 0;
            if (ignored[match] || (!counted && outside[d])) {
              outcome = IGNORED;
            } else {
              outcome = counted ? TRUE_POSITIVE : FALSE_POSITIVE;
            }
          }
          outcomes[a][t * numDetections + d] = outcome;
        }
      }
    }
    return new ImageEvaluation(scores, outcomes, objects);
  }

  private static boolean ignores(CocoAnnotation object, double lo, double hi) {
    return object.crowd() || object.area() < lo || object.area() > hi;
  }

  /**
   * {@code [detection * objects + object]}: the IoU of each pair, as pycocotools' {@code bbIou}
   * computes it.
   */
  private static double[] ious(CocoDetection[] dets, List<CocoAnnotation> truth) {
    int numObjects = truth.size();
    double[] ious = new double[dets.length * numObjects];
    for (int g = 0; g < numObjects; g++) {
      CocoAnnotation object = truth.get(g);
      double objectArea = object.w() * object.h();
      for (int d = 0; d < dets.length; d++) {
        CocoDetection det = dets[d];
        double width =
            Math.min(det.x() + det.w(), object.x() + object.w()) - Math.max(det.x(), object.x());
        if (width <= 0) {
          continue;
        }
        double height =
            Math.min(det.y() + det.h(), object.y() + object.h()) - Math.max(det.y(), object.y());
        if (height <= 0) {
          continue;
        }
        double intersection = width * height;
        double detArea = det.w() * det.h();
        double union = object.crowd() ? detArea : detArea + objectArea - intersection;
        ious[d * numObjects + g] = intersection / union;
      }
    }
    return ious;
  }
}
