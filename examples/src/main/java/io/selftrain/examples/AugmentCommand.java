package io.selftrain.examples;

import io.selftrain.Augmenter;
import io.selftrain.BoxesTarget;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.MaskTarget;
import io.selftrain.Target;
import io.selftrain.augment.AugmentPolicy;
import io.selftrain.augment.Augmenters;
import io.selftrain.augment.Task;
import io.selftrain.core.data.ImageDataset;
import io.selftrain.core.data.ImageDatasets;
import io.selftrain.core.data.LabeledImages;
import io.selftrain.core.data.Scene;
import io.selftrain.core.data.SceneBuilder;
import io.selftrain.core.data.SceneConfig;
import io.selftrain.internal.AtomicFiles;
import io.selftrain.internal.SeedMix;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Function;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code augment}: renders what an augmentation policy of Zoph et al. 2020 ("Rethinking
 * Pre-training and Self-training", arXiv:2006.06882, Sec. 3.1) does to a task's examples, as a PNG
 * grid drawn by {@link AugmentGrid}. The policies ({@link AugmentPolicy}): Augment-S1 flip + scale
 * jitter (0.8, 1.2) + crop; S2 AutoAugment + S1; S3 AutoAugment + flip + large scale jitter (0.5,
 * 2.0) + crop; S4 RandAugment (N = 2, M = 10) + flip + large scale jitter + crop. AutoAugment uses
 * the task's table (detection v0 for detection, ImageNet otherwise).
 *
 * <p>Each row is one example: column 0 the original, columns 1.. independent draws of {@code
 * Augmenters.policy(policy, task, h, w)}. Detection and segmentation rows are scenes of the {@link
 * SceneBuilder} (RGB, {@code --size} square, default layout) built from the dataset's test images,
 * with row r = scene r of seed {@code --seed}; classification rows are test images picked by the
 * seed, augmented at their own 28x28 and scaled up to the cell. The augmentation of row r, column c
 * draws from {@code new SplittableRandom(SeedMix.mix(seed, r, c))}, so a grid is the same on every
 * run.
 */
@Command(
    name = "augment",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "a PNG grid of originals and their augmentations under Augment-S1..S4, with boxes or masks drawn",
    footer = {
      "Boxes are drawn in their class's colour with its name; masks are tinted by class with outlines,",
      "ignored pixels (255) as a white/magenta checkerboard."
    })
final class AugmentCommand implements Callable<Integer> {
  private static final List<String> TASKS = List.of("classification", "detection", "segmentation");

  @Option(
      names = "--policy",
      paramLabel = "S1|S2|S3|S4",
      description = "Augment-S1..S4 of Zoph et al. 2020 (required)")
  String policy;

  @Option(
      names = "--task",
      paramLabel = "TASK",
      description = "classification, detection or segmentation (required)")
  String task;

  @Option(names = "--out", paramLabel = "FILE", description = "the PNG grid to write (required)")
  Path out;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "scenes, picked images and augmentations [${DEFAULT-VALUE}]")
  long seed;

  @Option(
      names = "--dataset",
      defaultValue = "fashion-mnist",
      description = "fashion-mnist or mnist [${DEFAULT-VALUE}]")
  String dataset;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "folder with the data (default: standard locations)")
  Path dataDir;

  @Option(
      names = "--rows",
      defaultValue = "3",
      description = "examples, one per row [${DEFAULT-VALUE}]")
  int rows;

  @Option(
      names = "--cols",
      defaultValue = "6",
      description = "the original, then C-1 augmented draws [${DEFAULT-VALUE}]")
  int cols;

  @Option(
      names = "--size",
      paramLabel = "PX",
      defaultValue = "128",
      description =
          "cell side; also the scene side for detection and segmentation [${DEFAULT-VALUE}]")
  int size;

  AugmentCommand() {}

  /** Parses {@code args} and runs; errors come back as exceptions (for tests and callers). */
  static void run(List<String> args) throws IOException {
    AugmentCommand command = new AugmentCommand();
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    command.call();
  }

  @Override
  public Integer call() throws IOException {
    AugmentPolicy policy = policy(this.policy);
    String task = task(this.task);
    if (out == null) {
      throw new IllegalArgumentException("augment: --out is required: the PNG file to write");
    }
    if (rows < 1) {
      throw new IllegalArgumentException("augment: --rows must be positive: " + rows);
    }
    if (cols < 1) {
      throw new IllegalArgumentException("augment: --cols must be positive: " + cols);
    }
    if (size < 1) {
      throw new IllegalArgumentException("augment: --size must be positive: " + size);
    }
    CliPaths.writableFile("--out", out);
    ImageDataset dataset =
        ImageDatasets.load(
            this.dataset,
            dataDir == null ? null : CliPaths.existingFolder("augment", "--data-dir", dataDir));
    BufferedImage grid =
        AugmentGrid.render(
            rows(dataset, policy, task, seed, rows, cols, size), size, dataset.classNames());
    AtomicFiles.write(
        out,
        stream -> {
          if (!ImageIO.write(grid, "png", stream)) {
            throw new IOException("no PNG writer for the grid: " + out);
          }
        });
    System.err.printf(
        Locale.ROOT,
        "wrote %s: %d rows x %d columns of %d px, %s %s on %s, seed %d%n",
        out,
        rows,
        cols,
        size,
        policy,
        task,
        dataset.name(),
        seed);
    return 0;
  }

  /** The grid's examples: per row the original, then {@code cols - 1} augmented draws. */
  static List<List<Example<? extends Target>>> rows(
      ImageDataset dataset,
      AugmentPolicy policy,
      String task,
      long seed,
      int rows,
      int cols,
      int size) {
    LabeledImages test = dataset.test();
    switch (task) {
      case "classification":
        {
          List<Example<ClassTarget>> all = test.toExamples();
          List<Example<ClassTarget>> originals = new ArrayList<>();
          for (int r = 0; r < rows; r++) {
            originals.add(
                all.get(new SplittableRandom(SeedMix.mix(seed, r, 0)).nextInt(all.size())));
          }
          int height = originals.get(0).image().height();
          int width = originals.get(0).image().width();
          return augmentRows(
              originals, Augmenters.policy(policy, Task.CLASSIFICATION, height, width), cols, seed);
        }
      case "detection":
        {
          List<Example<BoxesTarget>> originals = scenes(test, seed, rows, size, Scene::detection);
          return augmentRows(
              originals, Augmenters.policy(policy, Task.DETECTION, size, size), cols, seed);
        }
      case "segmentation":
        {
          List<Example<MaskTarget>> originals = scenes(test, seed, rows, size, Scene::segmentation);
          return augmentRows(
              originals, Augmenters.policy(policy, Task.SEGMENTATION, size, size), cols, seed);
        }
      default:
        throw new IllegalArgumentException("augment: --task must be one of " + TASKS + ": " + task);
    }
  }

  /**
   * The scene configuration of a grid: the default layout on a {@code size}-pixel square, seeded.
   */
  static SceneConfig sceneConfig(long seed, int size) {
    return SceneConfig.builder().height(size).width(size).seed(seed).build();
  }

  private static <T extends Target> List<Example<T>> scenes(
      LabeledImages items, long seed, int rows, int size, Function<Scene, Example<T>> asExample) {
    SceneBuilder builder;
    try {
      builder = SceneBuilder.of(items, sceneConfig(seed, size));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "augment: --size is too small for scenes of these items: " + size + "; " + e.getMessage(),
          e);
    }
    List<Example<T>> examples = new ArrayList<>();
    for (Scene scene : builder.scenes(rows)) {
      examples.add(asExample.apply(scene));
    }
    return examples;
  }

  private static <T extends Target> List<List<Example<? extends Target>>> augmentRows(
      List<Example<T>> originals, Augmenter<T> augmenter, int cols, long seed) {
    List<List<Example<? extends Target>>> grid = new ArrayList<>();
    for (int r = 0; r < originals.size(); r++) {
      List<Example<? extends Target>> row = new ArrayList<>();
      row.add(originals.get(r));
      for (int c = 1; c < cols; c++) {
        row.add(augmenter.augment(originals.get(r), new SplittableRandom(SeedMix.mix(seed, r, c))));
      }
      grid.add(row);
    }
    return grid;
  }

  private static AugmentPolicy policy(String name) {
    List<String> names = Arrays.stream(AugmentPolicy.values()).map(Enum::name).toList();
    if (name == null) {
      throw new IllegalArgumentException("augment: --policy is required; one of " + names);
    }
    String upper = name.toUpperCase(Locale.ROOT);
    if (!names.contains(upper)) {
      throw new IllegalArgumentException("augment: --policy must be one of " + names + ": " + name);
    }
    return AugmentPolicy.valueOf(upper);
  }

  private static String task(String name) {
    if (name == null) {
      throw new IllegalArgumentException("augment: --task is required; one of " + TASKS);
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (!TASKS.contains(lower)) {
      throw new IllegalArgumentException("augment: --task must be one of " + TASKS + ": " + name);
    }
    return lower;
  }
}
