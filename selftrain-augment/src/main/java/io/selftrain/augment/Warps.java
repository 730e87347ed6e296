package io.selftrain.augment;

/**
 * Resampling kernels on HWC uint8 buffers: nearest-neighbour affine warps (TF's
 * {@code ImageProjectiveTransform} with {@code NEAREST}, which the AutoAugment geometric ops use) and the
 * separable bilinear resize-and-crop of scale jitter.
 */
final class Warps {
  private Warps() {}

  /**
   * Nearest-neighbour warp keeping the size: output pixel centre p reads the input pixel containing
   * {@code inverse(p)}; outside the input it takes {@code fill}.
   */
  static byte[] nearest(byte[] src, int height, int width, int channels, Affine inverse, byte fill) {
    byte[] dst = new byte[src.length];
    for (int y = 0; y < height; y++) {
      double v = y + 0.5;
      double u0 = inverse.u(0.5, v);
      double v0 = inverse.v(0.5, v);
      int o = y * width * channels;
      for (int x = 0; x < width; x++, o += channels) {
        double us = u0 + inverse.a * x;
        double vs = v0 + inverse.d * x;
        int sx = (int) Math.floor(us);
        int sy = (int) Math.floor(vs);
        if (sx >= 0 && sx < width && sy >= 0 && sy < height) {
          int s = (sy * width + sx) * channels;
          if (channels == 3) {
            dst[o] = src[s];
            dst[o + 1] = src[s + 1];
            dst[o + 2] = src[s + 2];
          } else {
            System.arraycopy(src, s, dst, o, channels);
          }
        } else {
          for (int k = 0; k < channels; k++) {
            dst[o + k] = fill;
          }
        }
      }
    }
    return dst;
  }

  /**
   * Scale jitter's resample: the input (optionally mirrored) resized to {@code scaledHeight x scaledWidth}
   * (bilinear, half-pixel centres, edge pixels repeated), cropped at the offset to the output size, and
   * padded bottom/right with {@code fill} where the crop runs past the scaled image.
   */
  static byte[] resizeCrop(
      byte[] src, int height, int width, int channels, ResizeCrop p, byte fill) {
    int outH = p.outputHeight();
    int outW = p.outputWidth();
    double sy = (double) height / p.scaledHeight();
    double sx = (double) width / p.scaledWidth();
    // Output columns past the scaled image are a suffix (source columns grow with x).
    int insideW = Math.max(0, Math.min(outW, p.scaledWidth() - p.offsetX()));
    int[] x0 = new int[insideW];
    int[] x1 = new int[insideW];
    float[] wx = new float[insideW];
    for (int x = 0; x < insideW; x++) {
      double u = (x + p.offsetX() + 0.5) * sx - 0.5;
      if (p.flip()) {
        u = width - 1 - u;
      }
      u = Math.max(0, Math.min(width - 1, u));
      int lo = (int) Math.floor(u);
      x0[x] = lo * channels;
      x1[x] = Math.min(lo + 1, width - 1) * channels;
      wx[x] = (float) (u - lo);
    }
    byte[] dst = new byte[outH * outW * channels];
    int row = width * channels;
    int span = insideW * channels;
    // Horizontally interpolated source rows, each computed once and shared by the output rows that read it
    // (the same float expressions as a direct 2x2 bilinear, so results are bit-identical).
    float[] upper = new float[span];
    float[] lower = new float[span];
    int upperRow = -1;
    int lowerRow = -1;
    for (int y = 0; y < outH; y++) {
      int ys = y + p.offsetY();
      int o = y * outW * channels;
      if (ys >= p.scaledHeight()) {
        java.util.Arrays.fill(dst, o, o + outW * channels, fill);
        continue;
      }
      double v = Math.max(0, Math.min(height - 1, (ys + 0.5) * sy - 0.5));
      int lo = (int) Math.floor(v);
      int hi = Math.min(lo + 1, height - 1);
      float wy = (float) (v - lo);
      if (lo == lowerRow) {
        float[] t = upper;
        upper = lower;
        lower = t;
        upperRow = lowerRow;
        lowerRow = -1;
      }
      if (lo != upperRow) {
        horizontal(src, lo * row, x0, x1, wx, channels, upper);
        upperRow = lo;
      }
      if (hi != lowerRow) {
        horizontal(src, hi * row, x0, x1, wx, channels, lower);
        lowerRow = hi;
      }
      for (int i = 0; i < span; i++) {
        float top = upper[i];
        dst[o + i] = (byte) (int) (top + (lower[i] - top) * wy + 0.5f);
      }
      java.util.Arrays.fill(dst, o + span, o + outW * channels, fill);
    }
    return dst;
  }

  /** One source row interpolated along x: {@code a (1 - fx) + b fx} per column and channel. */
  private static void horizontal(byte[] src, int rowStart, int[] x0, int[] x1, float[] wx, int channels, float[] out) {
    if (channels == 3) {
      for (int x = 0, i = 0; x < x0.length; x++, i += 3) {
        float fx = wx[x];
        float gx = 1 - fx;
        int a = rowStart + x0[x];
        int b = rowStart + x1[x];
        out[i] = (src[a] & 0xFF) * gx + (src[b] & 0xFF) * fx;
        out[i + 1] = (src[a + 1] & 0xFF) * gx + (src[b + 1] & 0xFF) * fx;
        out[i + 2] = (src[a + 2] & 0xFF) * gx + (src[b + 2] & 0xFF) * fx;
      }
      return;
    }
    for (int x = 0, i = 0; x < x0.length; x++) {
      float fx = wx[x];
      float gx = 1 - fx;
      int a = rowStart + x0[x];
      int b = rowStart + x1[x];
      for (int k = 0; k < channels; k++, i++) {
        out[i] = (src[a + k] & 0xFF) * gx + (src[b + k] & 0xFF) * fx;
      }
    }
  }

  /** The nearest-neighbour version of {@link #resizeCrop} for class masks (pad value {@code fill}). */
  static byte[] resizeCropNearest(byte[] src, int height, int width, ResizeCrop p, byte fill) {
    int outH = p.outputHeight();
    int outW = p.outputWidth();
    double sy = (double) height / p.scaledHeight();
    double sx = (double) width / p.scaledWidth();
    byte[] dst = new byte[outH * outW];
    int[] cols = new int[outW];
    for (int x = 0; x < outW; x++) {
      int xs = x + p.offsetX();
      if (xs >= p.scaledWidth()) {
        cols[x] = -1;
        continue;
      }
      int u = Math.min(width - 1, (int) Math.floor((xs + 0.5) * sx));
      cols[x] = p.flip() ? width - 1 - u : u;
    }
    for (int y = 0; y < outH; y++) {
      int ys = y + p.offsetY();
      int o = y * outW;
      int sr = Math.min(height - 1, (int) Math.floor((ys + 0.5) * sy));
      for (int x = 0; x < outW; x++) {
        dst[o + x] = ys >= p.scaledHeight() || cols[x] < 0 ? fill : src[sr * width + cols[x]];
      }
    }
    return dst;
  }
}
