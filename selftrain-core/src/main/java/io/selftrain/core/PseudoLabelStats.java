package io.selftrain.core;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a pseudo-labeling pass kept.
 *
 * @param pool images in the unlabeled pool
 * @param kept selected pseudo labels (duplicates from class balancing counted)
 * @param unique distinct pool images among them
 * @param perClass kept labels per (arg-max) class
 * @param meanConfidence mean teacher top-1 probability of the kept labels
 * @param teacherMeanConfidence mean teacher top-1 probability over the whole pool
 */
public record PseudoLabelStats(
    int pool,
    int kept,
    int unique,
    int[] perClass,
    double meanConfidence,
    double teacherMeanConfidence)
    implements PseudoSummary {
  /** Copies the per-class counts. */
  public PseudoLabelStats {
    perClass = perClass.clone();
  }

  @Override
  public int[] perClass() {
    return perClass.clone();
  }

  @Override
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pool", pool);
    m.put("kept", kept);
    m.put("unique", unique);
    m.put("perClass", perClass.clone());
    m.put("meanConfidence", meanConfidence);
    m.put("teacherMeanConfidence", teacherMeanConfidence);
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PseudoLabelStats s
        && s.pool == pool
        && s.kept == kept
        && s.unique == unique
        && Arrays.equals(s.perClass, perClass)
        && Double.compare(s.meanConfidence, meanConfidence) == 0
        && Double.compare(s.teacherMeanConfidence, teacherMeanConfidence) == 0;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(perClass) * 31 + kept;
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "kept %d of %d (%d unique), mean confidence %.3f, per class %s",
        kept,
        pool,
        unique,
        meanConfidence,
        Arrays.toString(perClass));
  }
}
