package io.selftrain.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.selftrain.Image;
import java.util.List;

/** HWC uint8 images to an NCHW float batch scaled to [0, 1]. */
final class BatchEncoder {
  private BatchEncoder() {}

  static NDArray images(List<Image> images, NDManager manager) {
    Image first = images.get(0);
    int c = first.channels();
    int h = first.height();
    int w = first.width();
    float[] data = new float[images.size() * c * h * w];
    for (int i = 0; i < images.size(); i++) {
      write(images.get(i), data, i * c * h * w);
    }
    return manager.create(data, new Shape(images.size(), c, h, w));
  }

  /** Writes one image as CHW floats at {@code offset}. */
  static void write(Image image, float[] dest, int offset) {
    image.copyChwTo(dest, offset);
  }
}
