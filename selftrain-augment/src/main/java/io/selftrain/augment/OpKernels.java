package io.selftrain.augment;

import java.util.List;

/**
 * The CPU path: executes resolved {@link Kernel} calls on a {@link Work} state's HWC uint8 pixels
 * and mask, and defines the geometry of the geometric ops as affine maps so that consecutive ones
 * can be fused into a single resample (the device path, {@link DevicePipeline}, shares both through
 * {@link Plan}).
 */
final class OpKernels {
  /** TF's {@code replace} value for exposed and cut-out pixels. */
  static final byte FILL = (byte) 128;

  /** The mask value of exposed pixels. */
  static final byte MASK_FILL = (byte) 255;

  private OpKernels() {}

  /**
   * The output-to-input map of a geometric op in continuous coordinates, built from TF's projective
   * transforms ({@code rotate}, {@code shear_x/y}, {@code translate_x/y}; index space).
   */
  static Affine inverseMap(AugmentOp op, double argument, int height, int width) {
    switch (op) {
      case FLIP:
        return new Affine(-1, 0, width, 0, 1, 0);
      case ROTATE:
        {
          double radians = argument * Math.PI / 180.0;
          double cos = Math.cos(radians);
          double sin = Math.sin(radians);
          double xOffset = ((width - 1) - (cos * (width - 1) - sin * (height - 1))) / 2.0;
          double yOffset = ((height - 1) - (sin * (width - 1) + cos * (height - 1))) / 2.0;
          return Affine.fromIndexTransform(cos, -sin, xOffset, sin, cos, yOffset);
        }
      case SHEAR_X:
        return Affine.fromIndexTransform(1, argument, 0, 0, 1, 0);
      case SHEAR_Y:
        return Affine.fromIndexTransform(1, 0, 0, argument, 1, 0);
      case TRANSLATE_X:
        return Affine.fromIndexTransform(1, 0, argument, 0, 1, 0);
      case TRANSLATE_Y:
        return Affine.fromIndexTransform(1, 0, 0, 0, 1, argument);
      default:
        throw new IllegalArgumentException("op must be geometric: " + op);
    }
  }

  /**
   * Runs the calls {@link Plan#resolve} made for this state's draw, on its pixels and mask.
   *
   * @param work the state; its size and boxes are already the output's (moved by {@link
   *     Plan#resolve})
   * @param height rows of the pixels before the first call
   * @param width columns of the pixels before the first call
   * @param kernels the calls
   */
  static void run(Work work, int height, int width, List<Kernel> kernels) {
    int h = height;
    int w = width;
    int c = work.channels;
    for (Kernel kernel : kernels) {
      if (kernel instanceof Kernel.Warp warp) {
        work.replacePixels(Warps.nearest(work.pixels, h, w, c, warp.inverse(), FILL));
        if (work.mask != null) {
          work.mask = Warps.nearest(work.mask, h, w, 1, warp.inverse(), MASK_FILL);
        }
      } else if (kernel instanceof Kernel.Resize resize) {
        ResizeCrop r = resize.step();
        work.replacePixels(Warps.resizeCrop(work.pixels, h, w, c, r, FILL));
        if (work.mask != null) {
          work.mask = Warps.resizeCropNearest(work.mask, h, w, r, MASK_FILL);
        }
        h = r.outputHeight();
        w = r.outputWidth();
      } else if (kernel instanceof Kernel.InBox box) {
        inBox(work.ownPixels(), w, c, box);
      } else {
        work.replacePixels(whole(work.ownPixels(), h, w, c, kernel));
      }
    }
  }

  /**
   * Applies a {@link Kernel.Warp}, {@link Kernel.Point} or {@link Kernel.Fill} to a whole image.
   */
  private static byte[] whole(byte[] pixels, int height, int width, int channels, Kernel kernel) {
    if (kernel instanceof Kernel.Warp warp) {
      return Warps.nearest(pixels, height, width, channels, warp.inverse(), FILL);
    }
    if (kernel instanceof Kernel.Fill fill) {
      for (int y = fill.y0(); y < fill.y1(); y++) {
        java.util.Arrays.fill(
            pixels, (y * width + fill.x0()) * channels, (y * width + fill.x1()) * channels, FILL);
      }
      return pixels;
    }
    if (kernel instanceof Kernel.Point point) {
      return point(pixels, height, width, channels, point.op(), point.argument());
    }
    throw new IllegalArgumentException("kernel must act on a whole image: " + kernel);
  }

  /** The crop of the box, the inner kernel on it, and the crop written back. */
  private static void inBox(byte[] pixels, int width, int channels, Kernel.InBox box) {
    int ch = box.height();
    int cw = box.width();
    int row = cw * channels;
    byte[] crop = new byte[ch * row];
    for (int y = 0; y < ch; y++) {
      System.arraycopy(pixels, ((box.y() + y) * width + box.x()) * channels, crop, y * row, row);
    }
    byte[] out = whole(crop, ch, cw, channels, box.inner());
    for (int y = 0; y < ch; y++) {
      System.arraycopy(out, y * row, pixels, ((box.y() + y) * width + box.x()) * channels, row);
    }
  }

  /** A colour op on HWC pixels (in place where possible); returns the result. */
  static byte[] point(
      byte[] pixels, int height, int width, int channels, AugmentOp op, double argument) {
    switch (op) {
      case IDENTITY -> {}
      case AUTO_CONTRAST -> PointOps.autoContrast(pixels, channels);
      case EQUALIZE -> PointOps.equalize(pixels, channels);
      case INVERT -> PointOps.invert(pixels);
      case POSTERIZE -> PointOps.posterize(pixels, (int) argument);
      case SOLARIZE -> PointOps.solarize(pixels, (int) argument);
      case SOLARIZE_ADD -> PointOps.solarizeAdd(pixels, (int) argument);
      case COLOR -> PointOps.color(pixels, channels, (float) argument);
      case CONTRAST -> PointOps.contrast(pixels, channels, (float) argument);
      case BRIGHTNESS -> PointOps.brightness(pixels, (float) argument);
      case SHARPNESS -> PointOps.sharpness(pixels, height, width, channels, (float) argument);
      default -> throw new IllegalArgumentException("op must be a colour op: " + op);
    }
    return pixels;
  }
}
