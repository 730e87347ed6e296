package io.selftrain.augment;

/**
 * Resampling kernels on HWC uint8 buffers: nearest-neighbour affine warps (TF's {@code
 * ImageProjectiveTransform} with {@code NEAREST}, which the AutoAugment geometric ops use) and the
 * separable bilinear resize-and-crop of scale jitter.
 */
final class Warps {
  private Warps() {}

  /**
   * Nearest-neighbour warp keeping the size: output pixel centre p reads the input pixel containing
   * {@code inverse(p)}; outside the input it takes {@code fill}.
   */
  static byte[] nearest(
      byte[] src, int height, int width, int channels, Affine inverse, byte fill) {
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
   * Fraction bits of the bilinear weights: 8 per axis keeps every intermediate below 2^24 (exact in
   * float32).
   */
  static final int WEIGHT_BITS = 8;

  /** The weight that means "all of the second sample". */
  static final int WEIGHT_ONE = 1 << WEIGHT_BITS;

  /**
   * A bilinear weight in fixed point: {@code floor(fraction * 256 + 0.5)}, in [0, 256]. The device
   * path computes the same value from the same float64 fraction ({@link DeviceWarps#resizeCrop}).
   */
  static int weight(double fraction) {
    return (int) Math.floor(fraction * WEIGHT_ONE + 0.5);
  }

  /**
   * Scale jitter's resample: the input (optionally mirrored) resized to {@code scaledHeight x
   * scaledWidth} (bilinear, half-pixel centres, edge pixels repeated), cropped at the offset to the
   * output size, and padded bottom/right with {@code fill} where the crop runs past the scaled
   * image.
   *
   * <p>Fixed-point arithmetic, as OpenCV and Pillow resize uint8 images: 8-bit weights per axis
   * ({@link #weight}), a row {@code a (256 - wx) + b wx}, an output {@code (top (256 - wy) + bottom
   * wy + 2^15) >> 16}. Every output is within one grey level of the exact bilinear value rounded to
   * nearest. Source rows are interpolated along x once and shared by the output rows that read
   * them. The loops are the native kernel where the jar carries one for this platform ({@link
   * NativeKernels}), otherwise {@link ResizeRows#BEST}; all give the same bytes.
   */
  static byte[] resizeCrop(
      byte[] src, int height, int width, int channels, ResizeCrop p, byte fill) {
    if (!NativeKernels.AVAILABLE) {
      return resizeCrop(src, height, width, channels, p, fill, ResizeRows.BEST);
    }
    ResizeTables t = ResizeTables.of(height, width, channels, p);
    byte[] dst = new byte[p.outputHeight() * p.outputWidth() * channels];
    NativeKernels.resizeCrop(src, width, channels, t, dst, p.outputWidth(), p.outputHeight(), fill);
    return dst;
  }

  /** {@link #resizeCrop(byte[], int, int, int, ResizeCrop, byte)} with the given Java loops. */
  static byte[] resizeCrop(
      byte[] src, int height, int width, int channels, ResizeCrop p, byte fill, ResizeRows loops) {
    ResizeTables t = ResizeTables.of(height, width, channels, p);
    int outH = p.outputHeight();
    int outW = p.outputWidth();
    byte[] dst = new byte[outH * outW * channels];
    int row = width * channels;
    int span = t.insideWidth * channels;
    ResizeRows rows = loops.forColumns(t.x0, t.x1, t.wx, channels, width);
    int[] upper = new int[span];
    int[] lower = new int[span];
    int upperRow = -1;
    int lowerRow = -1;
    for (int y = 0; y < outH; y++) {
      int o = y * outW * channels;
      if (y >= t.insideHeight) {
        java.util.Arrays.fill(dst, o, o + outW * channels, fill);
        continue;
      }
      int lo = t.rows[3 * y];
      int hi = t.rows[3 * y + 1];
      int wy = t.rows[3 * y + 2];
      if (lo == lowerRow) {
        int[] swap = upper;
        upper = lower;
        lower = swap;
        upperRow = lowerRow;
        lowerRow = -1;
      }
      if (lo != upperRow) {
        rows.horizontal(src, lo * row, t.x0, t.x1, t.wx, channels, upper);
        upperRow = lo;
      }
      if (hi != lowerRow) {
        rows.horizontal(src, hi * row, t.x0, t.x1, t.wx, channels, lower);
        lowerRow = hi;
      }
      rows.vertical(upper, lower, wy, dst, o, span);
      java.util.Arrays.fill(dst, o + span, o + outW * channels, fill);
    }
    return dst;
  }

  /**
   * The nearest-neighbour version of {@link #resizeCrop} for class masks (pad value {@code fill}).
   */
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
