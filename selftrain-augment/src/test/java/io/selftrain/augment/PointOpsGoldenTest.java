package io.selftrain.augment;

import static org.assertj.core.api.Assertions.assertThat;

import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Origin;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden values for the colour ops: hand-computed literals, and whole-image references written here
 * pixel by pixel from the TF formulas (no lookup tables, no shared code with the kernels).
 */
class PointOpsGoldenTest {
  private static final PolicyAugmenter<ClassTarget> REPLAY =
      Augmenters.randAugment(RandAugmentConfig.builder().numLayers(0).build());

  private static Image run(Image in, AugmentOp op, double argument) {
    Example<ClassTarget> e = new Example<>(in, ClassTarget.index(0, 2), Origin.HUMAN);
    return REPLAY.apply(e, List.of(new OpParams(op, argument, 0, 1))).image();
  }

  private static Image grey(int height, int width, int... values) {
    byte[] p = new byte[height * width];
    for (int i = 0; i < p.length; i++) {
      p[i] = (byte) values[i % values.length];
    }
    return Image.of(height, width, 1, p);
  }

  private static Image rgb(int r, int g, int b) {
    return Image.of(1, 1, 3, new byte[] {(byte) r, (byte) g, (byte) b});
  }

  /** TF blend written out: float32 {@code d + f * (x - d)}, truncated, clipped outside (0, 1). */
  private static int referenceBlend(int d, int x, float f) {
    if (f == 0f) {
      return d;
    }
    if (f == 1f) {
      return x;
    }
    float t = d + f * (float) (x - d);
    if (f > 0f && f < 1f) {
      return (int) t;
    }
    return t < 0f ? 0 : t > 255f ? 255 : (int) t;
  }

  @Test
  void posterize_literals() {
    Image out = run(grey(1, 4, 183, 255, 15, 128), AugmentOp.POSTERIZE, 4);
    assertThat(out.pixels()).containsExactly((byte) 176, (byte) 240, (byte) 0, (byte) 128);
    // bits 0: TF clamps the shift to 7, keeping the top bit
    assertThat(run(grey(1, 2, 200, 100), AugmentOp.POSTERIZE, 0).pixels())
        .containsExactly((byte) 128, (byte) 0);
    // bits 10 (level 27): shift clamped to 0, no change
    assertThat(run(grey(1, 2, 201, 99), AugmentOp.POSTERIZE, 10).pixels())
        .containsExactly((byte) 201, (byte) 99);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void posterize_wholeImage_matchesMask(int bits) {
    Image in = Fixtures.gradient(17, 19);
    Image out = run(in, AugmentOp.POSTERIZE, bits);
    int mask = 0xFF & ~((1 << (8 - bits)) - 1);
    for (int i = 0; i < in.pixels().length; i++) {
      assertThat(out.pixels()[i] & 0xFF).isEqualTo(in.pixels()[i] & mask);
    }
  }

  @Test
  void solarize_literals() {
    Image out = run(grey(1, 4, 200, 128, 127, 0), AugmentOp.SOLARIZE, 128);
    assertThat(out.pixels()).containsExactly((byte) 55, (byte) 127, (byte) 127, (byte) 0);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 76, 128, 179, 255, 256})
  void solarize_wholeImage(int threshold) {
    Image in = Fixtures.gradient(16, 16);
    Image out = run(in, AugmentOp.SOLARIZE, threshold);
    for (int i = 0; i < in.pixels().length; i++) {
      int v = in.pixels()[i] & 0xFF;
      assertThat(out.pixels()[i] & 0xFF).isEqualTo(v >= threshold ? 255 - v : v);
    }
  }

  @Test
  void solarizeAdd_literals() {
    Image out = run(grey(1, 4, 100, 120, 127, 250), AugmentOp.SOLARIZE_ADD, 55);
    assertThat(out.pixels()).containsExactly((byte) 155, (byte) 175, (byte) 182, (byte) 250);
    Image clipped = run(grey(1, 2, 127, 128), AugmentOp.SOLARIZE_ADD, 200);
    assertThat(clipped.pixels()).containsExactly((byte) 255, (byte) 128);
  }

  @Test
  void invert_literals() {
    assertThat(run(grey(1, 3, 0, 100, 255), AugmentOp.INVERT, 0).pixels())
        .containsExactly((byte) 255, (byte) 155, (byte) 0);
  }

