package io.selftrain;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * A detection target: K boxes as pixel corners {@code (x1, y1, x2, y2)} with {@code x1 < x2, y1 <
 * y2}, a class per box, and optional per-box scores (teacher confidence) and loss weights.
 */
public final class BoxesTarget implements Target {
  private final float[] boxes;
  private final int[] classes;
  private final float[] scores;
  private final float[] weights;

  private BoxesTarget(float[] boxes, int[] classes, float[] scores, float[] weights) {
    this.boxes = boxes;
    this.classes = classes;
    this.scores = scores;
    this.weights = weights;
  }

  /**
   * Boxes with classes; scores and weights default to 1. Arrays are copied.
   *
   * @param boxes 4K values, xyxy in pixels, each box with positive width and height
   * @param classes K non-negative class indices
   * @return the target
   */
  public static BoxesTarget of(float[] boxes, int[] classes) {
    checkNotNull(classes, "classes");
    float[] ones = new float[classes.length];
    Arrays.fill(ones, 1f);
    return of(boxes, classes, ones, ones);
  }

  /**
   * Boxes with classes, scores and weights. Arrays are copied.
   *
   * @param boxes 4K values, xyxy in pixels
   * @param classes K class indices
   * @param scores K scores in [0, 1]
   * @param weights K non-negative loss weights
   * @return the target
   */
  public static BoxesTarget of(float[] boxes, int[] classes, float[] scores, float[] weights) {
    checkNotNull(boxes, "boxes");
    checkNotNull(classes, "classes");
    checkNotNull(scores, "scores");
    checkNotNull(weights, "weights");
    int k = classes.length;
    checkArgument(
        boxes.length == 4 * k,
        "boxes must hold 4 values per class entry (%s): %s",
        4 * k,
        boxes.length);
    checkArgument(
        scores.length == k, "scores must have one value per box (%s): %s", k, scores.length);
    checkArgument(
        weights.length == k, "weights must have one value per box (%s): %s", k, weights.length);
    for (int i = 0; i < k; i++) {
      checkArgument(classes[i] >= 0, "classes[%s] must be non-negative: %s", i, classes[i]);
      checkArgument(
          boxes[4 * i] < boxes[4 * i + 2] && boxes[4 * i + 1] < boxes[4 * i + 3],
          "boxes[%s] must have x1 < x2 and y1 < y2: %s",
          i,
          Arrays.toString(Arrays.copyOfRange(boxes, 4 * i, 4 * i + 4)));
      checkArgument(
          scores[i] >= 0f && scores[i] <= 1f,
          "scores[%s] must be in [0, 1]: %s",
          i,
          Float.valueOf(scores[i]));
      checkArgument(
          weights[i] >= 0f, "weights[%s] must be non-negative: %s", i, Float.valueOf(weights[i]));
    }
    return new BoxesTarget(boxes.clone(), classes.clone(), scores.clone(), weights.clone());
  }

  /**
   * @return the number of boxes
   */
  public int size() {
    return classes.length;
  }

  /**
   * @return a copy of the 4K box corners, xyxy in pixels
   */
  public float[] boxes() {
    return boxes.clone();
  }

  /**
   * @return a copy of the K classes
   */
  public int[] classes() {
    return classes.clone();
  }

  /**
   * @return a copy of the K scores
   */
  public float[] scores() {
    return scores.clone();
  }

  /**
   * @return a copy of the K loss weights
   */
  public float[] weights() {
    return weights.clone();
  }

  /**
   * The boxes' indices by descending score, equal scores in index order: the order greedy NMS and
   * greedy matching visit boxes in.
   *
   * @return the indices {@code 0 .. size() - 1}
   */
  public int[] byDescendingScore() {
    return java.util.stream.IntStream.range(0, scores.length)
        .boxed()
        .sorted((a, b) -> Float.compare(scores[b], scores[a]))
        .mapToInt(Integer::intValue)
        .toArray();
  }

  /**
   * The boxes whose index passes a test, in their order, with their classes, scores and weights.
   *
   * @param keep tests a box's index
   * @return the selected boxes (this target when all pass)
   */
  public BoxesTarget select(java.util.function.IntPredicate keep) {
    int n = 0;
    for (int i = 0; i < classes.length; i++) {
      if (keep.test(i)) {
        n++;
      }
    }
    if (n == classes.length) {
      return this;
    }
    float[] b = new float[4 * n];
    int[] c = new int[n];
    float[] s = new float[n];
    float[] w = new float[n];
    int j = 0;
    for (int i = 0; i < classes.length; i++) {
      if (keep.test(i)) {
        System.arraycopy(boxes, 4 * i, b, 4 * j, 4);
        c[j] = classes[i];
        s[j] = scores[i];
        w[j] = weights[i];
        j++;
      }
    }
    return new BoxesTarget(b, c, s, w);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BoxesTarget other
        && Arrays.equals(other.boxes, boxes)
        && Arrays.equals(other.classes, classes)
        && Arrays.equals(other.scores, scores)
        && Arrays.equals(other.weights, weights);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(boxes) * 31 + Arrays.hashCode(classes);
  }

  @Override
  public String toString() {
    return "BoxesTarget[" + classes.length + " boxes]";
  }
}
