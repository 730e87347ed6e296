package io.selftrain.augment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The row-caching resize-and-crop equals a direct 2x2 bilinear per output pixel, byte for byte. */
class ResizeCropKernelTest {
  /** Every output pixel from its four source pixels, the definition {@link Warps#resizeCrop} implements. */
  private static byte[] direct(byte[] src, int height, int width, int channels, ResizeCrop p, byte fill) {
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
        float wy = (float) (v - ly);
        float fx = (float) (u - lx);
        for (int k = 0; k < channels; k++) {
          float top = (src[(ly * width + lx) * channels + k] & 0xFF) * (1 - fx) + (src[(ly * width + hx) * channels + k] & 0xFF) * fx;
          float bottom = (src[(hy * width + lx) * channels + k] & 0xFF) * (1 - fx) + (src[(hy * width + hx) * channels + k] & 0xFF) * fx;
          dst[o + k] = (byte) (int) (top + (bottom - top) * wy + 0.5f);
        }
      }
    }
    return dst;
  }

  @Test
  void equalsTheDirectBilinear_overRandomScalesOffsetsFlipsAndChannels() {
    SplittableRandom rng = new SplittableRandom(11);
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
      ResizeCrop p =
          new ResizeCrop(scaledH, scaledW, rng.nextInt(scaledH + 5), rng.nextInt(scaledW + 5), rng.nextBoolean(), outH, outW);
      assertThat(Warps.resizeCrop(src, height, width, channels, p, (byte) 128))
          .as("trial %s: %s from %sx%sx%s", trial, p, height, width, channels)
          .containsExactly(direct(src, height, width, channels, p, (byte) 128));
    }
  }
}
