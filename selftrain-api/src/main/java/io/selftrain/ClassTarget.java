package io.selftrain;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * A classification target: a hard class index or a probability vector over classes (soft label, as
 * the Noisy Student teacher produces with {@code teacher_softmax_temp = 1}; Xie et al. 2020, Sec.
 * 2).
 */
public final class ClassTarget implements Target {
  private static final float SUM_TOLERANCE = 1e-3f;

  private final float[] probabilities;
  private final int classIndex;
  private final boolean hard;

  private ClassTarget(float[] probabilities, int classIndex, boolean hard) {
    this.probabilities = probabilities;
    this.classIndex = classIndex;
    this.hard = hard;
  }

  /**
   * A hard (one-hot) target.
   *
   * @param classIndex the class, in [0, numClasses)
   * @param numClasses the number of classes, at least 2
   * @return the target
   */
  public static ClassTarget index(int classIndex, int numClasses) {
    checkArgument(numClasses >= 2, "numClasses must be at least 2: %s", numClasses);
    checkArgument(
        classIndex >= 0 && classIndex < numClasses,
        "classIndex must be in [0, %s): %s",
        numClasses,
        classIndex);
    float[] p = new float[numClasses];
    p[classIndex] = 1f;
    return new ClassTarget(p, classIndex, true);
  }

  /**
   * A soft target; the vector is copied.
   *
   * @param probabilities non-negative values summing to 1 (within 1e-3), at least 2 of them
   * @return the target
   */
  public static ClassTarget probabilities(float[] probabilities) {
    checkNotNull(probabilities, "probabilities");
    checkArgument(
        probabilities.length >= 2,
        "probabilities must have at least 2 classes: %s",
        probabilities.length);
    double sum = 0;
    int best = 0;
    for (int k = 0; k < probabilities.length; k++) {
      float p = probabilities[k];
      checkArgument(
          p >= 0f && p <= 1f + SUM_TOLERANCE,
          "probabilities[%s] must be in [0, 1]: %s",
          k,
          Float.valueOf(p));
      sum += p;
      if (p > probabilities[best]) {
        best = k;
      }
    }
    checkArgument(Math.abs(sum - 1.0) <= SUM_TOLERANCE, "probabilities must sum to 1: %s", sum);
    return new ClassTarget(probabilities.clone(), best, false);
  }

  /**
   * @return the number of classes
   */
  public int numClasses() {
    return probabilities.length;
  }

  /**
   * @return the class with the highest probability (the label itself for a hard target)
   */
  public int classIndex() {
    return classIndex;
  }

  /**
   * @return the probability of {@link #classIndex()}
   */
  public float confidence() {
    return probabilities[classIndex];
  }

  /**
   * @return whether this target is one-hot
   */
  public boolean isHard() {
    return hard;
  }

  /**
   * @return a copy of the probability vector (one-hot for a hard target)
   */
  public float[] probabilities() {
    return probabilities.clone();
  }

  /**
   * Writes the probability vector into {@code dest} without allocating.
   *
   * @param dest destination array
   * @param offset first index written
   */
  public void copyProbabilitiesTo(float[] dest, int offset) {
    System.arraycopy(probabilities, 0, dest, offset, probabilities.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClassTarget other
        && other.hard == hard
        && Arrays.equals(other.probabilities, probabilities);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(probabilities) * 2 + (hard ? 1 : 0);
  }

  @Override
  public String toString() {
    return hard
        ? "ClassTarget[" + classIndex + "]"
        : "ClassTarget" + Arrays.toString(probabilities);
  }
}
