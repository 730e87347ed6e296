package io.selftrain.models.detection;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.selftrain.internal.Scalars;

/**
 * RetinaNet's loss for every example of a batch (Lin et al. 2017, Sec. 4; TF detection {@code
 * modeling/losses.py} {@code RetinanetClassLoss}, {@code RetinanetBoxLoss}), from the block's
 * outputs and the {@link RetinaNetLabeler} targets. For an example with {@code P} positive anchors:
 *
 * <pre>
 * class = sum over non-ignored anchors a and classes k of w_a * focal(z_ak, [label_a == k]) / max(1, P)
 * box   = sum over positive anchors a and the 4 codes of w_a * huber(t_a - t*_a) / (4 max(1, P))
 * loss  = class + boxLossWeight * box
 * </pre>
 *
 * with {@code w_a} the weight of the box matched to a positive anchor (1 for human labels, the
 * pseudo label's weight otherwise) and 1 for negatives. NOTE: the TF code normalizes the batch sum
 * by the batch's positives plus 1; selftrain needs one loss per example (so that human and pseudo
 * examples can be weighted apart), and normalizes each example by its own positives, at least 1.
 * The division of the box loss by 4 (the mean over the codes) and by the positives follows the TF
 * code.
 */
final class RetinaNetLoss {
  private RetinaNetLoss() {}

  /**
   * The loss per example.
   *
   * @param config the loss settings and class count
   * @param logits class logits (batch, anchors, numClasses)
   * @param codes box codes (batch, anchors, 4)
   * @param targets the {@link RetinaNetLabeler} output (batch, anchors, 6)
   * @return shape (batch)
   * @throws IllegalArgumentException if the shapes do not fit together
   */
  static NDArray perExample(
      RetinaNetConfig config, NDArray logits, NDArray codes, NDArray targets) {
    Shape shape = logits.getShape();
    checkArgument(
        shape.dimension() == 3 && shape.get(2) == config.numClasses(),
        "logits must have shape (batch, anchors, %s): %s",
        config.numClasses(),
        shape);
    checkArgument(
        codes.getShape().equals(new Shape(shape.get(0), shape.get(1), 4)),
        "codes must have shape %s: %s",
        new Shape(shape.get(0), shape.get(1), 4),
        codes.getShape());
    checkArgument(
        targets.getShape().equals(new Shape(shape.get(0), shape.get(1), RetinaNetLabeler.COLUMNS)),
        "targets must have shape %s: %s",
        new Shape(shape.get(0), shape.get(1), RetinaNetLabeler.COLUMNS),
        targets.getShape());
    NDArray label = targets.get(new NDIndex("..., {}", RetinaNetLabeler.LABEL));
    NDArray weight = targets.get(new NDIndex("..., {}", RetinaNetLabeler.WEIGHT));
    NDArray boxTargets = targets.get(new NDIndex("..., 0:4"));
    NDArray classIds = logits.getManager().arange(0, config.numClasses(), 1, DataType.FLOAT32);
    NDArray oneHot = label.expandDims(2).eq(classIds).toType(logits.getDataType(), false);
    NDArray positive = label.gte(0f).toType(logits.getDataType(), false);
    NDArray normalizer = positive.sum(new int[] {1}).maximum(1f);

    NDArray focal = DetectionLosses.focal(logits, oneHot, config.focalAlpha(), config.focalGamma());
    NDArray classLoss = focal.sum(new int[] {2}).mul(weight).sum(new int[] {1});
    NDArray huber =
        DetectionLosses.huber(codes, boxTargets, config.huberDelta()).sum(new int[] {2});
    NDArray boxLoss =
        huber.mul(positive).mul(weight).sum(new int[] {1}).div(Scalars.like(huber, 4f));
    return classLoss
        .add(boxLoss.mul(Scalars.like(boxLoss, config.boxLossWeight())))
        .div(normalizer);
  }
}
