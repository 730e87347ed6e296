package io.selftrain.benchmarks.augment;

import io.selftrain.BoxesTarget;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Origin;
import java.util.SplittableRandom;

/**
 * Inputs shared by the augmentation benchmarks: seeded RGB noise with smooth structure, and boxes.
 */
final class BenchmarkImages {
  private BenchmarkImages() {}

  /**
   * A size x size RGB image: a gradient plus seeded noise, so histograms and edges are non-trivial.
   */
  static Image rgb(int size, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    byte[] p = new byte[size * size * 3];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int o = (y * size + x) * 3;
        p[o] = (byte) ((x * 255 / size + rng.nextInt(32)) & 0xFF);
        p[o + 1] = (byte) ((y * 255 / size + rng.nextInt(32)) & 0xFF);
        p[o + 2] = (byte) (((x + y) * 127 / size + rng.nextInt(32)) & 0xFF);
      }
    }
    return Image.of(size, size, 3, p);
  }

  /** A classification example. */
  static Example<ClassTarget> classification(int size) {
    return new Example<>(rgb(size, size), ClassTarget.index(1, 10), Origin.HUMAN);
  }

  /**
   * A detection example with 8 boxes on a grid (the COCO median is about 4-8 objects per image).
   */
  static Example<BoxesTarget> detection(int size) {
    float[] boxes = new float[8 * 4];
    int[] classes = new int[8];
    for (int i = 0; i < 8; i++) {
      float x = (i % 4) * size / 4f;
      float y = (i / 4) * size / 2f;
      boxes[4 * i] = x + size / 32f;
      boxes[4 * i + 1] = y + size / 16f;
      boxes[4 * i + 2] = x + size / 5f;
      boxes[4 * i + 3] = y + size / 2.5f;
      classes[i] = i;
    }
    return new Example<>(rgb(size, size + 1), BoxesTarget.of(boxes, classes), Origin.HUMAN);
  }
}
