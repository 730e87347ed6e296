package io.selftrain.examples;

import io.selftrain.BoxesTarget;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.core.data.CocoDataset;
import io.selftrain.core.data.ImageDataset;
import io.selftrain.core.data.LabeledImages;
import io.selftrain.core.data.MaskDataset;
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
 * The detection and segmentation benchmarks: Fashion-MNIST garments on 64 x 64 RGB canvases, 1 to 3
 * per scene, each scaled by 0.7 to 1.3 (20 to 36 pixels a side) in its own colour, at most 0.2 IoU
 * between two garments' boxes, 10 classes (11 mask classes: background 0, garment class k as k +
 * 1). Labeled and unlabeled scenes use the first 50,000 Fashion-MNIST training images, validation
 * scenes the last 10,000, test scenes only its 10,000 test images, so no garment of a test scene is
 * seen in training and recipes are chosen on garments of their own. Every set is written as COCO
 * JSON, PNG images and PNG masks ({@link SceneWriter}) and read back through {@link CocoDataset} or
 * {@link MaskDataset}, the loaders of a user's own data.
 */
final class BenchmarkScenes {
  /** The canvas side, which is the model's input. */
  static final int SIZE = 64;

  /** Training garments for labeled and unlabeled scenes; validation scenes use the rest. */
  static final int TRAIN_GARMENTS = 50_000;

  /** Mask classes: background and the ten garments. */
  static final int MASK_CLASSES = 11;

  /** The four detection sets, read back from their files. */
  record DetectionSets(
      CocoDataset labeled,
      CocoDataset unlabeled,
      CocoDataset validation,
      CocoDataset test,
      Path validationJson,
      Path testJson) {
    List<Image> unlabeledImages() {
      return unlabeled.examples().stream().map(e -> e.image()).toList();
    }

    List<BoxesTarget> unlabeledTruth() {
      return unlabeled.examples().stream().map(e -> e.target()).toList();
    }
  }

  /** The four segmentation sets, read back from their files, with the folders of the test masks. */
  record SegmentationSets(
      MaskDataset labeled,
      MaskDataset unlabeled,
      MaskDataset validation,
      MaskDataset test,
      Path validationMasks,
      Path testMasks) {
    List<Image> unlabeledImages() {
      return unlabeled.examples().stream().map(e -> e.image()).toList();
    }

    List<MaskTarget> unlabeledTruth() {
      return unlabeled.examples().stream().map(e -> e.target()).toList();
    }
  }

  private BenchmarkScenes() {}

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
   * Builds (or reuses) the detection sets in {@code dir}.
   *
   * @param dir the folder of the four sets
   * @param fashion Fashion-MNIST
   * @param sizes labeled, unlabeled, validation and test scene counts
   * @param seed the layout seed
   * @return the sets
   */
  static DetectionSets detection(Path dir, ImageDataset fashion, int[] sizes, long seed)
      throws IOException {
    Path[] sets = write(dir, fashion, sizes, seed);
    return new DetectionSets(
        readCoco(sets[0]),
        readCoco(sets[1]),
        readCoco(sets[2]),
        readCoco(sets[3]),
        SceneFiles.in(sets[2]).annotations(),
        SceneFiles.in(sets[3]).annotations());
  }

  /**
   * Builds (or reuses) the segmentation sets in {@code dir}: the same scenes as {@link #detection},
   * read as images and masks.
   *
   * @param dir the folder of the four sets
   * @param fashion Fashion-MNIST
   * @param sizes labeled, unlabeled, validation and test scene counts
   * @param seed the layout seed
   * @return the sets
   */
  static SegmentationSets segmentation(Path dir, ImageDataset fashion, int[] sizes, long seed)
      throws IOException {
    Path[] sets = write(dir, fashion, sizes, seed);
    return new SegmentationSets(
        readMasks(sets[0]),
        readMasks(sets[1]),
        readMasks(sets[2]),
        readMasks(sets[3]),
        SceneFiles.in(sets[2]).masks(),
        SceneFiles.in(sets[3]).masks());
  }

  /**
   * Writes each set that is not on disk yet; returns the labeled, unlabeled, validation and test
   * folders.
   */
  private static Path[] write(Path dir, ImageDataset fashion, int[] sizes, long seed)
      throws IOException {
    LabeledImages train = fashion.train().subset(IntStream.range(0, TRAIN_GARMENTS).toArray());
    LabeledImages held =
        fashion.train().subset(IntStream.range(TRAIN_GARMENTS, fashion.train().size()).toArray());
    SceneBuilder trainScenes = SceneBuilder.of(train, config(seed));
    List<String> names = fashion.classNames();
    // Unlabeled scenes follow the labeled ones, so the two never share a scene; folders carry their
    // counts.
    return new Path[] {
      write(dir.resolve("labeled-" + sizes[0]), trainScenes, 0, sizes[0], names),
      write(
          dir.resolve("unlabeled-" + sizes[0] + "-" + sizes[1]),
          trainScenes,
          sizes[0],
          sizes[1],
          names),
      write(
          dir.resolve("validation-" + sizes[2]),
          SceneBuilder.of(held, config(seed + 1)),
          0,
          sizes[2],
          names),
      write(
          dir.resolve("test-" + sizes[3]),
          SceneBuilder.of(fashion.test(), config(seed + 2)),
          0,
          sizes[3],
          names)
    };
  }

  private static Path write(
      Path dir, SceneBuilder builder, int first, int count, List<String> names) throws IOException {
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

  private static CocoDataset readCoco(Path dir) throws IOException {
    SceneFiles files = SceneFiles.in(dir);
    return CocoDataset.load(files.annotations(), files.images()).fitted(SIZE);
  }

  private static MaskDataset readMasks(Path dir) throws IOException {
    SceneFiles files = SceneFiles.in(dir);
    return MaskDataset.load(files.images(), files.masks(), MASK_CLASSES);
  }
}
