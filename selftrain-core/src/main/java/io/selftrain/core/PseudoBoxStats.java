package io.selftrain.core;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a detection pseudo-labeling pass kept, and how good it was when the pool's true boxes are
 * known (the diagnostic for choosing the score threshold).
 *
 * @param pool images in the unlabeled pool
 * @param kept pseudo-labeled images the student trains on (with boxes, plus background images if
 *     kept)
 * @param imagesWithBoxes images with at least one kept box
 * @param boxes kept boxes (positives; ignored regions not counted)
 * @param ignored uncertain detections kept as ignored regions (weight 0)
 * @param perClass kept boxes per class
 * @param scoreHistogram every teacher detection (not only kept ones) by score, in ten bins of width
 *     0.1
 * @param meanScore mean score of the kept boxes (0 when none)
 * @param precision50 of the kept boxes, the fraction matching a true box of their class at IoU 0.5
 *     (greedy by score, each true box matched once); -1 when the pool's truth is unknown or nothing
 *     was kept
 * @param recall50 of the pool's true boxes, the fraction matched by a kept box; -1 when unknown
 */
public record PseudoBoxStats(
    int pool,
    int kept,
    int imagesWithBoxes,
    int boxes,
    int ignored,
    int[] perClass,
    int[] scoreHistogram,
    double meanScore,
    double precision50,
    double recall50)
    implements PseudoSummary {
  /** Copies the arrays. */
  public PseudoBoxStats {
    perClass = perClass.clone();
    scoreHistogram = scoreHistogram.clone();
  }

  /**
   * @return kept boxes per image with at least one
   */
  public double boxesPerImage() {
    return imagesWithBoxes == 0 ? 0 : (double) boxes / imagesWithBoxes;
  }

  @Override
  public int[] perClass() {
    return perClass.clone();
  }

  @Override
  public int[] scoreHistogram() {
    return scoreHistogram.clone();
  }

  @Override
  public double meanConfidence() {
    return meanScore;
  }

  @Override
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pool", pool);
    m.put("kept", kept);
    m.put("images", imagesWithBoxes);
    m.put("boxes", boxes);
    m.put("ignored", ignored);
    m.put("boxesPerImage", boxesPerImage());
    m.put("perClass", perClass.clone());
    m.put("scoreHistogram", scoreHistogram.clone());
    m.put("meanScore", meanScore);
    m.put("precision50", precision50);
    m.put("recall50", recall50);
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PseudoBoxStats s
        && s.pool == pool
        && s.kept == kept
        && s.imagesWithBoxes == imagesWithBoxes
        && s.boxes == boxes
        && s.ignored == ignored
        && Arrays.equals(s.perClass, perClass)
        && Arrays.equals(s.scoreHistogram, scoreHistogram)
        && Double.compare(s.meanScore, meanScore) == 0
        && Double.compare(s.precision50, precision50) == 0
        && Double.compare(s.recall50, recall50) == 0;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(perClass) * 31 + boxes;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%d of %d images with boxes, %d boxes (%.2f per image), mean score %.3f, precision@0.5 %.3f, recall@0.5 %.3f",
        imagesWithBoxes,
        pool,
        boxes,
        boxesPerImage(),
        meanScore,
        precision50,
        recall50);
  }
}
