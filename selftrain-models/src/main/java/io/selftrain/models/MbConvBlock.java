package io.selftrain.models;

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

/**
 * The mobile inverted bottleneck block of EfficientNet (Sandler et al. 2018; Tan &amp; Le 2019,
 * Sec. 4; the official {@code MBConvBlock}):
 *
 * <pre>
 * [1x1 expand conv, BN, swish]        (skipped when the expansion ratio is 1)
 * kxk depthwise conv (stride s), BN, swish
 * squeeze-excitation: global average pool, 1x1 conv (bias) to max(1, int(in * seRatio)), swish,
 *                     1x1 conv (bias) back to the expanded filters, sigmoid gate
 * 1x1 project conv, BN (no activation)
 * + drop path, identity              (only when stride 1 and in == out)
 * </pre>
 *
 * Convolutions have no bias except in squeeze-excitation.
 */
final class MbConvBlock extends AbstractBlock {
  private final EfficientNet.BlockSpec spec;
  private final Block expandConv;
  private final Block expandBn;
  private final Block depthwiseConv;
  private final Block depthwiseBn;
  private final Block seReduce;
  private final Block seExpand;
  private final Block projectConv;
  private final Block projectBn;
  private final boolean fusedOps;

  /**
   * @param spec the block's filters, kernel, stride and expansion
   * @param bnMomentum batch norm momentum
   * @param bnEpsilon batch norm epsilon
   * @param fusedOps swish as the engine's fused kernel and the squeeze as one pool ({@link
   *     EfficientNetConfig#fusedOps()})
   */
  MbConvBlock(EfficientNet.BlockSpec spec, float bnMomentum, float bnEpsilon, boolean fusedOps) {
    this.spec = spec;
    this.fusedOps = fusedOps;
    int expanded = spec.expandedFilters();
    if (spec.expandRatio() != 1) {
      expandConv = addChildBlock("expandConv", Layers.conv(expanded, 1, 1, 1, false));
      expandBn = addChildBlock("expandBn", Layers.batchNorm(bnMomentum, bnEpsilon));
    } else {
      expandConv = null;
      expandBn = null;
    }
    depthwiseConv =
        addChildBlock(
            "depthwiseConv",
            Layers.conv(expanded, spec.kernelSize(), spec.stride(), expanded, false));
    depthwiseBn = addChildBlock("depthwiseBn", Layers.batchNorm(bnMomentum, bnEpsilon));
    seReduce = addChildBlock("seReduce", Layers.conv(spec.seFilters(), 1, 1, 1, true));
    seExpand = addChildBlock("seExpand", Layers.conv(expanded, 1, 1, 1, true));
    projectConv = addChildBlock("projectConv", Layers.conv(spec.outputFilters(), 1, 1, 1, false));
    projectBn = addChildBlock("projectBn", Layers.batchNorm(bnMomentum, bnEpsilon));
  }

  EfficientNet.BlockSpec spec() {
    return spec;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray h = x;
    if (expandConv != null) {
      h =
          Swish.apply(
              Layers.apply(
                  expandBn,
                  ps,
                  Layers.apply(expandConv, ps, h, training, params),
                  training,
                  params),
              fusedOps);
    }
    h =
        Swish.apply(
            Layers.apply(
                depthwiseBn,
                ps,
                Layers.apply(depthwiseConv, ps, h, training, params),
                training,
                params),
            fusedOps);
    NDArray squeezed = EfficientNet.spatialMean(h, true, fusedOps);
    NDArray gate = Swish.apply(Layers.apply(seReduce, ps, squeezed, training, params), fusedOps);
    gate = Activation.sigmoid(Layers.apply(seExpand, ps, gate, training, params));
    h = h.mul(gate);
    h =
        Layers.apply(
            projectBn, ps, Layers.apply(projectConv, ps, h, training, params), training, params);
    if (spec.hasResidual()) {
      h = DropPath.apply(h, spec.survival(), training).add(x);
    }
    return new NDList(h);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    Shape s =
        depthwiseConv
            .getOutputShapes(
                new Shape[] {new Shape(in.get(0), spec.expandedFilters(), in.get(2), in.get(3))})[
            0];
    return new Shape[] {new Shape(s.get(0), spec.outputFilters(), s.get(2), s.get(3))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape s = inputShapes[0];
    if (expandConv != null) {
      s = Layers.init(expandConv, manager, dataType, s);
      s = Layers.init(expandBn, manager, dataType, s);
    }
    s = Layers.init(depthwiseConv, manager, dataType, s);
    s = Layers.init(depthwiseBn, manager, dataType, s);
    Shape pooled = new Shape(s.get(0), s.get(1), 1, 1);
    Shape reduced = Layers.init(seReduce, manager, dataType, pooled);
    Layers.init(seExpand, manager, dataType, reduced);
    s = Layers.init(projectConv, manager, dataType, s);
    Layers.init(projectBn, manager, dataType, s);
  }
}
