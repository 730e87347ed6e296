package io.selftrain.models.detection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.selftrain.models.internal.Layers;
import java.util.ArrayList;
import java.util.List;

/**
 * The feature pyramid of RetinaNet (Lin et al. 2017, Sec. 4 "Feature Pyramid Network Backbone",
 * after Lin et al. 2017, "Feature Pyramid Networks for Object Detection"). Input: the backbone's
 * C3, C4, C5 (strides 8, 16, 32); output: P{@code minLevel} .. P{@code maxLevel}, each with {@code
 * channels} channels:
 *
 * <pre>
 * L_l = 1x1 conv(C_l)                          l = minLevel .. top, top = min(5, maxLevel)
 * M_top = L_top;  M_l = nearest_up2(M_l+1) + L_l
 * P_l = 3x3 conv(M_l)
 * P_6 = 3x3 conv stride 2 (C5)                 (when maxLevel >= 6)
 * P_l = 3x3 conv stride 2 (ReLU(P_l-1))        l = 7 .. maxLevel
 * </pre>
 *
 * All convolutions have a bias and no batch norm, as in the paper. NOTE: the paper computes P6 from
 * C5 ("P6 is obtained via a 3x3 stride-2 conv on C5"); the TF detection code ({@code
 * architecture/fpn.py}) and torchvision's first RetinaNet compute it from P5, and the TF code adds
 * a batch norm after every level. Weights start from DJL's default initializers.
 */
final class FeaturePyramid extends AbstractBlock {
  private static final byte VERSION = 1;

  /** Pyramid level of the first backbone endpoint (stride 8). */
  static final int FIRST_BACKBONE_LEVEL = 3;

  /** Pyramid level of the last backbone endpoint (stride 32). */
  static final int LAST_BACKBONE_LEVEL = 5;

  private final int minLevel;
  private final int maxLevel;
  private final int top;
  private final int channels;
  private final List<Block> laterals = new ArrayList<>();
  private final List<Block> outputs = new ArrayList<>();
  private final List<Block> extras = new ArrayList<>();

  FeaturePyramid(int minLevel, int maxLevel, int channels) {
    super(VERSION);
    this.minLevel = minLevel;
    this.maxLevel = maxLevel;
    this.top = Math.min(LAST_BACKBONE_LEVEL, maxLevel);
    this.channels = channels;
    for (int level = minLevel; level <= top; level++) {
      laterals.add(addChildBlock("lateral" + level, Layers.conv(channels, 1, 1)));
    }
    for (int level = minLevel; level <= top; level++) {
      outputs.add(addChildBlock("output" + level, Layers.conv(channels, 3, 1)));
    }
    for (int level = top + 1; level <= maxLevel; level++) {
      extras.add(addChildBlock("p" + level, Layers.conv(channels, 3, 2)));
    }
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray[] merged = new NDArray[top - minLevel + 1];
    for (int level = top; level >= minLevel; level--) {
      int i = level - minLevel;
      NDArray lateral =
          Layers.apply(laterals.get(i), ps, endpoint(inputs, level), training, params);
      merged[i] =
          level == top
              ? lateral
              : lateral.add(
                  Layers.nearestUpsample(
                      merged[i + 1], 2, lateral.getShape().get(2), lateral.getShape().get(3)));
    }
    NDList pyramid = new NDList(maxLevel - minLevel + 1);
    for (int i = 0; i < merged.length; i++) {
      pyramid.add(Layers.apply(outputs.get(i), ps, merged[i], training, params));
    }
    for (int level = top + 1; level <= maxLevel; level++) {
      NDArray in =
          level == top + 1
              ? endpoint(inputs, LAST_BACKBONE_LEVEL)
              : Activation.relu(pyramid.get(pyramid.size() - 1));
      pyramid.add(Layers.apply(extras.get(level - top - 1), ps, in, training, params));
    }
    return pyramid;
  }

  private static NDArray endpoint(NDList inputs, int level) {
    return inputs.get(level - FIRST_BACKBONE_LEVEL);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    List<Shape> shapes = new ArrayList<>();
    for (int level = minLevel; level <= top; level++) {
      Shape c = inputShapes[level - FIRST_BACKBONE_LEVEL];
      shapes.add(new Shape(c.get(0), channels, c.get(2), c.get(3)));
    }
    Shape previous = inputShapes[LAST_BACKBONE_LEVEL - FIRST_BACKBONE_LEVEL];
    for (Block extra : extras) {
      previous = extra.getOutputShapes(new Shape[] {previous})[0];
      shapes.add(previous);
    }
    return shapes.toArray(new Shape[0]);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (int level = minLevel; level <= top; level++) {
      Shape c = inputShapes[level - FIRST_BACKBONE_LEVEL];
      Layers.init(laterals.get(level - minLevel), manager, dataType, c);
      Layers.init(
          outputs.get(level - minLevel),
          manager,
          dataType,
          new Shape(c.get(0), channels, c.get(2), c.get(3)));
    }
    Shape previous = inputShapes[LAST_BACKBONE_LEVEL - FIRST_BACKBONE_LEVEL];
    for (Block extra : extras) {
      previous = Layers.init(extra, manager, dataType, previous);
    }
  }
}
