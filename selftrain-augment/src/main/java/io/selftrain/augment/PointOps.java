package io.selftrain.augment;

/**
 * Colour kernels on HWC uint8 pixels with the semantics of the TensorFlow AutoAugment reference
 * ({@code autoaugment_utils.py}; reference/paper-spec.md Sec. 4.3-4.4). Every op that depends on
 * the pixel value only is a 256-entry lookup table; blends against a per-pixel "degenerate" image
 * (Color, Sharpness) use a 256 x 256 table indexed by (degenerate, pixel).
 */
final class PointOps {
  private static final float[] GRAY_R = new float[256];
  private static final float[] GRAY_G = new float[256];
  private static final float[] GRAY_B = new float[256];

  static {
    // tf.image.rgb_to_grayscale: convert_image_dtype to float (x * 1/255), weights (0.2989, 0.5870,
    // 0.1140).
    float inv = 1f / 255f;
    for (int v = 0; v < 256; v++) {
      float f = v * inv;
      GRAY_R[v] = f * 0.2989f;
      GRAY_G[v] = f * 0.5870f;
      GRAY_B[v] = f * 0.1140f;
    }
  }

  private PointOps() {}

  /**
   * TF {@code blend(image1, image2, factor)}: {@code image1 + factor * (image2 - image1)} in
   * float32; the result is truncated toward zero, and clipped to [0, 255] first when the factor is
   * outside (0, 1).
   */
  static int blend(int degenerate, int pixel, float factor) {
    if (factor == 0f) {
      return degenerate;
    }
    if (factor == 1f) {
      return pixel;
    }
    float difference = (float) pixel - (float) degenerate;
    float temp = (float) degenerate + factor * difference;
    if (factor > 0f && factor < 1f) {
      return (int) temp;
    }
    return (int) Math.min(255f, Math.max(0f, temp));
  }

  /**
   * TF grayscale of one RGB pixel: the float weights above, then {@code convert_image_dtype} back
   * (x * 255.5, truncated).
   */
  static int gray(int r, int g, int b) {
    float sum = GRAY_R[r] + GRAY_G[g] + GRAY_B[b];
    return Math.min(255, (int) (sum * 255.5f));
  }

