package io.selftrain.models.segmentation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Bilinear resizing of (batch, channels, H, W) maps with half-pixel centres: output cell {@code i}
 * samples the input at {@code (i + 0.5) * in / out - 0.5}, clamped to the border (PyTorch {@code
 * interpolate(mode="bilinear", align_corners=False)}, TF2 {@code tf.image.resize}). Written as two
 * matrix products with precomputed interpolation matrices ({@code W_h x W_w^T}), so it works on any
 * engine with broadcasting {@code matMul} and is differentiable; DJL's {@code NDImageUtils.resize}
 * assumes HWC and returns wrong shapes on NCHW batches. NOTE: TF1 {@code
 * tf.image.resize_bilinear(align_corners=False)}, which the TF segmentation code calls, samples at
 * {@code i * in / out} without the half-pixel offset, shifting the map by {@code (scale - 1) / 2}
 * pixels; we use the centred convention.
 */
final class Bilinear {
  private Bilinear() {}

  /**
   * Resizes the last two axes.
   *
   * @param x (batch, channels, H, W)
   * @param height rows of the result
   * @param width columns of the result
   * @return (batch, channels, height, width), attached to {@code x}'s manager
   */
  static NDArray resize(NDArray x, long height, long width) {
    Shape s = x.getShape();
    int inH = (int) s.get(2);
    int inW = (int) s.get(3);
    if (inH == height && inW == width) {
      return x;
    }
    NDManager manager = x.getManager();
    NDArray h = x;
    if (inW != width) {
      // (..., H, inW) x (inW, width)
      NDArray columns = manager.create(matrix(inW, (int) width), new Shape(width, inW)).transpose();
      h = h.matMul(columns);
    }
    if (inH != height) {
      // (height, inH) x (..., inH, width), broadcast over batch and channels
      NDArray rows = manager.create(matrix(inH, (int) height), new Shape(height, inH));
      h = rows.matMul(h);
    }
    return h;
  }

  /**
   * The interpolation matrix from {@code in} to {@code out} samples, row-major (out, in): row
   * {@code i} holds weight {@code 1 - t} at {@code floor(src)} and {@code t} at {@code floor(src) +
   * 1} (clamped to the last sample), {@code src = max(0, (i + 0.5) * in / out - 0.5)}, {@code t =
   * src - floor(src)}.
   *
   * @param in input samples
   * @param out output samples
   * @return {@code out * in} weights; every row sums to 1
   */
  static float[] matrix(int in, int out) {
    float[] m = new float[out * in];
    double scale = (double) in / out;
    for (int i = 0; i < out; i++) {
      double src = Math.max(0.0, (i + 0.5) * scale - 0.5);
      int i0 = Math.min((int) Math.floor(src), in - 1);
      int i1 = Math.min(i0 + 1, in - 1);
      double t = src - i0;
      m[i * in + i0] += (float) (1 - t);
      m[i * in + i1] += (float) t;
    }
    return m;
  }
}
