package io.selftrain.models.detection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** The few layer helpers the RetinaNet blocks share: padded convolutions, single-array forward, init. */
final class Layers {
  private Layers() {}

  /**
   * A square convolution with bias and {@code kernel / 2} padding, so that stride 1 keeps the size and
   * stride 2 halves an even size (TensorFlow {@code SAME} for odd kernels).
   */
  static Conv2d conv(int filters, int kernel, int stride) {
    return Conv2d.builder()
        .setFilters(filters)
        .setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(kernel / 2, kernel / 2))
        .build();
  }

  /** Forwards one array through a block with one output. */
  static NDArray apply(Block block, ParameterStore ps, NDArray x, boolean training, PairList<String, Object> params) {
    return block.forward(ps, new NDList(x), training, params).singletonOrThrow();
  }

  /** Initializes a block for one input shape and returns its output shape. */
  static Shape init(Block block, NDManager manager, DataType dataType, Shape input) {
    block.initialize(manager, dataType, input);
    return block.getOutputShapes(new Shape[] {input})[0];
  }
}
