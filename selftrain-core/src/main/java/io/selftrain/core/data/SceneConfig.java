package io.selftrain.core.data;

import static com.google.common.base.Preconditions.checkState;

import org.immutables.value.Value;

/**
 * How {@link SceneBuilder} lays out multi-object scenes: canvas size and channels, how many items,
 * their scale range and allowed overlap, the background, what counts as an item's foreground, and
 * the seed.
 *
 * <pre>{@code
 * SceneConfig config = SceneConfig.builder().seed(7).maxItems(6).backgroundNoise(24).build();
 * }</pre>
 *
 * <p>Every setting has a default: a 128 x 128 RGB canvas, 2 to 5 items scaled by 0.75 to 2.0, at
 * most 0.3 IoU between any two items' boxes, a black background, foreground = pixel value above 0,
 * seed 0.
 */
@io.selftrain.internal.ValueStyle
@Value.Immutable
public interface SceneConfig {
  /**
   * @return rows of every scene, positive
   */
  @Value.Default
  default int height() {
    return 128;
  }

  /**
   * @return columns of every scene, positive
   */
  @Value.Default
  default int width() {
    return 128;
  }

  /**
   * @return 3 for RGB scenes, where each item is drawn in its own random colour, or 1 for grey
   *     scenes, where items keep their grey values
   */
  @Value.Default
  default int channels() {
    return 3;
  }

  /**
   * @return the fewest items drawn per scene, non-negative; a scene can hold fewer when an item
   *     finds no place within {@link #maxOverlap()} or is hidden by later items
   */
  @Value.Default
  default int minItems() {
    return 2;
  }

  /**
   * @return the most items drawn per scene, at least 1 and at least {@link #minItems()}
   */
  @Value.Default
  default int maxItems() {
    return 5;
  }

  /**
   * @return the smallest factor an item's side is scaled by, positive
   */
  @Value.Default
  default double minScale() {
    return 0.75;
  }

  /**
   * @return the largest factor an item's side is scaled by, at least {@link #minScale()}
   */
  @Value.Default
  default double maxScale() {
    return 2.0;
  }

  /**
   * @return the largest intersection over union allowed between the tight boxes of an item being
   *     placed and any item placed before it, in [0, 1]; 0 forbids overlap, 1 allows any
   */
  @Value.Default
  default double maxOverlap() {
    return 0.3;
  }

  /**
   * @return 0 for a black background, else the largest value of light noise: every background
   *     sample is uniform in {@code [0, backgroundNoise]}; in [0, 255]
   */
  @Value.Default
  default int backgroundNoise() {
    return 0;
  }

  /**
   * @return an item pixel is foreground, drawn and labelled, when its (scaled) grey value is above
   *     this, in [0, 254]; 0 makes every non-zero pixel foreground
   */
  @Value.Default
  default int foregroundThreshold() {
    return 0;
  }

  /**
   * @return the seed every scene's generator is derived from, with the scene's index
   */
  @Value.Default
  default long seed() {
    return 0L;
  }

  /** Checks ranges; messages name the setting and the bad value. */
  @Value.Check
  default void check() {
    checkState(height() > 0, "height must be positive: %s", height());
    checkState(width() > 0, "width must be positive: %s", width());
    checkState(channels() == 1 || channels() == 3, "channels must be 1 or 3: %s", channels());
    checkState(minItems() >= 0, "minItems must be non-negative: %s", minItems());
    checkState(maxItems() >= 1, "maxItems must be at least 1: %s", maxItems());
    checkState(
        maxItems() >= minItems(),
        "maxItems must be at least minItems (%s): %s",
        minItems(),
        maxItems());
    checkState(
        minScale() > 0 && Double.isFinite(minScale()), "minScale must be positive: %s", minScale());
    checkState(
        maxScale() >= minScale() && Double.isFinite(maxScale()),
        "maxScale must be at least minScale (%s): %s",
        minScale(),
        maxScale());
    checkState(
        maxOverlap() >= 0 && maxOverlap() <= 1, "maxOverlap must be in [0, 1]: %s", maxOverlap());
    checkState(
        backgroundNoise() >= 0 && backgroundNoise() <= 255,
        "backgroundNoise must be in [0, 255]: %s",
        backgroundNoise());
    checkState(
        foregroundThreshold() >= 0 && foregroundThreshold() <= 254,
        "foregroundThreshold must be in [0, 254]: %s",
        foregroundThreshold());
  }

  /**
   * @return the default settings (see the class comment)
   */
  static SceneConfig defaults() {
    return builder().build();
  }

  /**
   * @return a new builder, every setting at its default
   */
  static ImmutableSceneConfig.Builder builder() {
    return ImmutableSceneConfig.builder();
  }

  /**
   * A copy with another seed.
   *
   * @param value the seed
   * @return the copy
   */
  SceneConfig withSeed(long value);
}
