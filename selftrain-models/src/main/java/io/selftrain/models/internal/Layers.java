package io.selftrain.models.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The layer helpers selftrain's blocks share: padded (and grouped or separable) convolutions, batch
 * norm in the Keras momentum convention, single-array forward and init, and the resampling ops of
 * feature pyramids. Not API.
 */
public final class Layers {
  private Layers() {}

  /**
   * A square convolution with bias and {@code kernel / 2} padding, so that stride 1 keeps the size
   * and stride 2 halves an even size (TensorFlow {@code SAME} for odd kernels).
   *
   * @param filters output channels
   * @param kernel kernel height and width
   * @param stride stride in both directions
   * @return the convolution
   */
  public static Conv2d conv(int filters, int kernel, int stride) {
    return conv(filters, kernel, stride, 1, true);
  }

  /**
   * A square convolution with {@code kernel / 2} padding.
   *
   * @param filters output channels
   * @param kernel kernel height and width
   * @param stride stride in both directions
   * @param groups channel groups ({@code filters} for a depthwise convolution)
   * @param bias whether it adds a bias
   * @return the convolution
   */
  public static Conv2d conv(int filters, int kernel, int stride, int groups, boolean bias) {
    return Conv2d.builder()
        .setFilters(filters)
        .setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(kernel / 2, kernel / 2))
        .optGroups(groups)
        .optBias(bias)
        .build();
  }

  /**
   * A separable convolution as TF {@code tf.layers.separable_conv2d(depth_multiplier=1)}: a
   * depthwise {@code kernel x kernel} convolution without bias, then a 1x1 convolution with bias;
   * stride 1, {@code kernel / 2} padding. Parameters: {@code kernel^2 * inChannels + inChannels *
   * filters + filters}.
   *
   * @param inChannels input channels (the depthwise convolution's filters and groups)
   * @param filters output channels
   * @param kernel depthwise kernel height and width
   * @return the two convolutions in sequence
   */
  public static Block separableConv(int inChannels, int filters, int kernel) {
    return new SequentialBlock()
        .add(conv(inChannels, kernel, 1, inChannels, false))
        .add(conv(filters, 1, 1, 1, true));
  }

  /**
   * Batch norm with momentum in the Keras convention (the running statistics keep {@code momentum}
   * of their old value; DJL hands PyTorch {@code 1 - momentum}).
   *
   * @param momentum Keras-style momentum, such as 0.99 or 0.997
   * @param epsilon variance epsilon
   * @return the layer
   */
  public static BatchNorm batchNorm(float momentum, float epsilon) {
    return BatchNorm.builder().optMomentum(momentum).optEpsilon(epsilon).build();
  }

  /**
   * Forwards one array through a block with one output.
   *
   * @param block the block
   * @param ps the parameter store
   * @param x the input
   * @param training whether this is a training forward pass
   * @param params extra parameters, may be null
   * @return the block's only output
   */
  public static NDArray apply(
      Block block,
      ParameterStore ps,
      NDArray x,
      boolean training,
      PairList<String, Object> params) {
    return block.forward(ps, new NDList(x), training, params).singletonOrThrow();
  }

  /**
   * Initializes a block for one input shape.
   *
   * @param block the block
   * @param manager owner of the parameters
   * @param dataType parameter type
   * @param input the input shape
   * @return the block's output shape
   */
  public static Shape init(Block block, NDManager manager, DataType dataType, Shape input) {
    block.initialize(manager, dataType, input);
    return block.getOutputShapes(new Shape[] {input})[0];
  }

  /**
   * Nearest-neighbour upsampling of (batch, channels, H, W) by an integer factor ({@code repeat}
   * along H and W; PyTorch's DJL engine has no nearest-resize op for NCHW), cropped at the bottom
   * and right to {@code height x width} when the finer map has odd sizes.
   *
   * @param x the coarse map
   * @param factor the scale, at least 1
   * @param height rows of the result, at most {@code H * factor}
   * @param width columns of the result, at most {@code W * factor}
   * @return the upsampled map
   */
  public static NDArray nearestUpsample(NDArray x, int factor, long height, long width) {
    NDArray up = factor == 1 ? x : x.repeat(2, factor).repeat(3, factor);
    if (up.getShape().get(2) != height || up.getShape().get(3) != width) {
      up = up.get(new NDIndex(":, :, :{}, :{}", height, width));
    }
    return up;
  }

  /**
   * Max pooling of (batch, channels, H, W) with window and stride {@code factor} and TF {@code
   * SAME} padding: the output has {@code ceil(H / factor) x ceil(W / factor)} cells and a window
   * that reaches past the border takes the maximum of the cells inside (PyTorch ceil mode).
   *
   * @param x the fine map
   * @param factor window and stride, at least 1
   * @return the pooled map
   */
  public static NDArray maxPoolSame(NDArray x, int factor) {
    if (factor == 1) {
      return x;
    }
    Shape window = new Shape(factor, factor);
    return Pool.maxPool2d(x, window, window, new Shape(0, 0), true);
  }

  /**
   * {@code ceil(size / factor)}, the size {@link #maxPoolSame} produces.
   *
   * @param size rows or columns
   * @param factor the pooling stride
   * @return the pooled size
   */
  public static long pooledSize(long size, int factor) {
    return (size + factor - 1) / factor;
  }
}
