package io.selftrain.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code relu(x + dropPath(branch(x)))}: a residual block whose branch is dropped for a whole
 * example with probability {@code dropRate} during training and scaled by {@code 1 / (1 -
 * dropRate)} when kept, so the expectation is unchanged ("stochastic depth", Huang et al. 2016; the
 * student noise of Xie et al. 2020, Sec. 2). In inference mode the branch is always kept and not
 * scaled.
 */
final class DropPathResidual extends AbstractBlock {
  private final Block branch;
  private final float dropRate;

  DropPathResidual(Block branch, float dropRate) {
    this.branch = addChildBlock("branch", branch);
    this.dropRate = dropRate;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray y = branch.forward(parameterStore, inputs, training, params).singletonOrThrow();
    return new NDList(Activation.relu(x.add(DropPath.apply(y, 1f - dropRate, training))));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }

  @Override
  protected void initializeChildBlocks(
      ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
    branch.initialize(manager, dataType, inputShapes);
  }
}
