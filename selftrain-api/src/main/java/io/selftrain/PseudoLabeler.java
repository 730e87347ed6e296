package io.selftrain;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns a teacher's predictions over the whole unlabeled pool into training targets: per-example
 * rules (hard or soft labels, confidence threshold) and pool-wide rules (per-class balancing by
 * duplication and down-sampling, Xie et al. 2020, Sec. 3.1 "Data filtering and balancing").
 *
 * @param <T> the task's target type
 */
public interface PseudoLabeler<T extends Target> {
  /**
   * Selects pseudo labels.
   *
   * @param predictions the teacher's predictions, index i for pool image i; null for an image that
   *     could not be read and was skipped (it gets no label)
   * @param rng the generator for any random choice (down-sampling, fractional duplication)
   * @return the selected labels, ordered by pool index
   */
  List<PseudoLabel<T>> select(List<Prediction<T>> predictions, SplittableRandom rng);

  /**
   * @return a description of the rules for reports, such as {@code "soft(T=1.0) min=0.30"}
   */
  String describe();
}
