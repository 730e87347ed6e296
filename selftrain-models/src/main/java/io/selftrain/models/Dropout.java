package io.selftrain.models;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.selftrain.TrainingNoise;

/**
 * Inverted dropout (Srivastava et al. 2014; the student's dropout noise in Xie et al. 2020, Sec.
 * 2): in training each element is zeroed with probability {@code rate} and the rest scaled by
 * {@code 1 / (1 - rate)}; in inference it is the identity. Its masks come from {@link
 * TrainingNoise}, so a model trained on a thread with a bound stream is reproducible even while
 * other models train. Saved parameters are byte-compatible with DJL's {@code
 * ai.djl.nn.norm.Dropout} (no parameters, encoding version 2), so checkpoints written with either
 * load into the other.
 */
final class Dropout extends AbstractBlock {
  private static final byte VERSION = 2;
  private final float rate;

  Dropout(float rate) {
    super(VERSION);
    checkArgument(rate >= 0f && rate < 1f, "dropout rate must be in [0, 1): %s", rate);
    this.rate = rate;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    if (!training || rate == 0f) {
      return new NDList(x);
    }
    return new NDList(
        x.mul(TrainingNoise.keepMask(x.getManager(), x.getShape(), 1f - rate, x.getDataType())));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }
}
