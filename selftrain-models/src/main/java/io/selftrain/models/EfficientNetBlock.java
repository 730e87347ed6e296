package io.selftrain.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.selftrain.models.internal.Layers;
import java.util.ArrayList;
import java.util.List;

/**
 * EfficientNet as one DJL block: stem (3x3 conv stride 2, BN, swish), the MBConv blocks, and either
 * the classification head (1x1 conv, BN, swish, global average pool, dropout, fully connected;
 * outputs logits (batch, classes)) or the feature endpoints at strides 8, 16 and 32 (the outputs of
 * the last block at each of those strides, the official code's {@code reduction_3..5}).
 */
final class EfficientNetBlock extends AbstractBlock {
  private final boolean classifier;
  private final boolean channelsLast;
  private final boolean fusedOps;
  private final int[] endpoints;
  private final Block stemConv;
  private final Block stemBn;
  private final List<MbConvBlock> blocks = new ArrayList<>();
  private final Block headConv;
  private final Block headBn;
  private final Block dropout;
  private final Block fc;

  EfficientNetBlock(EfficientNetConfig config, boolean classifier) {
    this.classifier = classifier;
    this.channelsLast = config.channelsLast();
    this.fusedOps = config.fusedOps();
    List<EfficientNet.BlockSpec> specs = EfficientNet.blocks(config);
    this.endpoints = classifier ? new int[0] : EfficientNet.endpointBlocks(config);
    float m = config.batchNormMomentum();
    float eps = config.batchNormEpsilon();
    stemConv =
        addChildBlock(
            "stemConv",
            Layers.conv(
                config.roundFilters(config.stemFilters()), 3, config.stemStride(), 1, false));
    stemBn = addChildBlock("stemBn", Layers.batchNorm(m, eps));
    for (int i = 0; i < specs.size(); i++) {
      blocks.add(
          addChildBlock(
              String.format("block%03d", i), new MbConvBlock(specs.get(i), m, eps, fusedOps)));
    }
    if (classifier) {
      headConv =
          addChildBlock(
              "headConv", Layers.conv(config.roundFilters(config.headFilters()), 1, 1, 1, false));
      headBn = addChildBlock("headBn", Layers.batchNorm(m, eps));
      dropout = addChildBlock("dropout", new Dropout(config.dropout()));
      fc = addChildBlock("fc", Linear.builder().setUnits(config.numClasses()).build());
    } else {
      headConv = null;
      headBn = null;
      dropout = null;
      fc = null;
    }
  }

  List<MbConvBlock> mbConvBlocks() {
    return blocks;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray h = inputs.singletonOrThrow();
    if (channelsLast) {
      h = ChannelsLast.view(h);
    }
    h =
        Swish.apply(
            Layers.apply(
                stemBn, ps, Layers.apply(stemConv, ps, h, training, params), training, params),
            fusedOps);
    NDList features = new NDList(endpoints.length);
    int next = 0;
    for (int i = 0; i < blocks.size(); i++) {
      h = Layers.apply(blocks.get(i), ps, h, training, params);
      if (next < endpoints.length && endpoints[next] == i) {
        features.add(h);
        next++;
      }
    }
    if (!classifier) {
      return features;
    }
    h =
        Swish.apply(
            Layers.apply(
                headBn, ps, Layers.apply(headConv, ps, h, training, params), training, params),
            fusedOps);
    h = EfficientNet.spatialMean(h, false, fusedOps);
    h = Layers.apply(dropout, ps, h, training, params);
    return new NDList(Layers.apply(fc, ps, h, training, params));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = stemConv.getOutputShapes(inputShapes)[0];
    List<Shape> features = new ArrayList<>();
    int next = 0;
    for (int i = 0; i < blocks.size(); i++) {
      s = blocks.get(i).getOutputShapes(new Shape[] {s})[0];
      if (next < endpoints.length && endpoints[next] == i) {
        features.add(s);
        next++;
      }
    }
    if (!classifier) {
      return features.toArray(new Shape[0]);
    }
    return fc.getOutputShapes(new Shape[] {new Shape(s.get(0), 1)});
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape s = Layers.init(stemConv, manager, dataType, inputShapes[0]);
    s = Layers.init(stemBn, manager, dataType, s);
    for (MbConvBlock block : blocks) {
      s = Layers.init(block, manager, dataType, s);
    }
    if (classifier) {
      s = Layers.init(headConv, manager, dataType, s);
      s = Layers.init(headBn, manager, dataType, s);
      Shape pooled = new Shape(s.get(0), s.get(1));
      Layers.init(dropout, manager, dataType, pooled);
      Layers.init(fc, manager, dataType, pooled);
    }
  }
}
