package io.selftrain.core;

import java.util.Map;

/**
 * What one pseudo-labeling pass produced, in the task's own terms: {@link PseudoLabelStats} for
 * classification, {@link PseudoBoxStats} for detection.
 */
public interface PseudoSummary {
  /**
   * @return images in the unlabeled pool
   */
  int pool();

  /**
   * @return pseudo-labeled examples the student trains on (images for detection)
   */
  int kept();

  /**
   * @return the mean teacher confidence of what was kept (class probability, or box score for
   *     detection)
   */
  double meanConfidence();

  /**
   * @return every statistic by name, as written to the work directory and {@code result.json}
   */
  Map<String, Object> asMap();
}
