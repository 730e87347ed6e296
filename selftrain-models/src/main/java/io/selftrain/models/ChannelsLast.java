package io.selftrain.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Images laid out channels-last in memory: the same (batch, channels, height, width) array, element
 * for element, over memory that holds each pixel's channels side by side. On DJL's PyTorch engine
 * the convolutions, batch norms, poolings and element-wise operations that follow keep that layout,
 * and oneDNN convolves it without reordering activations and weights at every call.
 */
final class ChannelsLast {
  private ChannelsLast() {}

  /**
   * The images as a channels-last view, copied once when they have more than one channel.
   *
   * @param images (batch, channels, height, width); any other rank is returned as it is
   * @return the same values, channels-last
   */
  static NDArray view(NDArray images) {
    Shape shape = images.getShape();
    if (shape.dimension() != 4) {
      return images;
    }
    long batch = shape.get(0);
    long channels = shape.get(1);
    long height = shape.get(2);
    long width = shape.get(3);
    NDArray pixelMajor;
    if (channels == 1) {
      // One channel: the memory already is channels-last; only the view's strides must say so.
      pixelMajor = images.reshape(batch, height, width, 1);
    } else {
      // A flat reshape of the transposed view copies it into pixel-major memory.
      pixelMajor =
          images.transpose(0, 2, 3, 1).reshape(batch, -1).reshape(batch, height, width, channels);
    }
    return pixelMajor.transpose(0, 3, 1, 2);
  }
}
