package io.selftrain.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import io.selftrain.Image;
import io.selftrain.internal.SeedMix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Builds multi-object scenes, with exact boxes and masks, from small labelled items such as
 * Fashion-MNIST or MNIST images: the detection and segmentation data of the examples, written to
 * disk by {@link SceneWriter}.
 *
 * <pre>{@code
 * ImageDataset fashion = ImageDatasets.fashionMnist(null);
 * SceneBuilder builder = SceneBuilder.of(fashion.train(), SceneConfig.builder().seed(42).build());
 * List<Scene> scenes = builder.scenes(1000);
 * SceneFiles files = SceneWriter.write(Path.of("scenes"), scenes, fashion.classNames());
 * }</pre>
 *
 * <h2>How scene i is made</h2>
 *
 * <ol>
 *   <li>Background: black, or every sample uniform in {@code [0, backgroundNoise]}.
 *   <li>The number of items, uniform in {@code [minItems, maxItems]}. For each item in turn: a
 *       uniformly random source image; a scale factor uniform in {@code [minScale, maxScale]}, the
 *       item resized to {@code round(side * factor)} per side with the augment module's bilinear
 *       kernel (the one scale jitter uses); on an RGB canvas a colour, each channel uniform in
 *       [128, 255]; then up to {@value #PLACEMENT_ATTEMPTS} uniformly random positions inside the
 *       canvas until the tight box of the item's foreground has an IoU of at most {@code
 *       maxOverlap} with the tight box of every item placed before. An item that finds no position,
 *       or has no foreground, is left out.
 *   <li>Painting: each placed item's foreground (grey value above {@code foregroundThreshold})
 *       overwrites the canvas, so later items occlude earlier ones.
 *   <li>Targets, from the visible pixels only: an occluded item's box is the tight box of what
 *       remains visible of it, and an item hidden entirely has no box; the mask holds {@code label
 *       + 1} on each visible foreground pixel and 0 elsewhere.
 * </ol>
 *
 * <h2>Reproducibility</h2>
 *
 * Scene i draws everything from one {@link SplittableRandom} seeded with {@code
 * SeedMix.mix(config.seed(), i, 0)}, in the fixed order above: it is the same scene whether built
 * alone, as part of any count, or on any number of threads.
 */
public final class SceneBuilder {
  /** Positions tried per item before it is left out. */
  public static final int PLACEMENT_ATTEMPTS = 100;

  private final LabeledImages items;
  private final SceneConfig config;

  private SceneBuilder(LabeledImages items, SceneConfig config) {
    this.items = items;
    this.config = config;
  }

  /**
   * A builder over the given items.
   *
   * @param items single-channel images with labels; at most 254 classes (mask values are {@code
   *     label + 1}, 255 is reserved for ignored pixels)
   * @param config the layout settings
   * @return the builder
   * @throws IllegalArgumentException if {@code items} is empty, holds an image with more than one
   *     channel or more than 254 classes, or an item scaled by {@code maxScale} would not fit the
   *     canvas
   */
  public static SceneBuilder of(LabeledImages items, SceneConfig config) {
    checkNotNull(items, "items");
    checkNotNull(config, "config");
    checkArgument(items.size() > 0, "items must not be empty: %s", items.name());
    checkArgument(
        items.numClasses() <= 254,
        "items must have at most 254 classes (mask values are label + 1): %s",
        items.numClasses());
    int maxHeight = 0;
    int maxWidth = 0;
    for (int i = 0; i < items.size(); i++) {
      Image image = items.image(i);
      if (image.channels() != 1) {
        throw new IllegalArgumentException(
            String.format(
                "items must be single-channel; image %s of %s has: %s channels",
                i, items.name(), image.channels()));
      }
      maxHeight = Math.max(maxHeight, image.height());
      maxWidth = Math.max(maxWidth, image.width());
    }
    int largestHeight = scaledSide(maxHeight, config.maxScale());
    int largestWidth = scaledSide(maxWidth, config.maxScale());
    if (largestHeight > config.height() || largestWidth > config.width()) {
      throw new IllegalArgumentException(
          String.format(
              "maxScale must keep the largest item (%sx%s, scaled to %sx%s) inside the %sx%s canvas: %s",
              maxHeight,
              maxWidth,
              largestHeight,
              largestWidth,
              config.height(),
              config.width(),
              config.maxScale()));
    }
    return new SceneBuilder(items, config);
  }