  static void applyLut(byte[] pixels, byte[] lut) {
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = lut[pixels[i] & 0xFF];
    }
  }

  static byte[] lut(java.util.function.IntUnaryOperator f) {
    byte[] lut = new byte[256];
    for (int v = 0; v < 256; v++) {
      lut[v] = (byte) f.applyAsInt(v);
    }
    return lut;
  }

  static void invert(byte[] pixels) {
    applyLut(pixels, lut(v -> 255 - v));
  }

  /**
   * TF posterize: {@code left_shift(right_shift(x, 8 - bits), 8 - bits)}. TF's bitwise shifts clamp
   * the shift to [0, 7] for uint8, so bits 0 keeps the top bit and bits above 8 (magnitudes above
   * 10 scaled to bits) leave the image unchanged. Kept as in TF.
   */
  static void posterize(byte[] pixels, int bits) {
    int shift = Math.max(0, Math.min(7, 8 - bits));
    applyLut(pixels, lut(v -> (v >> shift) << shift));
  }

  /** TF solarize: pixels at or above the threshold are inverted. */
  static void solarize(byte[] pixels, int threshold) {
    applyLut(pixels, lut(v -> v < threshold ? v : 255 - v));
  }

  /**
   * TF solarize_add with threshold 128: pixels below 128 get {@code addition} added, clipped to [0,
   * 255].
   */
  static void solarizeAdd(byte[] pixels, int addition) {
    applyLut(pixels, lut(v -> v < 128 ? Math.max(0, Math.min(255, v + addition)) : v));
  }

  /** TF brightness: blend against black. */
  static void brightness(byte[] pixels, float factor) {
    applyLut(pixels, lut(v -> blend(0, v, factor)));
  }

  /**
   * TF color: blend against the pixel's grayscale (a single-channel image is its own grayscale).
   */
  static void color(byte[] pixels, int channels, float factor) {
    if (channels != 3) {
      return;
    }
    byte[] table = blendTable(factor);
    for (int i = 0; i < pixels.length; i += 3) {
      int r = pixels[i] & 0xFF;
      int g = pixels[i + 1] & 0xFF;
      int b = pixels[i + 2] & 0xFF;
      int base = gray(r, g, b) << 8;
      pixels[i] = table[base | r];
      pixels[i + 1] = table[base | g];
      pixels[i + 2] = table[base | b];
    }
  }

  /**
   * Contrast: blend against a constant grey equal to the mean grayscale value (truncated to uint8).
   *
   * <p>NOTE: TF quirk not kept. TF computes that "mean" as {@code sum(histogram) / 256}, i.e. the
   * number of pixels divided by 256 (clipped to 255), which makes the op depend on image size
   * rather than content (196 at 224x224, 255 from 255x256 up). Here the degenerate value is the
   * true mean grey, as the TF comment and PIL's ImageEnhance.Contrast intend.
   */
  static void contrast(byte[] pixels, int channels, float factor) {
    int mean = meanGray(pixels, channels);
    applyLut(pixels, lut(v -> blend(mean, v, factor)));
  }

  static int meanGray(byte[] pixels, int channels) {
    long sum = 0;
    if (channels == 3) {
      for (int i = 0; i < pixels.length; i += 3) {
        sum += gray(pixels[i] & 0xFF, pixels[i + 1] & 0xFF, pixels[i + 2] & 0xFF);
      }
    } else {
      for (byte p : pixels) {
        sum += p & 0xFF;
      }
    }
    float mean = (float) sum / (float) (pixels.length / channels);
    return (int) Math.min(255f, Math.max(0f, mean));
  }

  /**
   * TF sharpness: the degenerate image is the 3x3 smoothing {@code [[1,1,1],[1,5,1],[1,1,1]] / 13}
   * of the interior (truncated to uint8), border pixels keep their value; then blend. The smoothing
   * is computed exactly in integers (TF's float32 sum may land one below where the 3x3 sum is a
   * multiple of 13).
   */
  static void sharpness(byte[] pixels, int height, int width, int channels, float factor) {
    if (height < 3 || width < 3) {
      return; // every pixel is a border pixel: the degenerate image equals the input
    }
    byte[] src = pixels.clone();
    byte[] table = blendTable(factor);
    int row = width * channels;
    for (int y = 1; y < height - 1; y++) {
      for (int x = 1; x < width - 1; x++) {
        int o = y * row + x * channels;
        for (int k = 0; k < channels; k++) {
          int i = o + k;
          int sum =
              (src[i - row - channels] & 0xFF)
                  + (src[i - row] & 0xFF)
                  + (src[i - row + channels] & 0xFF)
                  + (src[i - channels] & 0xFF)
                  + 5 * (src[i] & 0xFF)
                  + (src[i + channels] & 0xFF)
                  + (src[i + row - channels] & 0xFF)
                  + (src[i + row] & 0xFF)
                  + (src[i + row + channels] & 0xFF);
          int degenerate = sum / 13;
          pixels[i] = table[(degenerate << 8) | (src[i] & 0xFF)];
        }
      }
    }
  }

  /** Per-channel TF equalize: a histogram-based table, or the identity when the step is 0. */
  static void equalize(byte[] pixels, int channels) {
    for (int c = 0; c < channels; c++) {
      int[] hist = new int[256];
      for (int i = c; i < pixels.length; i += channels) {
        hist[pixels[i] & 0xFF]++;
      }
      int last = 0;
      long total = 0;
      for (int v = 0; v < 256; v++) {
        if (hist[v] != 0) {
          last = hist[v];
          total += hist[v];
        }
      }
      long step = (total - last) / 255;
      if (step == 0) {
        continue;
      }
      byte[] lut = new byte[256];
      long cumsum = 0;
      for (int v = 0; v < 256; v++) {
        // lut = concat([0], ((cumsum + step // 2) // step)[:-1]), clipped to [0, 255]
        lut[v] = (byte) (v == 0 ? 0 : Math.min(255, (cumsum + step / 2) / step));
        cumsum += hist[v];
      }
      for (int i = c; i < pixels.length; i += channels) {
        pixels[i] = lut[pixels[i] & 0xFF];
      }
    }
  }

  /**
   * Per-channel TF autocontrast: stretch [min, max] to [0, 255] in float32, truncated; flat
   * channels unchanged.
   */
  static void autoContrast(byte[] pixels, int channels) {
    for (int c = 0; c < channels; c++) {
      int lo = 255;
      int hi = 0;
      for (int i = c; i < pixels.length; i += channels) {
        int v = pixels[i] & 0xFF;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      if (hi <= lo) {
        continue;
      }
      float scale = 255f / (float) (hi - lo);
      float offset = -(float) lo * scale;
      byte[] lut = lut(v -> (int) Math.min(255f, Math.max(0f, (float) v * scale + offset)));
      for (int i = c; i < pixels.length; i += channels) {
        pixels[i] = lut[pixels[i] & 0xFF];
      }
    }
  }

  /**
   * The table {@code blend(d, x, factor)} at index {@code d << 8 | x}, cached per factor: policies
   * use a handful of factors (one per level), so the 64 KiB table is built once per factor, not per
   * image.
   */
  static byte[] blendTable(float factor) {
    byte[] cached = BLEND_TABLES.get(factor);
    if (cached != null) {
      return cached;
    }
    byte[] table = buildBlendTable(factor);
    if (BLEND_TABLES.size() < MAX_CACHED_TABLES) {
      BLEND_TABLES.putIfAbsent(factor, table);
    }
    return table;
  }

  private static final int MAX_CACHED_TABLES = 64;
  private static final java.util.concurrent.ConcurrentHashMap<Float, byte[]> BLEND_TABLES =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static byte[] buildBlendTable(float factor) {
    byte[] table = new byte[256 * 256];
    for (int d = 0; d < 256; d++) {
      for (int x = 0; x < 256; x++) {
        table[(d << 8) | x] = (byte) blend(d, x, factor);
      }
    }
    return table;
  }
}
