package io.selftrain.augment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The row-caching fixed-point resize-and-crop equals a direct 2x2 fixed-point bilinear per output
 * pixel, byte for byte, and stays within one grey level of the exact (real-valued) bilinear value
 * rounded to nearest.
 */
class ResizeCropKernelTest {
  /**
   * Every output pixel from its four source pixels, the definition {@link Warps#resizeCrop}
   * implements: {@code exact} in real arithmetic rounded to nearest, otherwise with weights {@code
   * floor(f * 256 + 0.5)} and {@code (top (256 - wy) + bottom wy + 32768) / 65536} rounded down.
   */
  private static byte[] direct(
      byte[] src, int height, int width, int channels, ResizeCrop p, byte fill, boolean exact) {
    byte[] dst = new byte[p.outputHeight() * p.outputWidth() * channels];
    double sy = (double) height / p.scaledHeight();
    double sx = (double) width / p.scaledWidth();
    for (int y = 0; y < p.outputHeight(); y++) {
      for (int x = 0; x < p.outputWidth(); x++) {
        int o = (y * p.outputWidth() + x) * channels;
        int ys = y + p.offsetY();
        int xs = x + p.offsetX();
        if (ys >= p.scaledHeight() || xs >= p.scaledWidth()) {
          for (int k = 0; k < channels; k++) {
            dst[o + k] = fill;
          }
          continue;
        }
        double v = Math.max(0, Math.min(height - 1, (ys + 0.5) * sy - 0.5));
        double u = (xs + 0.5) * sx - 0.5;
        if (p.flip()) {
          u = width - 1 - u;
        }
        u = Math.max(0, Math.min(width - 1, u));
        int ly = (int) Math.floor(v);
        int lx = (int) Math.floor(u);
        int hy = Math.min(ly + 1, height - 1);
        int hx = Math.min(lx + 1, width - 1);
        double fy = v - ly;
        double fx = u - lx;
        long wy = (long) Math.floor(fy * 256 + 0.5);
        long wx = (long) Math.floor(fx * 256 + 0.5);
        for (int k = 0; k < channels; k++) {
          int p00 = src[(ly * width + lx) * channels + k] & 0xFF;
          int p01 = src[(ly * width + hx) * channels + k] & 0xFF;
          int p10 = src[(hy * width + lx) * channels + k] & 0xFF;
          int p11 = src[(hy * width + hx) * channels + k] & 0xFF;
          if (exact) {
            double top = p00 * (1 - fx) + p01 * fx;
            double bottom = p10 * (1 - fx) + p11 * fx;
            dst[o + k] = (byte) Math.round(top * (1 - fy) + bottom * fy);
          } else {
            long top = p00 * (256 - wx) + p01 * wx;
            long bottom = p10 * (256 - wx) + p11 * wx;
            dst[o + k] = (byte) Math.floorDiv(top * (256 - wy) + bottom * wy + 32768, 65536);
          }
        }
      }
    }
    return dst;
  }

  /**
   * {@link Warps#resizeCrop} with the plain Java row loops, whatever {@link ResizeRows#BEST} is.
   */
  private static byte[] scalar(byte[] src, int height, int width, int channels, ResizeCrop p) {
    ResizeRows plain = ResizeRows.choose(false, null);
    assertThat(plain.describe()).isEqualTo("scalar");
    return Warps.resizeCrop(src, height, width, channels, p, (byte) 128, plain);
  }

  @Test
  void usesTheVectorApiWhenTheModuleIsLoaded() {
    // surefire runs this module's tests with --add-modules jdk.incubator.vector
    // (selftrain-augment/pom.xml)
    assertThat(ModuleLayer.boot().findModule(ResizeRows.MODULE)).isPresent();
    assertThat(ResizeRows.BEST.describe()).isEqualTo("jdk.incubator.vector");
    assertThat(Augmenters.vectorized()).isTrue();
    assertThat(ResizeRows.choose(true, "false").describe()).isEqualTo("scalar");
    assertThat(ResizeRows.choose(false, null).describe()).isEqualTo("scalar");
  }

  @Test
  void vectorNativeAndPlainLoopsAgree_onLargeRgbAndGreyImages() {
    SplittableRandom rng = new SplittableRandom(5);
    for (int trial = 0; trial < 20; trial++) {
      int channels = trial % 2 == 0 ? 3 : 1;
      int height = 100 + rng.nextInt(200);
      int width = 100 + rng.nextInt(200);
      byte[] src = new byte[height * width * channels];
      for (int i = 0; i < src.length; i++) {
        src[i] = (byte) rng.nextInt(256);
      }
      int scaledH = 80 + rng.nextInt(300);
      int scaledW = 80 + rng.nextInt(300);
      ResizeCrop p =
          new ResizeCrop(
              scaledH,
              scaledW,
              rng.nextInt(scaledH),
              rng.nextInt(scaledW),
              rng.nextBoolean(),
              224,
              224);
      byte[] plain = scalar(src, height, width, channels, p);
      assertThat(Warps.resizeCrop(src, height, width, channels, p, (byte) 128, ResizeRows.BEST))
          .as("vector loops, trial %s: %s", trial, p)
          .containsExactly(plain);
      assertThat(Warps.resizeCrop(src, height, width, channels, p, (byte) 128))
          .as("%s, trial %s: %s", Augmenters.resizeKernels(), trial, p)
          .containsExactly(plain);
    }
  }

  @Test
  void equalsTheDirectBilinear_overRandomScalesOffsetsFlipsAndChannels() {
    SplittableRandom rng = new SplittableRandom(11);
    int maxDifference = 0;
    long differing = 0;
    long values = 0;
    for (int trial = 0; trial < 300; trial++) {
      int channels = rng.nextBoolean() ? 3 : 1;
      int height = 1 + rng.nextInt(40);
      int width = 1 + rng.nextInt(40);
      byte[] src = new byte[height * width * channels];
      for (int i = 0; i < src.length; i++) {
        src[i] = (byte) rng.nextInt(256);
      }
      int outH = 1 + rng.nextInt(40);
      int outW = 1 + rng.nextInt(40);
      int scaledH = 1 + rng.nextInt(80);
      int scaledW = 1 + rng.nextInt(80);
      ResizeCrop p = Fixtures.randomResizeCrop(rng, scaledH, scaledW, outH, outW);
      byte[] kernel = Warps.resizeCrop(src, height, width, channels, p, (byte) 128);
      assertThat(scalar(src, height, width, channels, p))
          .as("trial %s: plain loops", trial)
          .containsExactly(kernel);
      assertThat(kernel)
          .as("trial %s: %s from %sx%sx%s", trial, p, height, width, channels)
          .containsExactly(direct(src, height, width, channels, p, (byte) 128, false));
      byte[] exact = direct(src, height, width, channels, p, (byte) 128, true);
      for (int i = 0; i < kernel.length; i++) {
        int d = Math.abs((kernel[i] & 0xFF) - (exact[i] & 0xFF));
        maxDifference = Math.max(maxDifference, d);
        differing += d == 0 ? 0 : 1;
        values++;
      }
    }
    assertThat(maxDifference)
        .as("largest |fixed point - exact bilinear| (%s of %s values differ)", differing, values)
        .isEqualTo(1);
    assertThat((double) differing / values).as("share of values off by one").isLessThan(0.05);
  }
}
