package io.selftrain.models.detection;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDArray;
import io.selftrain.internal.Scalars;

/**
 * RetinaNet's losses, per element and unreduced (the caller sums over non-ignored anchors and
 * divides by the number of positives): the sigmoid focal loss (Lin et al. 2017, Eq. 5; TF detection
 * {@code focal_loss}, alpha 0.25, gamma 1.5 in {@code retinanet_config.py}) and the Huber box loss
 * (delta 0.1, weight 50 in the same config).
 */
public final class DetectionLosses {
  /** Focal loss alpha of the RetinaNet config. */
  public static final float FOCAL_ALPHA = 0.25f;

  /** Focal loss gamma of the RetinaNet config (the paper's ablations use 2). */
  public static final float FOCAL_GAMMA = 1.5f;

  /** Huber delta of the RetinaNet config. */
  public static final float HUBER_DELTA = 0.1f;

  private DetectionLosses() {}

  /**
   * Sigmoid focal loss {@code -alpha_t (1 - p_t)^gamma log(p_t)} per element, computed from logits
   * in a form that is finite with finite gradients for any finite logit: {@code log(p_t) =
   * -softplus(-z_t)} and {@code (1 - p_t)^gamma = exp(-gamma softplus(z_t))} with {@code z_t =
   * logit} for a positive target and {@code -logit} for a negative one.
   *
   * @param logits any shape
   * @param targets same shape, 1 for the positive class and 0 otherwise
   * @param alpha weight of positives in [0, 1]; negatives get {@code 1 - alpha}
   * @param gamma focusing exponent, non-negative
   * @return the loss, shape of {@code logits}
   */
  public static NDArray focal(NDArray logits, NDArray targets, float alpha, float gamma) {
    checkArgument(alpha >= 0f && alpha <= 1f, "alpha must be in [0, 1]: %s", alpha);
    checkArgument(gamma >= 0f, "gamma must be non-negative: %s", gamma);
    checkArgument(
        logits.getShape().equals(targets.getShape()),
        "targets must have the shape of logits %s: %s",
        logits.getShape(),
        targets.getShape());
    NDArray sign = targets.mul(2f).sub(1f); // +1 positive, -1 negative
    NDArray zt = logits.mul(sign);
    NDArray crossEntropy = softplus(zt.neg());
    NDArray modulator = softplus(zt).mul(Scalars.like(zt, -gamma)).exp();
    NDArray alphaT = targets.mul(2f * alpha - 1f).add(1f - alpha);
    return alphaT.mul(modulator).mul(crossEntropy);
  }

  /**
   * Huber loss per element: {@code 0.5 e^2} for {@code |e| <= delta}, else {@code delta (|e| - 0.5
   * delta)}, with {@code e = prediction - target} (as {@code tf.losses.huber_loss}).
   *
   * @param predictions any shape
   * @param targets same shape
   * @param delta positive threshold between the quadratic and linear parts
   * @return the loss, shape of {@code predictions}
   */
  public static NDArray huber(NDArray predictions, NDArray targets, float delta) {
    checkArgument(delta > 0f, "delta must be positive: %s", delta);
    NDArray error = predictions.sub(targets).abs();
    NDArray threshold = Scalars.like(error, delta);
    NDArray quadratic = error.minimum(threshold);
    return quadratic
        .square()
        .mul(Scalars.like(error, 0.5f))
        .add(error.sub(quadratic).mul(threshold));
  }

  /** {@code log(1 + exp(x)) = max(x, 0) + log(1 + exp(-|x|))}, without overflow. */
  static NDArray softplus(NDArray x) {
    return x.maximum(Scalars.like(x, 0f)).add(x.abs().neg().exp().add(1f).log());
  }
}
