package io.selftrain;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * What a teacher predicts for one image: a target (probabilities, scored boxes or a mask) and one
 * overall confidence in [0, 1] used by confidence filters.
 *
 * @param target the predicted target
 * @param confidence overall confidence (top-1 probability for classification)
 * @param <T> the task's target type
 */
public record Prediction<T extends Target>(T target, float confidence) {
  /** Checks the target and the confidence range. */
  public Prediction {
    checkNotNull(target, "target");
    checkArgument(
        confidence >= 0f && confidence <= 1f, "confidence must be in [0, 1]: %s", confidence);
  }
}
