package io.selftrain.core;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a segmentation pseudo-labeling pass kept, and how good it was when the pool's true masks are
 * known (the diagnostic for choosing the pixel threshold).
 *
 * @param pool images in the unlabeled pool
 * @param kept pseudo-labeled images the student trains on
 * @param labeledFraction of all the pool's pixels, the fraction that became pseudo-labeled pixels
 *     (pixels of dropped images count as unlabeled)
 * @param classHistogram pseudo-labeled pixels per class
 * @param meanConfidence the mean teacher probability of the pseudo-labeled pixels (0 when none)
 * @param pixelAccuracy of the pseudo-labeled pixels whose true class is known (not 255), the
 *     fraction labeled with it; -1 when the pool's truth is unknown or no such pixel exists
 */
public record PseudoMaskStats(
    int pool,
    int kept,
    double labeledFraction,
    long[] classHistogram,
    double meanConfidence,
    double pixelAccuracy)
    implements PseudoSummary {
  /** Copies the histogram. */
  public PseudoMaskStats {
    classHistogram = classHistogram.clone();
  }

  @Override
  public long[] classHistogram() {
    return classHistogram.clone();
  }

  /**
   * @return pseudo-labeled pixels in all
   */
  public long labeledPixels() {
    return Arrays.stream(classHistogram).sum();
  }

  @Override
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pool", pool);
    m.put("kept", kept);
    m.put("images", kept);
    m.put("labeledFraction", labeledFraction);
    m.put("classHistogram", classHistogram.clone());
    m.put("meanConfidence", meanConfidence);
    m.put("pixelAccuracy", pixelAccuracy);
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PseudoMaskStats s
        && s.pool == pool
        && s.kept == kept
        && Double.compare(s.labeledFraction, labeledFraction) == 0
        && Arrays.equals(s.classHistogram, classHistogram)
        && Double.compare(s.meanConfidence, meanConfidence) == 0
        && Double.compare(s.pixelAccuracy, pixelAccuracy) == 0;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(classHistogram) * 31 + kept;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%d of %d images, %.1f%% of pixels labeled, mean confidence %.3f, pixel accuracy %s",
        kept,
        pool,
        100 * labeledFraction,
        meanConfidence,
        pixelAccuracy < 0 ? "unknown" : String.format(Locale.ROOT, "%.3f", pixelAccuracy));
  }
}
