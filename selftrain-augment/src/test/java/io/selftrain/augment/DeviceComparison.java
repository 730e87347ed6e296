package io.selftrain.augment;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.selftrain.BoxesTarget;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.Origin;
import io.selftrain.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs one batch of draws through the CPU path and the device path (PyTorch on CPU) and compares
 * pixels, masks and targets. The device path is stated to agree exactly with the CPU path on IEEE
 * float hardware ({@link DeviceAugmenter}, "Agreement"), so the tolerance is 0 grey levels.
 */
final class DeviceComparison {
  /** The largest |device - CPU| allowed on any uint8 pixel. */
  static final int TOLERANCE = 0;

  /** Largest difference seen on image pixels. */
  int maxImageDiff;

  /** Number of image values that differ. */
  long imageMismatches;

  /** Number of image values compared. */
  long imageValues;

  /** Number of mask values that differ. */
  long maskMismatches;

  /** Random RGB (or grey) pixels over the full [0, 255] range with smooth structure. */
  static Image image(int height, int width, int channels, SplittableRandom rng) {
    byte[] p = new byte[height * width * channels];
    int phase = rng.nextInt(256);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < channels; c++) {
          int smooth = (x * (5 + c) + y * (3 + 2 * c) + phase) & 0xFF;
          int noise = rng.nextInt(64) - 32;
          p[(y * width + x) * channels + c] = (byte) Math.max(0, Math.min(255, smooth + noise));
        }
      }
    }
    return Image.of(height, width, channels, p);
  }

  /** Between 1 and 4 random boxes inside the image. */
  static BoxesTarget boxes(int height, int width, SplittableRandom rng) {
    int k = 1 + rng.nextInt(4);
    float[] b = new float[4 * k];
    int[] classes = new int[k];
    for (int i = 0; i < k; i++) {
      float x1 = (float) rng.nextDouble(0, width - 6);
      float y1 = (float) rng.nextDouble(0, height - 6);
      b[4 * i] = x1;
      b[4 * i + 1] = y1;
      b[4 * i + 2] = (float) rng.nextDouble(x1 + 3, width);
      b[4 * i + 3] = (float) rng.nextDouble(y1 + 3, height);
      classes[i] = i;
    }
    return BoxesTarget.of(b, classes);
  }

  /** A mask of three classes in blocks, with some ignored pixels. */
  static MaskTarget mask(int height, int width, SplittableRandom rng) {
    byte[] m = new byte[height * width];
    int block = 3 + rng.nextInt(6);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int v = ((x / block) + 2 * (y / block)) % 4;
        m[y * width + x] = (byte) (v == 3 ? MaskTarget.IGNORE : v);
      }
    }
    return MaskTarget.of(height, width, m);
  }

  static List<Example<ClassTarget>> classBatch(
      int n, int height, int width, int channels, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Example<ClassTarget>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new Example<>(
              image(height, width, channels, rng), ClassTarget.index(i % 3, 3), Origin.HUMAN));
    }
    return out;
  }

  static List<Example<BoxesTarget>> boxBatch(int n, int height, int width, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Example<BoxesTarget>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new Example<>(image(height, width, 3, rng), boxes(height, width, rng), Origin.PSEUDO));
    }
    return out;
  }

  static List<Example<MaskTarget>> maskBatch(int n, int height, int width, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Example<MaskTarget>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Example<>(image(height, width, 3, rng), mask(height, width, rng), Origin.HUMAN));
    }
    return out;
  }

  /**
   * Applies the draws with both paths and asserts: same shapes, pixels within {@link #TOLERANCE},
   * masks and targets identical.
   *
   * @return this, with the differences measured
   */
  <T extends Target> DeviceComparison compare(
      PolicyAugmenter<T> policy,
      List<Example<T>> examples,
      List<List<AugmentStep>> draws,
      NDManager manager) {
    try (DeviceBatch<T> batch = Augmenters.device(policy).apply(examples, draws, manager)) {
      NDArray images = batch.images();
      assertThat(images.getDataType()).isEqualTo(DataType.UINT8);
      assertThat(images.getDevice()).isEqualTo(manager.getDevice());
      byte[] device = images.toByteArray();
      List<T> targets = batch.targets();
      byte[] masks = batch.masks().map(NDArray::toByteArray).orElse(null);
      assertThat(batch.masks().isPresent())
          .isEqualTo(examples.get(0).target() instanceof MaskTarget);
      int offset = 0;
      int maskOffset = 0;
      for (int i = 0; i < examples.size(); i++) {
        Example<T> cpu = policy.apply(examples.get(i), draws.get(i));
        Image img = cpu.image();
        int h = img.height();
        int w = img.width();
        int c = img.channels();
        assertThat(images.getShape()).isEqualTo(new Shape(examples.size(), c, h, w));
        for (int k = 0; k < c; k++) {
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              int d = Math.abs((device[offset + (k * h + y) * w + x] & 0xFF) - img.get(y, x, k));
              maxImageDiff = Math.max(maxImageDiff, d);
              imageMismatches += d == 0 ? 0 : 1;
              imageValues++;
            }
          }
        }
        offset += c * h * w;
        if (masks != null) {
          MaskTarget expected = (MaskTarget) cpu.target();
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              maskMismatches +=
                  (masks[maskOffset + y * w + x] & 0xFF) == expected.get(y, x) ? 0 : 1;
            }
          }
          maskOffset += h * w;
        }
        assertThat(targets.get(i))
            .as("target of example %s, draw %s", i, draws.get(i))
            .isEqualTo(cpu.target());
      }
    }
    assertThat(maxImageDiff)
        .as("largest pixel difference (%s of %s values differ)", imageMismatches, imageValues)
        .isLessThanOrEqualTo(TOLERANCE);
    assertThat(maskMismatches).as("mask values that differ").isZero();
    return this;
  }
}
