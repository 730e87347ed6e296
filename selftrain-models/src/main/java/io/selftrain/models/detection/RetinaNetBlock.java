package io.selftrain.models.detection;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.selftrain.models.EfficientNet;

/**
 * RetinaNet as one DJL block (Lin et al. 2017, Fig. 3): EfficientNet endpoints C3..C5, the {@link
 * FeaturePyramid} or the {@link NasFpnBlock}, and the class and box {@link RetinaNetHead}s. Input
 * (batch, channels, size, size); outputs class logits (batch, anchors, numClasses) and box codes
 * (batch, anchors, 4) in the order of {@link Anchors#generate} and the {@link BoxCoder} layout
 * {@code tx, ty, tw, th}.
 */
final class RetinaNetBlock extends AbstractBlock {
  private static final byte VERSION = 1;

  /** Foreground probability of every anchor at initialization (Lin et al. 2017, Sec. 4.1). */
  static final double PRIOR_PROBABILITY = 0.01;

  private final Block backbone;
  private final Block pyramid;
  private final Block classNet;
  private final Block boxNet;

  RetinaNetBlock(RetinaNetConfig config) {
    super(VERSION);
    int levels = config.maxLevel() - config.minLevel() + 1;
    int anchors = config.anchors().anchorsPerLocation();
    backbone = addChildBlock("backbone", EfficientNet.features(config.backbone()));
    pyramid =
        addChildBlock(
            "pyramid",
            switch (config.neck()) {
              case FPN ->
                  new FeaturePyramid(config.minLevel(), config.maxLevel(), config.fpnChannels());
              case NAS_FPN ->
                  new NasFpnBlock(config.nasFpn(), EfficientNet.featureChannels(config.backbone()));
            });
    classNet =
        addChildBlock(
            "classNet",
            new RetinaNetHead(
                levels,
                config.headDepth(),
                config.headWidth(),
                anchors,
                config.numClasses(),
                priorBias()));
    boxNet =
        addChildBlock(
            "boxNet",
            new RetinaNetHead(levels, config.headDepth(), config.headWidth(), anchors, 4, 0f));
  }

  /** {@code -log((1 - pi) / pi)} for pi = {@link #PRIOR_PROBABILITY}. */
  static float priorBias() {
    return (float) -Math.log((1 - PRIOR_PROBABILITY) / PRIOR_PROBABILITY);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList features = backbone.forward(ps, inputs, training, params);
    NDList levels = pyramid.forward(ps, features, training, params);
    NDList classes = classNet.forward(ps, levels, training, params);
    NDList boxes = boxNet.forward(ps, levels, training, params);
    return new NDList(classes.singletonOrThrow(), boxes.singletonOrThrow());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] levels = pyramid.getOutputShapes(backbone.getOutputShapes(inputShapes));
    return new Shape[] {classNet.getOutputShapes(levels)[0], boxNet.getOutputShapes(levels)[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    backbone.initialize(manager, dataType, inputShapes);
    Shape[] features = backbone.getOutputShapes(inputShapes);
    pyramid.initialize(manager, dataType, features);
    Shape[] levels = pyramid.getOutputShapes(features);
    classNet.initialize(manager, dataType, levels);
    boxNet.initialize(manager, dataType, levels);
  }
}
