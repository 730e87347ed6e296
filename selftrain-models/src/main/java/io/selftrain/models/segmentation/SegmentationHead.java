package io.selftrain.models.segmentation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.selftrain.models.internal.Layers;
import java.util.ArrayList;
import java.util.List;

/**
 * The segmentation head of the TF detection code ({@code modeling/architecture/heads.py} {@code
 * SegmentationHead}, {@code upsample_factor} 1): {@code numConvs} times (3x3 conv with bias and as
 * many filters as the input has channels, batch norm, ReLU), then a 1x1 conv with bias to the class
 * logits. Initialization: DJL's default (Xavier) kernels and zero biases. NOTE: TF draws every
 * kernel of this head from N(0, 0.01) and trains with SGD; under AdamW, whose steps do not shrink
 * with the weights, a classifier that small needs hundreds of steps before its logits can outweigh
 * the class prior: measured on the 11-class scene benchmark, the tiny model with N(0, 0.01) kernels
 * predicted background on every pixel after 40 epochs (training loss flat at 0.62 from epoch 13
 * on), and learned garments with Xavier kernels.
 */
final class SegmentationHead extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int numClasses;
  private final List<Block> convs = new ArrayList<>();
  private final List<Block> norms = new ArrayList<>();
  private final Block classifier;

  SegmentationHead(int width, int numConvs, int numClasses, float bnMomentum, float bnEpsilon) {
    super(VERSION);
    this.numClasses = numClasses;
    for (int i = 0; i < numConvs; i++) {
      convs.add(addChildBlock("conv" + i, Layers.conv(width, 3, 1)));
      norms.add(addChildBlock("bn" + i, Layers.batchNorm(bnMomentum, bnEpsilon)));
    }
    classifier = addChildBlock("classifier", Layers.conv(numClasses, 1, 1));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray h = inputs.singletonOrThrow();
    for (int i = 0; i < convs.size(); i++) {
      h = Layers.apply(convs.get(i), ps, h, training, params);
      h = Activation.relu(Layers.apply(norms.get(i), ps, h, training, params));
    }
    return new NDList(Layers.apply(classifier, ps, h, training, params));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {new Shape(s.get(0), numClasses, s.get(2), s.get(3))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape s = inputShapes[0];
    for (int i = 0; i < convs.size(); i++) {
      convs.get(i).setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
      s =
          Layers.init(
              norms.get(i), manager, dataType, Layers.init(convs.get(i), manager, dataType, s));
    }
    classifier.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
    Layers.init(classifier, manager, dataType, s);
  }
}
