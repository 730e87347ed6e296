package io.selftrain.core;

import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.core.data.ImageDataset;
import io.selftrain.core.data.ImageDatasets;
import io.selftrain.core.data.Scene;
import io.selftrain.core.data.SceneBuilder;
import io.selftrain.core.data.SceneConfig;
import io.selftrain.core.data.SemiSupervisedSplit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Small slices of real Fashion-MNIST for pipeline tests, loaded once per JVM. */
final class TinyData {
  private static ImageDataset dataset;

  private TinyData() {}

  static synchronized ImageDataset fashionMnist() {
    if (dataset == null) {
      try {
        dataset = ImageDatasets.fashionMnist(null);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dataset;
  }

  /** 100 labels (10 per class) and a pool of 400 unlabeled images, seed 0. */
  static SemiSupervisedSplit split() {
    return SemiSupervisedSplit.of(fashionMnist().train(), 100, 400, 0);
  }

  static List<Example<ClassTarget>> labeled() {
    return split().labeled().toExamples();
  }

  static List<Image> unlabeled() {
    return split().unlabeled();
  }

  /**
   * Scenes of 64 x 64 with one or two Fashion-MNIST training garments scaled 0.8-1.2, the layout
   * drawn from the seed (the detection and segmentation tests' data).
   */
  static List<Scene> scenes(long seed, int count) {
    return SceneBuilder.of(
            fashionMnist().train(),
            SceneConfig.builder()
                .height(64)
                .width(64)
                .minItems(1)
                .maxItems(2)
                .minScale(0.8)
                .maxScale(1.2)
                .seed(seed)
                .build())
        .scenes(count);
  }

  /** The first 500 official test images. */
  static List<Example<ClassTarget>> validation() {
    return fashionMnist().test().toExamples().subList(0, 500);
  }
}
