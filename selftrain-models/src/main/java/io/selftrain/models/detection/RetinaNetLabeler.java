package io.selftrain.models.detection;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.selftrain.BoxesTarget;
import java.util.List;

/**
 * RetinaNet's target assignment for a batch, in batched array ops: every anchor gets the
 * ground-truth box of highest IoU ({@link Nms#iou}); it is a positive if that IoU is at least
 * {@code matchThreshold}, a negative if it is below {@code unmatchedThreshold}, and ignored in
 * between (Lin et al. 2017, Sec. 4: 0.5 and 0.4). Then every box forces its own highest-IoU anchor
 * to be a positive matched to it, so that no box goes without an anchor (TF detection {@code
 * ArgMaxMatcher} with {@code force_match_for_each_row}; ties go to the first anchor, an anchor
 * forced by several boxes to the first box, as TF's arg-max). A box that overlaps no anchor at all
 * forces nothing. Images without boxes are all negatives.
 *
 * <p>The result, one array of shape (batch, anchors, {@link #COLUMNS}), holds per anchor the {@link
 * BoxCoder} codes of its matched box (zero unless positive), its label (the class for a positive,
 * {@link #NEGATIVE} or {@link #IGNORED}) and its loss weight (the matched box's {@link
 * BoxesTarget#weights() weight} for a positive, 1 for a negative, 0 when ignored).
 */
final class RetinaNetLabeler {
  /** Column of the label. */
  static final int LABEL = 4;

  /** Column of the weight. */
  static final int WEIGHT = 5;

  /** Columns per anchor: 4 codes, label, weight. */
  static final int COLUMNS = 6;

  /** Label of a negative (background) anchor. */
  static final float NEGATIVE = -1f;

  /** Label of an ignored anchor. */
  static final float IGNORED = -2f;

  private RetinaNetLabeler() {}

  /**
   * Assigns targets to the anchors of {@code config}.
   *
   * @param config anchors, image size, classes and thresholds
   * @param targets one target per image, boxes in pixels of the {@code inputSize} image
   * @param manager owner of the result
   * @return shape (batch, anchors, {@link #COLUMNS})
   * @throws IllegalArgumentException if a class is not below {@code numClasses}
   */
  static NDArray assign(RetinaNetConfig config, List<BoxesTarget> targets, NDManager manager) {
    int batch = targets.size();
    checkArgument(batch >= 1, "targets must not be empty");
    int slots = 1;
    for (BoxesTarget t : targets) {
      slots = Math.max(slots, t.size());
    }
    // Boxes padded to the most boxes of any image; padding slots are invalid and never match.
    float[] boxes = new float[batch * slots * 4];
    float[] classes = new float[batch * slots];
    float[] weights = new float[batch * slots];
    float[] valid = new float[batch * slots];
    for (int i = 0; i < batch; i++) {
      BoxesTarget t = targets.get(i);
      int[] c = t.classes();
      float[] w = t.weights();
      System.arraycopy(t.boxes(), 0, boxes, i * slots * 4, c.length * 4);
      for (int k = 0; k < c.length; k++) {
        checkArgument(
            c[k] < config.numClasses(),
            "targets[%s] classes must be below numClasses %s: %s",
            i,
            config.numClasses(),
            c[k]);
        classes[i * slots + k] = c[k];
        weights[i * slots + k] = w[k];
        valid[i * slots + k] = 1f;
      }
    }
    try (NDManager scope = manager.newSubManager()) {
      NDArray anchors =
          Anchors.generate(scope, config.anchors(), config.inputSize(), config.inputSize());
      int n = (int) anchors.getShape().get(0);
      NDArray gt = scope.create(boxes, new Shape(batch, slots, 4));
      NDArray validRow = scope.create(valid, new Shape(batch, 1, slots));
      // IoU (batch, anchors, slots), -1 against padding
      NDArray iou = Nms.iou(anchors, gt).mul(validRow).add(validRow.sub(1f));

      NDArray bestIou = iou.max(new int[] {2});
      NDArray bestBox = iou.argMax(2);

      // Forced matches: the first anchor of highest IoU for each real box that overlaps some
      // anchor.
      NDArray bestAnchor = iou.argMax(1).expandDims(1); // (batch, 1, slots)
      NDArray boxOverlaps =
          iou.max(new int[] {1}, true).gt(0f); // (batch, 1, slots); false for padding
      NDArray forcing =
          scope
              .arange(0, n, 1, DataType.INT64)
              .reshape(1, n, 1)
              .eq(bestAnchor)
              .logicalAnd(boxOverlaps)
              .toType(DataType.FLOAT32, false);
      NDArray forced = forcing.max(new int[] {2}); // (batch, anchors), 1 where forced
      NDArray forcedBox = forcing.argMax(2); // first forcing box
      NDArray forcedLong = forced.toType(DataType.INT64, false);
      NDArray matchedBox = bestBox.add(forcedLong.mul(forcedBox.sub(bestBox)));

      NDArray isPositive = forced.gt(0f).logicalOr(bestIou.gte(config.matchThreshold()));
      NDArray positive = isPositive.toType(DataType.FLOAT32, false);
      NDArray negative =
          isPositive
              .logicalNot()
              .logicalAnd(bestIou.lt(config.unmatchedThreshold()))
              .toType(DataType.FLOAT32, false);
      NDArray ignored = positive.add(negative).neg().add(1f);

      NDArray flat =
          matchedBox
              .add(scope.arange(0, batch, 1, DataType.INT64).mul(slots).reshape(batch, 1))
              .reshape(-1);
      NDArray matchedBoxes = gt.reshape(batch * slots, 4).get(flat).reshape(batch, n, 4);
      NDArray matchedClasses = scope.create(classes).get(flat).reshape(batch, n);
      NDArray matchedWeights = scope.create(weights).get(flat).reshape(batch, n);

      // where() rather than a product with the mask, which would leave -0 in negative codes; DJL's
      // where()
      // on PyTorch does not broadcast, hence the repeat.
      NDArray encoded = BoxCoder.encode(matchedBoxes, anchors.expandDims(0));
      NDArray codes =
          NDArrays.where(isPositive.expandDims(2).repeat(2, 4), encoded, encoded.zerosLike());
      NDArray label =
          positive.mul(matchedClasses).add(negative.mul(NEGATIVE)).add(ignored.mul(IGNORED));
      NDArray weight = positive.mul(matchedWeights).add(negative);
      NDArray result =
          NDArrays.concat(new NDList(codes, label.expandDims(2), weight.expandDims(2)), 2);
      result.attach(manager);
      return result;
    }
  }
}
