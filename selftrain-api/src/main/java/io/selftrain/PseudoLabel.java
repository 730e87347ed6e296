package io.selftrain;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * A selected pseudo label: which unlabeled image it belongs to, the training target and the
 * teacher's confidence. Class balancing may select the same image more than once.
 *
 * @param poolIndex index of the image in the unlabeled pool
 * @param target the target the student trains on
 * @param confidence the teacher's confidence in [0, 1]
 * @param <T> the task's target type
 */
public record PseudoLabel<T extends Target>(int poolIndex, T target, float confidence) {
  /** Checks the index, the target and the confidence. */
  public PseudoLabel {
    checkArgument(poolIndex >= 0, "poolIndex must be non-negative: %s", poolIndex);
    checkNotNull(target, "target");
    checkArgument(
        confidence >= 0f && confidence <= 1f, "confidence must be in [0, 1]: %s", confidence);
  }
}
