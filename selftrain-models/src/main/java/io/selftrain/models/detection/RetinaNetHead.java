package io.selftrain.models.detection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.selftrain.models.internal.Layers;
import java.util.ArrayList;
import java.util.List;

/**
 * One RetinaNet subnet, the class subnet or the box subnet (Lin et al. 2017, Sec. 4 "Classification
 * Subnet", "Box Regression Subnet"): {@code depth} times (3x3 conv with {@code width} filters,
 * batch norm, ReLU), then a 3x3 conv to {@code A * outputs} channels, applied to every pyramid
 * level with the same convolution weights. Output: one array (batch, anchors, outputs), the levels
 * concatenated finest first, each level in (row, column, anchor) order: the order of {@link
 * Anchors#generate}.
 *
 * <h2>Batch norm per level</h2>
 *
 * The convolutions are shared across levels but every level has its own batch norm (momentum 0.997
 * in the Keras convention, epsilon 1e-4), as in the TF detection code ({@code
 * architecture/heads.py} {@code RetinanetHead}: "each level has its batch normlization to capture
 * the statistical difference among different levels"; {@code configs/base_config.py}). NOTE: the
 * paper's subnets have no batch norm.
 *
 * <h2>Initialization</h2>
 *
 * Fixed by this block, whatever a training config asks for (TF {@code RetinanetHead}): tower
 * convolutions N(0, 0.01) with zero bias; the prediction conv N(0, 1e-5) with bias {@code
 * priorBias}, which for the class subnet is {@code -log((1 - pi) / pi)}, pi = 0.01, so that every
 * anchor starts with foreground probability about 0.01 (Lin et al. 2017, Sec. 4.1 "Initialization";
 * the paper uses sigma 0.01 for the prediction conv too).
 */
final class RetinaNetHead extends AbstractBlock {
  private static final byte VERSION = 1;
  static final float BN_MOMENTUM = 0.997f;
  static final float BN_EPSILON = 1e-4f;
  static final float TOWER_SIGMA = 0.01f;
  static final float PREDICTION_SIGMA = 1e-5f;

  private final int numLevels;
  private final int outputsPerAnchor;
  private final float priorBias;
  private final List<Block> convs = new ArrayList<>();

  /** {@code norms.get(layer).get(level)}. */
  private final List<List<Block>> norms = new ArrayList<>();

  private final Block prediction;

  RetinaNetHead(
      int numLevels,
      int depth,
      int width,
      int anchorsPerLocation,
      int outputsPerAnchor,
      float priorBias) {
    super(VERSION);
    this.numLevels = numLevels;
    this.outputsPerAnchor = outputsPerAnchor;
    this.priorBias = priorBias;
    for (int layer = 0; layer < depth; layer++) {
      convs.add(addChildBlock("conv" + layer, Layers.conv(width, 3, 1)));
      List<Block> perLevel = new ArrayList<>(numLevels);
      for (int level = 0; level < numLevels; level++) {
        perLevel.add(
            addChildBlock(
                "bn" + layer + "level" + level, Layers.batchNorm(BN_MOMENTUM, BN_EPSILON)));
      }
      norms.add(perLevel);
    }
    prediction =
        addChildBlock("prediction", Layers.conv(anchorsPerLocation * outputsPerAnchor, 3, 1));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList perLevel = new NDList(numLevels);
    for (int level = 0; level < numLevels; level++) {
      NDArray h = inputs.get(level);
      for (int layer = 0; layer < convs.size(); layer++) {
        h = Layers.apply(convs.get(layer), ps, h, training, params);
        h = Activation.relu(Layers.apply(norms.get(layer).get(level), ps, h, training, params));
      }
      h = Layers.apply(prediction, ps, h, training, params);
      // (batch, A * outputs, H, W) -> (batch, H, W, A * outputs) -> (batch, H * W * A, outputs)
      long batch = h.getShape().get(0);
      perLevel.add(h.transpose(0, 2, 3, 1).reshape(new Shape(batch, -1, outputsPerAnchor)));
    }
    return new NDList(perLevel.size() == 1 ? perLevel.get(0) : NDArrays.concat(perLevel, 1));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long anchors = 0;
    Shape predictionShape = null;
    for (Shape level : inputShapes) {
      predictionShape = prediction.getOutputShapes(new Shape[] {level})[0];
      anchors +=
          predictionShape.get(1)
              / outputsPerAnchor
              * predictionShape.get(2)
              * predictionShape.get(3);
    }
    return new Shape[] {new Shape(inputShapes[0].get(0), anchors, outputsPerAnchor)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape s = inputShapes[0];
    for (int layer = 0; layer < convs.size(); layer++) {
      Block conv = convs.get(layer);
      conv.setInitializer(new NormalInitializer(TOWER_SIGMA), Parameter.Type.WEIGHT);
      conv.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
      s = Layers.init(conv, manager, dataType, s);
      for (Block norm : norms.get(layer)) {
        Layers.init(norm, manager, dataType, s);
      }
    }
    prediction.setInitializer(new NormalInitializer(PREDICTION_SIGMA), Parameter.Type.WEIGHT);
    prediction.setInitializer(new ConstantInitializer(priorBias), Parameter.Type.BIAS);
    Layers.init(prediction, manager, dataType, s);
  }
}
