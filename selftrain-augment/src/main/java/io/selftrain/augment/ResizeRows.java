package io.selftrain.augment;

/**
 * The two row loops of the fixed-point bilinear resize ({@link Warps#resizeCrop}) in plain Java:
 * interpolating one source row along x, and blending two such rows into an output row. When the
 * JDK's {@code jdk.incubator.vector} module is in the boot layer ({@code java --add-modules
 * jdk.incubator.vector}), {@link #BEST} is {@link VectorResizeRows}, which computes the same
 * integers with SIMD instructions (JDK 17's auto-vectoriser leaves these byte/int loops scalar).
 * Both give identical bytes.
 */
class ResizeRows {
  /** The system property that turns the vectorised loops off ({@code -Dselftrain.vector=false}). */
  static final String PROPERTY = "selftrain.vector";

  /** The name of the JDK module the vectorised loops need. */
  static final String MODULE = "jdk.incubator.vector";

  /** The loops every resize uses: vectorised when possible, otherwise these. */
  static final ResizeRows BEST =
      choose(ModuleLayer.boot().findModule(MODULE).isPresent(), System.getProperty(PROPERTY));

  /**
   * @param modulePresent whether {@code jdk.incubator.vector} is in the boot layer
   * @param property the value of {@link #PROPERTY}, or null
   * @return the vectorised loops if the module is present and the property is not {@code false},
   *     else the plain ones
   */
  static ResizeRows choose(boolean modulePresent, String property) {
    if (!modulePresent || "false".equalsIgnoreCase(property)) {
      return new ResizeRows();
    }
    try {
      // By name, so that this class links without the incubator module.
      return (ResizeRows)
          Class.forName("io.selftrain.augment.VectorResizeRows")
              .getDeclaredConstructor()
              .newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      return new ResizeRows();
    }
  }

  /**
   * @return {@code "scalar"} or {@code "jdk.incubator.vector"}
   */
  String describe() {
    return "scalar";
  }

  /**
   * The loops for one resize with these column tables; the plain loops need no state, vectorised
   * ones keep per-value tables and a scratch row.
   *
   * @param x0 per output pixel, the byte offset in a source row of the left sample
   * @param x1 per output pixel, the byte offset of the right sample
   * @param wx per output pixel, the weight of the right sample in [0, 256]
   * @param channels samples per pixel
   * @param width source pixels per row
   */
  ResizeRows forColumns(int[] x0, int[] x1, int[] wx, int channels, int width) {
    return this;
  }

  /** One source row interpolated along x: {@code a (256 - wx) + b wx} per column and channel. */
  void horizontal(byte[] src, int rowStart, int[] x0, int[] x1, int[] wx, int channels, int[] out) {
    if (channels == 3) {
      for (int x = 0, i = 0; x < x0.length; x++, i += 3) {
        int f = wx[x];
        int a = rowStart + x0[x];
        int b = rowStart + x1[x];
        out[i] = interpolate(src[a] & 0xFF, src[b] & 0xFF, f);
        out[i + 1] = interpolate(src[a + 1] & 0xFF, src[b + 1] & 0xFF, f);
        out[i + 2] = interpolate(src[a + 2] & 0xFF, src[b + 2] & 0xFF, f);
      }
      return;
    }
    for (int x = 0, i = 0; x < x0.length; x++) {
      int f = wx[x];
      int a = rowStart + x0[x];
      int b = rowStart + x1[x];
      for (int k = 0; k < channels; k++, i++) {
        out[i] = interpolate(src[a + k] & 0xFF, src[b + k] & 0xFF, f);
      }
    }
  }

  /**
   * One output row: {@code (top (256 - wy) + bottom wy + 2^15) >> 16} for the first {@code span}
   * values.
   */
  void vertical(int[] upper, int[] lower, int wy, byte[] dst, int offset, int span) {
    for (int i = 0; i < span; i++) {
      dst[offset + i] = (byte) blend(upper[i], lower[i], wy);
    }
  }

  /** The vertical blend of one value. */
  static int blend(int top, int bottom, int wy) {
    return ((top << Warps.WEIGHT_BITS) + (bottom - top) * wy + (1 << (2 * Warps.WEIGHT_BITS - 1)))
        >> (2 * Warps.WEIGHT_BITS);
  }

  /** The horizontal interpolation of one value. */
  static int interpolate(int a, int b, int wx) {
    return (a << Warps.WEIGHT_BITS) + (b - a) * wx;
  }
}
