package io.selftrain.core.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static io.selftrain.core.eval.CocoParams.ALL;
import static io.selftrain.core.eval.CocoParams.LARGE;
import static io.selftrain.core.eval.CocoParams.MEDIUM;
import static io.selftrain.core.eval.CocoParams.SMALL;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * COCO box AP and AR, the same numbers as pycocotools' {@code COCOeval(gt, dt, 'bbox')} after
 * {@code evaluate(); accumulate(); summarize()} with the default parameters.
 *
 * <pre>{@code
 * DetectionMetrics metrics = CocoEvaluator.evaluate(CocoGroundTruth.load(annotations), detections);
 * double ap = metrics.ap();
 * }</pre>
 *
 * <h2>What is computed</h2>
 *
 * <p>All images and categories of the ground truth are evaluated, with IoU thresholds
 * 0.50:0.05:0.95, 101 recall points, at most 1, 10 and 100 detections per image <em>and
 * category</em>, and the area ranges all, small (at most 32²), medium (32² to 96²) and large (at
 * least 96²), both ends included. An object's size is its {@code area}; a detection's is {@code w *
 * h}. In each image and category, detections are matched to objects greedily by descending score
 * (ties in input order); crowd regions and objects outside the area range are ignored: detections
 * matched to them, and unmatched detections outside the area range, count as neither true nor false
 * positives. Precision is interpolated (made non-increasing) and read at the 101 recall points.
 * Each of the twelve numbers is the mean over the entries that are defined (not -1), or -1 if none
 * is.
 *
 * <h2>Matching pycocotools to the last bit</h2>
 *
 * <p>The IoU formula, the thresholds (as {@code numpy.linspace} computes them), the stable score
 * sorts, the {@code numpy.spacing(1)} in precision, the {@code searchsorted(side='left')} lookup
 * and numpy's pairwise summation in the means are all reproduced, so results equal pycocotools' up
 * to the last bits (the tests compare against pycocotools' own output). Like pycocotools, a match
 * to an annotation with id 0 counts as no match (ids from 1, as in COCO files, avoid this).
 *
 * <h2>Inputs pycocotools treats differently</h2>
 *
 * <ul>
 *   <li>A detection whose image is not in the ground truth is an error ({@link
 *       IllegalArgumentException}); pycocotools fails an assertion.
 *   <li>A detection whose category is not in the ground truth is skipped, as pycocotools skips it.
 *   <li>An empty list of detections gives 0 wherever there are objects (pycocotools' {@code
 *       loadRes} rejects an empty list).
 * </ul>
 *
 * <p>Work is grouped by category and image, so time grows with the number of detections and
 * objects, not with their product across images.
 */
public final class CocoEvaluator {
  private CocoEvaluator() {}

