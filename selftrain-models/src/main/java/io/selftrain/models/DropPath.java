package io.selftrain.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Drop connect / stochastic depth on a residual branch (Huang et al. 2016; {@code drop_connect} in the
 * EfficientNet code): during training each example's branch is kept with probability {@code survival} and
 * divided by {@code survival} when kept, so its expectation is unchanged; in inference it is the identity.
 */
final class DropPath {
  private DropPath() {}

  /**
   * Applies drop path to a batch.
   *
   * @param branch the residual branch, batch first
   * @param survival keep probability, in (0, 1]
   * @param training whether this is a training forward pass
   * @return {@code branch} itself in inference or when {@code survival == 1}, else {@code branch * mask /
   *     survival} with one Bernoulli(survival) value per example
   */
  static NDArray apply(NDArray branch, float survival, boolean training) {
    if (!training || survival >= 1f) {
      return branch;
    }
    long[] dims = new long[branch.getShape().dimension()];
    java.util.Arrays.fill(dims, 1L);
    dims[0] = branch.getShape().get(0);
    // The mask is a float 0/1 array built on the branch's manager (so it is freed with the step), never a
    // boolean array multiplied directly, and the division is by a constant in (0, 1].
    NDArray mask =
        branch
            .getManager()
            .randomUniform(0f, 1f, new Shape(dims), branch.getDataType())
            .lt(survival)
            .toType(branch.getDataType(), false);
    return branch.mul(mask.div(survival));
  }
}
