package io.selftrain.augment;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * The sampled parameters of one {@link AugmentOp}: its argument after the level-to-argument mapping
 * and the random sign (degrees, shear, pixels, bits, threshold, factor, pad size or pad fraction; 0
 * for ops without one), the per-box probability of {@code *_Only_BBoxes} ops, and a seed from which
 * the op draws its remaining choices (Cutout centre, which box BBox_Cutout cuts, which boxes a
 * box-only op touches and in what order) once the image size and boxes are known.
 *
 * @param op the operation
 * @param argument the op's argument (see {@link AugmentOp#argument})
 * @param boxProbability for {@code *_Only_BBoxes} ops, the probability that each box is changed
 *     (TF: the sub-policy probability divided by 3); 0 for other ops
 * @param seed the op's own random seed
 */
public record OpParams(AugmentOp op, double argument, double boxProbability, long seed)
    implements AugmentStep {
  /** Checks that the op is set and the numbers are finite. */
  public OpParams {
    checkNotNull(op, "op");
    checkArgument(Double.isFinite(argument), "argument must be finite: %s", argument);
    checkArgument(
        boxProbability >= 0 && boxProbability <= 1,
        "boxProbability must be in [0, 1]: %s",
        boxProbability);
  }
}