  /**
   * Scores detections against a ground truth.
   *
   * @param truth the ground truth
   * @param detections the detections of any images of the ground truth, in any order (the order
   *     breaks score ties within an image, as in pycocotools)
   * @return the twelve COCO numbers
   * @throws IllegalArgumentException if a detection's image is not an image of the ground truth
   */
  public static DetectionMetrics evaluate(CocoGroundTruth truth, List<CocoDetection> detections) {
    checkNotNull(truth, "truth");
    CocoDetection[] dets = checkNotNull(detections, "detections").toArray(new CocoDetection[0]);
    long[] imageIds = truth.sortedImageIds();
    int[] categoryIds = truth.sortedCategoryIds();
    List<CocoAnnotation> annotations = truth.annotations();

    // Group objects and detections by category, then by image: keys (image index << 32 | input
    // position).
    int numCategories = categoryIds.length;
    long[][] objectKeys = new long[numCategories][];
    long[][] detectionKeys = new long[numCategories][];
    int[] objectCounts = new int[numCategories];
    int[] detectionCounts = new int[numCategories];
    int[] objectCategory = new int[annotations.size()];
    int[] objectImage = new int[annotations.size()];
    for (int i = 0; i < annotations.size(); i++) {
      CocoAnnotation a = annotations.get(i);
      objectCategory[i] = Arrays.binarySearch(categoryIds, a.categoryId());
      objectImage[i] = Arrays.binarySearch(imageIds, a.imageId());
      objectCounts[objectCategory[i]]++;
    }
    int[] detectionCategory = new int[dets.length];
    int[] detectionImage = new int[dets.length];
    for (int i = 0; i < dets.length; i++) {
      CocoDetection d = checkNotNull(dets[i], "detections[%s]", i);
      detectionImage[i] = Arrays.binarySearch(imageIds, d.imageId());
      checkArgument(
          detectionImage[i] >= 0,
          "detections[%s].imageId must be an image of the ground truth: %s",
          i,
          d.imageId());
      detectionCategory[i] = Arrays.binarySearch(categoryIds, d.categoryId());
      if (detectionCategory[i] >= 0) {
        detectionCounts[detectionCategory[i]]++;
      }
    }
    for (int k = 0; k < numCategories; k++) {
      objectKeys[k] = new long[objectCounts[k]];
      detectionKeys[k] = new long[detectionCounts[k]];
      objectCounts[k] = 0;
      detectionCounts[k] = 0;
    }
    for (int i = 0; i < objectCategory.length; i++) {
      int k = objectCategory[i];
      objectKeys[k][objectCounts[k]++] = (long) objectImage[i] << 32 | i;
    }
    for (int i = 0; i < detectionCategory.length; i++) {
      int k = detectionCategory[i];
      if (k >= 0) {
        detectionKeys[k][detectionCounts[k]++] = (long) detectionImage[i] << 32 | i;
      }
    }

    PrecisionRecall pr = new PrecisionRecall(numCategories);
    List<CocoAnnotation> imageObjects = new ArrayList<>();
    List<CocoDetection> imageDetections = new ArrayList<>();
    for (int k = 0; k < numCategories; k++) {
      long[] objects = objectKeys[k];
      long[] detected = detectionKeys[k];
      Arrays.sort(objects);
      Arrays.sort(detected);
      objectKeys[k] = null;
      detectionKeys[k] = null;
      List<ImageEvaluation> images = new ArrayList<>();
      int g = 0;
      int d = 0;
      while (g < objects.length || d < detected.length) {
        int image =
            (int)
                Math.min(
                    g < objects.length ? objects[g] >>> 32 : Integer.MAX_VALUE,
                    d < detected.length ? detected[d] >>> 32 : Integer.MAX_VALUE);
        imageObjects.clear();
        imageDetections.clear();
        for (; g < objects.length && objects[g] >>> 32 == image; g++) {
          imageObjects.add(annotations.get((int) objects[g]));
        }
        for (; d < detected.length && detected[d] >>> 32 == image; d++) {
          imageDetections.add(dets[(int) detected[d]]);
        }
        images.add(ImageEvaluation.of(imageObjects, imageDetections));
      }
      pr.add(k, images);
    }
    return summarize(pr);
  }

  /** pycocotools' {@code summarize()} for boxes. */
  private static DetectionMetrics summarize(PrecisionRecall pr) {
    int m100 = PrecisionRecall.M - 1;
    return new DetectionMetrics(
        precision(pr, -1, ALL, m100),
        precision(pr, 0, ALL, m100),
        precision(pr, 5, ALL, m100),
        precision(pr, -1, SMALL, m100),
        precision(pr, -1, MEDIUM, m100),
        precision(pr, -1, LARGE, m100),
        recall(pr, ALL, 0),
        recall(pr, ALL, 1),
        recall(pr, ALL, m100),
        recall(pr, SMALL, m100),
        recall(pr, MEDIUM, m100),
        recall(pr, LARGE, m100));
  }

  /**
   * The mean precision over IoU threshold {@code t} (all if -1), recall points and categories, in
   * numpy's element order, of the entries above -1.
   */
  private static double precision(PrecisionRecall pr, int t, int a, int m) {
    int from = t < 0 ? 0 : t;
    int to = t < 0 ? PrecisionRecall.T : t + 1;
    double[] values = new double[(to - from) * PrecisionRecall.R * pr.numCategories];
    int n = 0;
    for (int ti = from; ti < to; ti++) {
      for (int r = 0; r < PrecisionRecall.R; r++) {
        for (int k = 0; k < pr.numCategories; k++) {
          double value = pr.precision[pr.precisionIndex(ti, r, k, a, m)];
          if (value > -1) {
            values[n++] = value;
          }
        }
      }
    }
    return PairwiseSum.meanOrMinusOne(values, n);
  }

  /**
   * The mean recall over IoU thresholds and categories, in numpy's element order, of the entries
   * above -1.
   */
  private static double recall(PrecisionRecall pr, int a, int m) {
    double[] values = new double[PrecisionRecall.T * pr.numCategories];
    int n = 0;
    for (int t = 0; t < PrecisionRecall.T; t++) {
      for (int k = 0; k < pr.numCategories; k++) {
        double value = pr.recall[pr.recallIndex(t, k, a, m)];
        if (value > -1) {
          values[n++] = value;
        }
      }
    }
    return PairwiseSum.meanOrMinusOne(values, n);
  }
}
