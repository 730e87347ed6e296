package io.selftrain.augment;

import static com.google.common.base.Preconditions.checkState;

import org.immutables.value.Value;

/**
 * One entry of a policy table: an op, the probability that it runs, and its level, as the tuples
 * {@code ('Equalize', 0.8, 1)} of the TF AutoAugment policies (reference/paper-spec.md Sec. 4.3).
 */
@Value.Immutable
public interface OpSpec {
  /**
   * @return the operation
   */
  @Value.Parameter
  AugmentOp op();

  /**
   * @return the probability that the op runs (for box-only ops: 3x the per-box probability)
   */
  @Value.Parameter
  double probability();

  /**
   * @return the level; 10 is TF's maximum, larger values extrapolate
   */
  @Value.Parameter
  double level();

  /** Checks ranges. */
  @Value.Check
  default void check() {
    checkState(
        probability() >= 0 && probability() <= 1,
        "probability must be in [0, 1]: %s",
        probability());
    checkState(
        level() >= 0 && Double.isFinite(level()),
        "level must be finite and non-negative: %s",
        level());
  }

  /**
   * @param op the operation
   * @param probability the probability that it runs, in [0, 1]
   * @param level the level, at least 0
   * @return the entry
   */
  static OpSpec of(AugmentOp op, double probability, double level) {
    return ImmutableOpSpec.of(op, probability, level);
  }

  /**
   * An entry written with the TF name, as in the published tables ({@code "Rotate_BBox"} and {@code
   * "Rotate"} are the same op here).
   *
   * @param tfName the TF op name
   * @param probability the probability
   * @param level the level
   * @return the entry
   */
  static OpSpec of(String tfName, double probability, double level) {
    return of(AugmentOp.ofTfName(tfName), probability, level);
  }
}