  @Test
  void brightness_literals() {
    // factor 1.36 (level 7): 100 -> 136, 200 -> 272 clipped to 255; factor 0.1 (level 0): 99 -> 9.9
    // -> 9
    assertThat(run(grey(1, 2, 100, 200), AugmentOp.BRIGHTNESS, 1.36).pixels())
        .containsExactly((byte) 136, (byte) 255);
    assertThat(run(grey(1, 1, 99), AugmentOp.BRIGHTNESS, 0.1).pixels()).containsExactly((byte) 9);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.1, 0.55, 1.0, 1.36, 1.9, 4.96})
  void brightness_wholeImage(double factor) {
    Image in = Fixtures.gradient(16, 16);
    Image out = run(in, AugmentOp.BRIGHTNESS, factor);
    for (int i = 0; i < in.pixels().length; i++) {
      assertThat(out.pixels()[i] & 0xFF)
          .isEqualTo(referenceBlend(0, in.pixels()[i] & 0xFF, (float) factor));
    }
  }

  @Test
  void color_literals() {
    // gray(200, 100, 50) = int((200/255*0.2989 + 100/255*0.587 + 50/255*0.114) * 255.5) =
    // int(124.42) = 124
    assertThat(run(rgb(200, 100, 50), AugmentOp.COLOR, 1.9).pixels())
        .containsExactly((byte) 255, (byte) 78, (byte) 0);
    assertThat(run(rgb(200, 100, 50), AugmentOp.COLOR, 0.1).pixels())
        .containsExactly((byte) 131, (byte) 121, (byte) 116);
    assertThat(run(rgb(200, 100, 50), AugmentOp.COLOR, 0.0).pixels())
        .containsExactly((byte) 124, (byte) 124, (byte) 124);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.1, 0.73, 1.9, 4.96})
  void color_wholeImage(double factor) {
    Image in = Fixtures.gradient(13, 21);
    Image out = run(in, AugmentOp.COLOR, factor);
    for (int y = 0; y < 13; y++) {
      for (int x = 0; x < 21; x++) {
        float g =
            in.get(y, x, 0) / 255f * 0.2989f
                + in.get(y, x, 1) / 255f * 0.5870f
                + in.get(y, x, 2) / 255f * 0.1140f;
        int gray = (int) (g * 255.5f);
        for (int c = 0; c < 3; c++) {
          assertThat(out.get(y, x, c))
              .as("(%s,%s,%s)", y, x, c)
              .isCloseTo(
                  referenceBlend(gray, in.get(y, x, c), (float) factor),
                  org.assertj.core.api.Assertions.within(1));
        }
      }
    }
  }

  @Test
  void contrast_literals() {
    // mean grey 150; factor 1.9: 150 + 1.9 * (200 - 150) = 245, 150 - 95 = 55; factor 0.1: 155, 145
    assertThat(run(grey(2, 2, 100, 200), AugmentOp.CONTRAST, 1.9).pixels())
        .containsExactly((byte) 55, (byte) 245, (byte) 55, (byte) 245);
    assertThat(run(grey(1, 2, 100, 200), AugmentOp.CONTRAST, 0.1).pixels())
        .containsExactly((byte) 145, (byte) 155);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.1, 0.46, 1.54, 1.9})
  void contrast_wholeImage(double factor) {
    Image in = Fixtures.gradient(16, 16);
    double sum = 0;
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        float g =
            in.get(y, x, 0) / 255f * 0.2989f
                + in.get(y, x, 1) / 255f * 0.5870f
                + in.get(y, x, 2) / 255f * 0.1140f;
        sum += (int) (g * 255.5f);
      }
    }
    int mean = (int) (sum / 256);
    Image out = run(in, AugmentOp.CONTRAST, factor);
    for (int i = 0; i < in.pixels().length; i++) {
      assertThat(out.pixels()[i] & 0xFF)
          .isEqualTo(referenceBlend(mean, in.pixels()[i] & 0xFF, (float) factor));
    }
  }

  @Test
  void sharpness_literals() {
    // centre: degenerate = (5 * 130) / 13 = 50; factor 1.9: 50 + 1.9 * 80 = 202; border pixels
    // unchanged
    Image in = grey(3, 3, 0, 0, 0, 0, 130, 0, 0, 0, 0);
    assertThat(run(in, AugmentOp.SHARPNESS, 1.9).pixels())
        .containsExactly(
            (byte) 0,
            (byte) 0,
            (byte) 0,
            (byte) 0,
            (byte) 202,
            (byte) 0,
            (byte) 0,
            (byte) 0,
            (byte) 0);
    assertThat(run(in, AugmentOp.SHARPNESS, 0.1).get(1, 1, 0)).isEqualTo(58);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.1, 0.64, 1.9})
  void sharpness_wholeImage(double factor) {
    Image in = Fixtures.gradient(9, 11);
    Image out = run(in, AugmentOp.SHARPNESS, factor);
    int[][] k = {{1, 1, 1}, {1, 5, 1}, {1, 1, 1}};
    for (int y = 0; y < 9; y++) {
      for (int x = 0; x < 11; x++) {
        for (int c = 0; c < 3; c++) {
          int expected;
          if (y == 0 || x == 0 || y == 8 || x == 10) {
            expected = in.get(y, x, c);
          } else {
            int s = 0;
            for (int dy = -1; dy <= 1; dy++) {
              for (int dx = -1; dx <= 1; dx++) {
                s += k[dy + 1][dx + 1] * in.get(y + dy, x + dx, c);
              }
            }
            expected = referenceBlend((int) Math.floor(s / 13.0), in.get(y, x, c), (float) factor);
          }
          assertThat(out.get(y, x, c)).as("(%s,%s,%s)", y, x, c).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void equalize_literals() {
    // 1024 pixels, four values 256 times each: step = (1024 - 256) // 255 = 3;
    // lut[v] = (count below v + 1) // 3 -> 0, 85, 171, 256 clipped to 255
    Image out = run(grey(32, 32, 0, 64, 128, 255), AugmentOp.EQUALIZE, 0);
    assertThat(out.get(0, 0, 0)).isEqualTo(0);
    assertThat(out.get(0, 1, 0)).isEqualTo(85);
    assertThat(out.get(0, 2, 0)).isEqualTo(171);
    assertThat(out.get(0, 3, 0)).isEqualTo(255);
  }

  @Test
  void equalize_fewPixels_isIdentity() {
    // step = (16 - 4) // 255 = 0: TF returns the channel unchanged
    Image in = grey(4, 4, 0, 50, 100, 200);
    assertThat(run(in, AugmentOp.EQUALIZE, 0)).isEqualTo(in);
  }

  @Test
  void equalize_wholeImage_perChannelReference() {
    Image in = Fixtures.gradient(40, 30);
    Image out = run(in, AugmentOp.EQUALIZE, 0);
    for (int c = 0; c < 3; c++) {
      int[] hist = new int[256];
      for (int y = 0; y < 40; y++) {
        for (int x = 0; x < 30; x++) {
          hist[in.get(y, x, c)]++;
        }
      }
      int lastNonZero = 0;
      for (int v = 255; v >= 0; v--) {
        if (hist[v] > 0) {
          lastNonZero = hist[v];
          break;
        }
      }
      int step = (1200 - lastNonZero) / 255;
      for (int y = 0; y < 40; y++) {
        for (int x = 0; x < 30; x++) {
          int v = in.get(y, x, c);
          int below = 0;
          for (int u = 0; u < v; u++) {
            below += hist[u];
          }
          int expected = step == 0 ? v : v == 0 ? 0 : Math.min(255, (below + step / 2) / step);
          assertThat(out.get(y, x, c)).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void autoContrast_literals() {
    // range [50, 150]: scale 2.55, offset -127.5; 100 -> 127.5 -> 127
    assertThat(run(grey(1, 3, 50, 100, 150), AugmentOp.AUTO_CONTRAST, 0).pixels())
        .containsExactly((byte) 0, (byte) 127, (byte) 255);
    Image flat = grey(2, 2, 77);
    assertThat(run(flat, AugmentOp.AUTO_CONTRAST, 0)).isEqualTo(flat);
  }

  @Test
  void autoContrast_wholeImage_perChannel() {
    Image in = Fixtures.noise(12, 12, 3);
    Image out = run(in, AugmentOp.AUTO_CONTRAST, 0);
    for (int c = 0; c < 3; c++) {
      int lo = 255;
      int hi = 0;
      for (int y = 0; y < 12; y++) {
        for (int x = 0; x < 12; x++) {
          lo = Math.min(lo, in.get(y, x, c));
          hi = Math.max(hi, in.get(y, x, c));
        }
      }
      for (int y = 0; y < 12; y++) {
        for (int x = 0; x < 12; x++) {
          double exact = (in.get(y, x, c) - lo) * 255.0 / (hi - lo);
          assertThat((double) out.get(y, x, c))
              .isCloseTo(Math.floor(exact), org.assertj.core.api.Assertions.within(1.0));
          assertThat(out.get(y, x, c)).isBetween(0, 255);
        }
      }
    }
  }
}
