package io.selftrain.models.detection;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Generates RetinaNet anchors as {@code (x1, y1, x2, y2)} pixel boxes, level by level from {@link
 * AnchorConfig#minLevel()}, and within a level location by location (row-major, centres at {@code
 * stride/2 + k*stride}), then scale, then aspect ratio: the order of the TF detection code's {@code
 * Anchor._generate_boxes}, so that class and box head outputs reshaped to (locations, anchors) line
 * up.
 */
public final class Anchors {
  private Anchors() {}

  /**
   * Number of anchors on one level.
   *
   * @param config the anchor layout
   * @param level a level in [minLevel, maxLevel]
   * @param imageHeight image height in pixels
   * @param imageWidth image width in pixels
   * @return locations times anchors per location
   */
  public static int count(AnchorConfig config, int level, int imageHeight, int imageWidth) {
    checkNotNull(config, "config");
    checkArgument(
        level >= config.minLevel() && level <= config.maxLevel(),
        "level must be in [%s, %s]: %s",
        config.minLevel(),
        config.maxLevel(),
        level);
    int stride = 1 << level;
    return centres(stride, imageHeight) * centres(stride, imageWidth) * config.anchorsPerLocation();
  }

  /**
   * All anchors of all levels.
   *
   * @param manager owner of the result
   * @param config the anchor layout
   * @param imageHeight image height in pixels, positive
   * @param imageWidth image width in pixels, positive
   * @return shape (anchors, 4), {@code x1, y1, x2, y2}
   */
  public static NDArray generate(
      NDManager manager, AnchorConfig config, int imageHeight, int imageWidth) {
    checkNotNull(manager, "manager");
    checkNotNull(config, "config");
    checkArgument(imageHeight >= 1, "imageHeight must be positive: %s", imageHeight);
    checkArgument(imageWidth >= 1, "imageWidth must be positive: %s", imageWidth);
    int total = 0;
    for (int level = config.minLevel(); level <= config.maxLevel(); level++) {
      total += count(config, level, imageHeight, imageWidth);
    }
    float[] boxes = new float[total * 4];
    int i = 0;
    for (int level = config.minLevel(); level <= config.maxLevel(); level++) {
      int stride = 1 << level;
      int rows = centres(stride, imageHeight);
      int cols = centres(stride, imageWidth);
      for (int r = 0; r < rows; r++) {
        double cy = stride / 2.0 + r * stride;
        for (int c = 0; c < cols; c++) {
          double cx = stride / 2.0 + c * stride;
          for (int s = 0; s < config.numScales(); s++) {
            double base =
                config.anchorSize() * stride * Math.pow(2, s / (double) config.numScales());
            for (double ratio : config.aspectRatios()) {
              double halfW = base * Math.sqrt(ratio) / 2;
              double halfH = base / Math.sqrt(ratio) / 2;
              boxes[i++] = (float) (cx - halfW);
              boxes[i++] = (float) (cy - halfH);
              boxes[i++] = (float) (cx + halfW);
              boxes[i++] = (float) (cy + halfH);
            }
          }
        }
      }
    }
    return manager.create(boxes, new Shape(total, 4));
  }

  /** Centres {@code stride/2 + k*stride < size}, as {@code range(stride / 2, size, stride)}. */
  private static int centres(int stride, int size) {
    double first = stride / 2.0;
    return first >= size ? 0 : (int) Math.ceil((size - first) / stride);
  }
}
