package io.selftrain.models.segmentation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.selftrain.models.EfficientNet;
import io.selftrain.models.detection.NasFpn;

/**
 * The segmentation model as one DJL block (TF {@code modeling/segmentation_model.py} with {@code
 * use_pyramid_fusion}): EfficientNet endpoints C3..C5, NAS-FPN P3..P7, {@link #fuse pyramid fusion}
 * at level 2, the {@link SegmentationHead}, and bilinear upsampling of the logits to the input
 * size. Input (batch, channels, H, W) with H and W multiples of 8; output logits (batch,
 * numClasses, H, W).
 */
final class SegmentationBlock extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int numClasses;
  private final Block backbone;
  private final Block neck;
  private final Block head;

  SegmentationBlock(SegmentationConfig config) {
    super(VERSION);
    this.numClasses = config.numClasses();
    backbone = addChildBlock("backbone", EfficientNet.features(config.backbone()));
    neck =
        addChildBlock(
            "neck", NasFpn.block(config.nasFpn(), EfficientNet.featureChannels(config.backbone())));
    head =
        addChildBlock(
            "head",
            new SegmentationHead(
                config.nasFpn().channels(),
                config.headConvs(),
                config.numClasses(),
                config.nasFpn().batchNormMomentum(),
                config.nasFpn().batchNormEpsilon()));
  }

  /**
   * TF {@code nn_ops.pyramid_feature_fusion} at level 2: every level bilinearly resized to twice
   * the size of P3 (stride 4) and summed. NAS-FPN starts at level 3, so level 2 exists only as this
   * sum: TF's {@code fpn_features[2] = fused_feat} adds the key, and the backbone's stride-4
   * endpoint is not used. TF scales each level by {@code 2^(l - 2)}; we resize to the level-2 size,
   * which is the same when the input is a multiple of 128 and keeps the sum defined for smaller
   * inputs (see {@code NasFpn}, Sizes).
   *
   * @param pyramid P3..P7
   * @return (batch, channels, 2 H_3, 2 W_3)
   */
  static NDArray fuse(NDList pyramid) {
    Shape p3 = pyramid.get(0).getShape();
    long h = 2 * p3.get(2);
    long w = 2 * p3.get(3);
    NDArray sum = null;
    for (NDArray level : pyramid) {
      NDArray up = Bilinear.resize(level, h, w);
      sum = sum == null ? up : sum.add(up);
    }
    return sum;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    Shape input = inputs.singletonOrThrow().getShape();
    NDList pyramid =
        neck.forward(ps, backbone.forward(ps, inputs, training, params), training, params);
    NDArray logits =
        head.forward(ps, new NDList(fuse(pyramid)), training, params).singletonOrThrow();
    return new NDList(Bilinear.resize(logits, input.get(2), input.get(3)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), numClasses, in.get(2), in.get(3))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    backbone.initialize(manager, dataType, inputShapes);
    Shape[] features = backbone.getOutputShapes(inputShapes);
    neck.initialize(manager, dataType, features);
    Shape p3 = neck.getOutputShapes(features)[0];
    head.initialize(
        manager, dataType, new Shape(p3.get(0), p3.get(1), 2 * p3.get(2), 2 * p3.get(3)));
  }
}