  /**
   * @return the layout settings
   */
  public SceneConfig config() {
    return config;
  }

  /**
   * @return the source items
   */
  public LabeledImages items() {
    return items;
  }

  /**
   * Builds one scene.
   *
   * @param index the scene's number, non-negative; it selects the scene's generator
   * @return scene {@code index}
   * @throws IllegalArgumentException if {@code index} is negative
   */
  public Scene scene(int index) {
    checkArgument(index >= 0, "index must be non-negative: %s", index);
    SplittableRandom rng = new SplittableRandom(SeedMix.mix(config.seed(), index, 0));
    int height = config.height();
    int width = config.width();
    int channels = config.channels();
    byte[] background = new byte[height * width * channels];
    if (config.backgroundNoise() > 0) {
      for (int i = 0; i < background.length; i++) {
        background[i] = (byte) rng.nextInt(config.backgroundNoise() + 1);
      }
    }
    SceneCanvas canvas = new SceneCanvas(height, width, channels, background);
    int count = config.minItems() + rng.nextInt(config.maxItems() - config.minItems() + 1);
    List<int[]> placed = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      int source = rng.nextInt(items.size());
      Image image = items.image(source);
      double factor =
          config.minScale() + (config.maxScale() - config.minScale()) * rng.nextDouble();
      ScaledItem item =
          ScaledItem.of(
              image,
              items.label(source),
              scaledSide(image.height(), factor),
              scaledSide(image.width(), factor),
              config.foregroundThreshold());
      int[] colour =
          channels == 3
              ? new int[] {colourChannel(rng), colourChannel(rng), colourChannel(rng)}
              : null;
      if (item.empty()) {
        continue;
      }
      int[] box = place(item, placed, rng);
      if (box != null) {
        placed.add(box);
        canvas.paint(item, box[1] - item.y1(), box[0] - item.x1(), colour);
      }
    }
    return canvas.toScene(index);
  }

  /**
   * Builds scenes {@code 0 .. count - 1}, in parallel; each is the same as {@link #scene(int)} of
   * its index.
   *
   * @param count how many, non-negative
   * @return the scenes in index order (unmodifiable)
   * @throws IllegalArgumentException if {@code count} is negative
   */
  public List<Scene> scenes(int count) {
    checkArgument(count >= 0, "count must be non-negative: %s", count);
    return IntStream.range(0, count).parallel().mapToObj(this::scene).toList();
  }

  /**
   * Tries random positions for an item's foreground box.
   *
   * @return the placed foreground box {x1, y1, x2, y2} in canvas pixels, or null when every attempt
   *     overlapped
   */
  private int[] place(ScaledItem item, List<int[]> placed, SplittableRandom rng) {
    for (int attempt = 0; attempt < PLACEMENT_ATTEMPTS; attempt++) {
      int top = rng.nextInt(config.height() - item.height() + 1);
      int left = rng.nextInt(config.width() - item.width() + 1);
      int[] box = {left + item.x1(), top + item.y1(), left + item.x2(), top + item.y2()};
      boolean fits = true;
      for (int[] other : placed) {
        if (iou(box, other) > config.maxOverlap()) {
          fits = false;
          break;
        }
      }
      if (fits) {
        return box;
      }
    }
    return null;
  }

  private static double iou(int[] a, int[] b) {
    long iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
    long ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
    long intersection = iw * ih;
    long union =
        (long) (a[2] - a[0]) * (a[3] - a[1]) + (long) (b[2] - b[0]) * (b[3] - b[1]) - intersection;
    return (double) intersection / union;
  }

  private static int scaledSide(int side, double factor) {
    return Math.max(1, (int) Math.round(side * factor));
  }

  private static int colourChannel(SplittableRandom rng) {
    return 128 + rng.nextInt(128);
  }

  @Override
  public String toString() {
    return "SceneBuilder[" + items.name() + ", " + config + "]";
  }
}
