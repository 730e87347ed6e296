package io.selftrain.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.selftrain.TrainingNoise;

/**
 * Drop connect / stochastic depth on a residual branch (Huang et al. 2016; {@code drop_connect} in
 * the EfficientNet code): during training each example's branch is kept with probability {@code
 * survival} and divided by {@code survival} when kept, so its expectation is unchanged; in
 * inference it is the identity. The mask is drawn from {@link TrainingNoise}.
 */
final class DropPath {
  private DropPath() {}

  /**
   * Applies drop path to a batch.
   *
   * @param branch the residual branch, batch first
   * @param survival keep probability, in (0, 1]
   * @param training whether this is a training forward pass
   * @return {@code branch} itself in inference or when {@code survival == 1}, else {@code branch *
   *     mask / survival} with one Bernoulli(survival) value per example
   */
  static NDArray apply(NDArray branch, float survival, boolean training) {
    if (!training || survival >= 1f) {
      return branch;
    }
    long[] dims = new long[branch.getShape().dimension()];
    java.util.Arrays.fill(dims, 1L);
    dims[0] = branch.getShape().get(0);
    // One 0 / (1 / survival) value per example, from the thread's TrainingNoise stream when one is
    // bound.
    return branch.mul(
        TrainingNoise.keepMask(
            branch.getManager(), new Shape(dims), survival, branch.getDataType()));
  }
}
