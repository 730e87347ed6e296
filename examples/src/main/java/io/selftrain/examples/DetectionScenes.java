package io.selftrain.examples;

import io.selftrain.BoxesTarget;
import io.selftrain.Image;
import io.selftrain.core.data.CocoDataset;
import io.selftrain.core.data.ImageDataset;
import io.selftrain.core.data.LabeledImages;
import io.selftrain.core.data.Scene;
import io.selftrain.core.data.SceneBuilder;
import io.selftrain.core.data.SceneConfig;
import io.selftrain.core.data.SceneFiles;
import io.selftrain.core.data.SceneWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The default detection benchmark: Fashion-MNIST garments on 64 x 64 RGB canvases, 1 to 3 per scene, each
 * scaled by 0.7 to 1.3 (20 to 36 pixels a side) in its own colour, at most 0.2 IoU between two garments'
 * boxes, 10 classes. Labeled and unlabeled scenes use the first 50,000 Fashion-MNIST training images,
 * validation scenes the last 10,000, test scenes only its 10,000 test images, so no garment of a test scene
 * is seen in training and the recipe is chosen on garments of its own. Every set is written as COCO JSON and
 * PNG images ({@link SceneWriter}) and read back through {@link CocoDataset}, the loader of a user's own data.
 */
final class DetectionScenes {
  /** The canvas side, which is the detector's input. */
  static final int SIZE = 64;
  /** Training garments for labeled and unlabeled scenes; validation scenes use the rest. */
  static final int TRAIN_GARMENTS = 50_000;

  /** The four sets, read back from their files. */
  record Sets(CocoDataset labeled, CocoDataset unlabeled, CocoDataset validation, CocoDataset test, Path validationJson, Path testJson) {
    List<Image> unlabeledImages() {
      return unlabeled.examples().stream().map(e -> e.image()).toList();
    }

    List<BoxesTarget> unlabeledTruth() {
      return unlabeled.examples().stream().map(e -> e.target()).toList();
    }
  }

  private DetectionScenes() {}

  static SceneConfig config(long seed) {
    return SceneConfig.builder()
        .height(SIZE)
        .width(SIZE)
        .channels(3)
        .minItems(1)
        .maxItems(3)
        .minScale(0.7)
        .maxScale(1.3)
        .maxOverlap(0.2)
        .seed(seed)
        .build();
  }

  /**
   * Builds (or reuses, when its COCO file exists) each set in {@code dir}.
   *
   * @param dir the folder of the four sets
   * @param fashion Fashion-MNIST
   * @param sizes labeled, unlabeled, validation and test scene counts
   * @param seed the layout seed
   * @return the sets
   */
  static Sets build(Path dir, ImageDataset fashion, int[] sizes, long seed) throws IOException {
    LabeledImages train = fashion.train().subset(IntStream.range(0, TRAIN_GARMENTS).toArray());
    LabeledImages held = fashion.train().subset(IntStream.range(TRAIN_GARMENTS, fashion.train().size()).toArray());
    SceneBuilder trainScenes = SceneBuilder.of(train, config(seed));
    List<String> names = fashion.classNames();
    // Unlabeled scenes follow the labeled ones, so the two never share a scene; folders carry their counts.
    Path labeled = write(dir.resolve("labeled-" + sizes[0]), trainScenes, 0, sizes[0], names);
    Path unlabeled = write(dir.resolve("unlabeled-" + sizes[0] + "-" + sizes[1]), trainScenes, sizes[0], sizes[1], names);
    Path validation = write(dir.resolve("validation-" + sizes[2]), SceneBuilder.of(held, config(seed + 1)), 0, sizes[2], names);
    Path test = write(dir.resolve("test-" + sizes[3]), SceneBuilder.of(fashion.test(), config(seed + 2)), 0, sizes[3], names);
    return new Sets(read(labeled), read(unlabeled), read(validation), read(test),
        SceneFiles.in(validation).annotations(), SceneFiles.in(test).annotations());
  }

  private static Path write(Path dir, SceneBuilder builder, int first, int count, List<String> names) throws IOException {
    SceneFiles files = SceneFiles.in(dir);
    if (!Files.isRegularFile(files.annotations())) {
      List<Scene> scenes = new ArrayList<>(count);
      for (int i = first; i < first + count; i++) {
        scenes.add(builder.scene(i));
      }
      SceneWriter.write(dir, scenes, names);
    }
    return dir;
  }

  private static CocoDataset read(Path dir) throws IOException {
    SceneFiles files = SceneFiles.in(dir);
    return CocoDataset.load(files.annotations(), files.images()).fitted(SIZE);
  }
}
