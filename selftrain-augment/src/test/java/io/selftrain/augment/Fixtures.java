package io.selftrain.augment;

import io.selftrain.BoxesTarget;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.Origin;
import java.util.SplittableRandom;

/** Test images and examples. */
final class Fixtures {
  /** The value of the drawn rectangle: distinct from the background (0..99) and the fill (128). */
  static final int RECT = 230;

  private Fixtures() {}

  /** An RGB image of seeded noise in [0, 100). */
  static Image noise(int height, int width, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    byte[] p = new byte[height * width * 3];
    for (int i = 0; i < p.length; i++) {
      p[i] = (byte) rng.nextInt(100);
    }
    return Image.of(height, width, 3, p);
  }

  /**
   * An RGB image with every value in [0, 256) present and a spatial pattern (for point-op goldens).
   */
  static Image gradient(int height, int width) {
    byte[] p = new byte[height * width * 3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int o = (y * width + x) * 3;
        p[o] = (byte) ((x * 7 + y * 3) & 0xFF);
        p[o + 1] = (byte) ((x * x + 2 * y) & 0xFF);
        p[o + 2] = (byte) ((255 - x * 5 + y * y) & 0xFF);
      }
    }
    return Image.of(height, width, 3, p);
  }

  /** Noise with the integer rectangle [x1, x2) x [y1, y2) filled with {@link #RECT}. */
  static Image withRectangle(Image base, int x1, int y1, int x2, int y2) {
    byte[] p = base.pixels().clone();
    for (int y = y1; y < y2; y++) {
      for (int x = x1; x < x2; x++) {
        for (int c = 0; c < 3; c++) {
          p[(y * base.width() + x) * 3 + c] = (byte) RECT;
        }
      }
    }
    return Image.of(base.height(), base.width(), 3, p);
  }

  /** A detection example: noise, one filled rectangle and its exact box. */
  static Example<BoxesTarget> rectangleExample(
      int height, int width, int x1, int y1, int x2, int y2) {
    Image image = withRectangle(noise(height, width, 7), x1, y1, x2, y2);
    return new Example<>(
        image, BoxesTarget.of(new float[] {x1, y1, x2, y2}, new int[] {3}), Origin.HUMAN);
  }

  /** A segmentation example: noise, one filled rectangle labelled 1, background 0. */
  static Example<MaskTarget> maskExample(int height, int width, int x1, int y1, int x2, int y2) {
    Image image = withRectangle(noise(height, width, 7), x1, y1, x2, y2);
    byte[] m = new byte[height * width];
    for (int y = y1; y < y2; y++) {
      for (int x = x1; x < x2; x++) {
        m[y * width + x] = 1;
      }
    }
    return new Example<>(image, MaskTarget.of(height, width, m), Origin.PSEUDO);
  }

  /** A detection example with two boxes over gradient pixels. */
  static Example<BoxesTarget> twoBoxes() {
    return new Example<>(
        gradient(48, 64),
        BoxesTarget.of(
            new float[] {4, 6, 30, 40, 34, 8, 60, 30},
            new int[] {1, 2},
            new float[] {0.9f, 0.6f},
            new float[] {1f, 0.5f}),
        Origin.PSEUDO);
  }

  static Example<ClassTarget> classExample() {
    return new Example<>(gradient(40, 36), ClassTarget.index(4, 10), Origin.HUMAN);
  }

  /**
   * The tight integer box [x1, y1, x2, y2) of pixels whose three channels all equal {@link #RECT},
   * or null.
   */
  static int[] rectangleBounds(Image image) {
    return rectangleBounds(image, RECT);
  }

  /**
   * The tight integer box of pixels whose three channels are all at least {@code threshold}, or
   * null.
   */
  static int[] rectangleBounds(Image image, int threshold) {
    int x1 = Integer.MAX_VALUE;
    int y1 = Integer.MAX_VALUE;
    int x2 = -1;
    int y2 = -1;
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        if (image.get(y, x, 0) >= threshold
            && image.get(y, x, 1) >= threshold
            && image.get(y, x, 2) >= threshold) {
          x1 = Math.min(x1, x);
          y1 = Math.min(y1, y);
          x2 = Math.max(x2, x + 1);
          y2 = Math.max(y2, y + 1);
        }
      }
    }
    return x2 < 0 ? null : new int[] {x1, y1, x2, y2};
  }

  /**
   * A resize-and-crop to a {@code scaledH x scaledW} image with random offsets (up to 4 past the
   * scaled image, so some outputs are all fill) and a random flip.
   */
  static ResizeCrop randomResizeCrop(
      java.util.SplittableRandom rng, int scaledH, int scaledW, int outH, int outW) {
    return new ResizeCrop(
        scaledH,
        scaledW,
        rng.nextInt(scaledH + 5),
        rng.nextInt(scaledW + 5),
        rng.nextBoolean(),
        outH,
        outW);
  }
}
