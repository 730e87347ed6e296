package io.selftrain.core.data;

import io.selftrain.Image;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** A handful of real Fashion-MNIST and MNIST test images as scene items, loaded once per JVM. */
final class SceneItems {
  private static ImageDataset fashion;
  private static ImageDataset mnist;

  private SceneItems() {}

  static synchronized ImageDataset fashionDataset() {
    if (fashion == null) {
      try {
        fashion = ImageDatasets.fashionMnist(null);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return fashion;
  }

  /** The first 40 Fashion-MNIST test images. */
  static LabeledImages fashion() {
    return fashionDataset().test().subset(range(40));
  }

  /** 40 MNIST test images, 4 of each digit. */
  static synchronized LabeledImages mnist() {
    if (mnist == null) {
      try {
        mnist = ImageDatasets.mnist(null);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    LabeledImages test = mnist.test();
    int[] picked = new int[40];
    int[] perDigit = new int[10];
    int n = 0;
    for (int i = 0; i < test.size() && n < picked.length; i++) {
      if (perDigit[test.label(i)] < 4) {
        perDigit[test.label(i)]++;
        picked[n++] = i;
      }
    }
    return test.subset(picked);
  }

  /**
   * Two synthetic 28x28 items for occlusion: class 0 is foreground everywhere (value 200), class 1
   * only in the 4x4 block at rows and columns 12..15 (value 255).
   */
  static LabeledImages squares() {
    byte[] full = new byte[28 * 28];
    java.util.Arrays.fill(full, (byte) 200);
    byte[] block = new byte[28 * 28];
    for (int y = 12; y < 16; y++) {
      for (int x = 12; x < 16; x++) {
        block[y * 28 + x] = (byte) 255;
      }
    }
    return LabeledImages.of(
        "squares",
        List.of(Image.of(28, 28, 1, full), Image.of(28, 28, 1, block)),
        new int[] {0, 1},
        2);
  }

  private static int[] range(int n) {
    int[] indices = new int[n];
    for (int i = 0; i < n; i++) {
      indices[i] = i;
    }
    return indices;
  }
}
