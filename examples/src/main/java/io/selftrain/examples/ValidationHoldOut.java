package io.selftrain.examples;

import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.core.data.LabeledImages;
import io.selftrain.core.data.SemiSupervisedSplit;
import java.util.Arrays;
import java.util.List;

/**
 * The validation images of {@code classify --eval validation}: a class-stratified sample of the
 * training set drawn with one fixed seed, so every run, whatever its seed or label count, is scored
 * on the same images and chooses its recipe without touching the test set; the labeled set and the
 * pool come from the rest.
 *
 * @param validation the held-out examples
 * @param rest the training set without them, in its original order
 */
record ValidationHoldOut(List<Example<ClassTarget>> validation, LabeledImages rest) {
  /** The seed of the hold-out, never a run's. */
  static final long SEED = 20261204L;

  /**
   * Holds {@code size} images out of {@code train}.
   *
   * @throws IllegalArgumentException if a class has fewer images than its share
   */
  static ValidationHoldOut of(LabeledImages train, int size) {
    SemiSupervisedSplit heldOut = SemiSupervisedSplit.of(train, size, 0, SEED);
    int[] rest = heldOut.unlabeledIndices().clone();
    Arrays.sort(rest);
    return new ValidationHoldOut(heldOut.labeled().toExamples(), train.subset(rest));
  }
}
