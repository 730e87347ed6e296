package io.selftrain.core;

import io.selftrain.Metrics;

/**
 * One round: the teacher's and the student's metrics on the validation set and what pseudo-labeling
 * kept.
 *
 * @param round the round, from 1
 * @param teacher the teacher's metrics (top-1; the COCO AP family for detection)
 * @param student the student's metrics
 * @param pseudo pseudo-label statistics ({@link PseudoLabelStats} for classification, {@link
 *     PseudoBoxStats} for detection)
 */
public record RoundResult(int round, Metrics teacher, Metrics student, PseudoSummary pseudo) {
  /**
   * @return the teacher's top-1 accuracy, a fraction in [0, 1] (classification)
   */
  public double teacherTop1() {
    return teacher.get("top1");
  }

  /**
   * @return the student's top-1 accuracy, a fraction in [0, 1] (classification)
   */
  public double studentTop1() {
    return student.get("top1");
  }
}
