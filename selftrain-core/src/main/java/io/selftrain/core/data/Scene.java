package io.selftrain.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import io.selftrain.BoxesTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.Origin;

/**
 * One multi-object scene with both of its targets: the boxes of its items and the class of every
 * pixel.
 *
 * <ul>
 *   <li>{@link #boxes()}: one box per visible item, in the order the items were placed, xyxy in
 *       pixel edges (pixel {@code (x, y)} covers {@code [x, x + 1) x [y, y + 1)}), class = the
 *       item's label.
 *   <li>{@link #mask()}: 0 for background, {@code label + 1} for an item's visible foreground
 *       pixels; no pixel is {@link MaskTarget#IGNORE}.
 *   <li>{@link #areas()}: per box, the number of visible foreground pixels of its item (COCO's
 *       {@code area}).
 * </ul>
 */
public final class Scene {
  private final int index;
  private final Image image;
  private final BoxesTarget boxes;
  private final MaskTarget mask;
  private final int[] areas;

  /**
   * Creates a scene; the areas are copied.
   *
   * @param index the scene's position in its set (its seed and file name derive from it),
   *     non-negative
   * @param image the pixels
   * @param boxes the items' boxes
   * @param mask the class per pixel, the size of the image
   * @param areas one positive pixel count per box
   * @throws IllegalArgumentException if the sizes disagree
   */
  public Scene(int index, Image image, BoxesTarget boxes, MaskTarget mask, int[] areas) {
    checkArgument(index >= 0, "index must be non-negative: %s", index);
    this.image = checkNotNull(image, "image");
    this.boxes = checkNotNull(boxes, "boxes");
    this.mask = checkNotNull(mask, "mask");
    checkNotNull(areas, "areas");
    checkArgument(
        mask.height() == image.height() && mask.width() == image.width(),
        "mask must have the image size %sx%s: %sx%s",
        image.height(),
        image.width(),
        mask.height(),
        mask.width());
    checkArgument(
        areas.length == boxes.size(),
        "areas must have one value per box (%s): %s",
        boxes.size(),
        areas.length);
    for (int i = 0; i < areas.length; i++) {
      checkArgument(areas[i] > 0, "areas[%s] must be positive: %s", i, areas[i]);
    }
    this.index = index;
    this.areas = areas.clone();
  }

  /**
   * @return the scene's position in its set
   */
  public int index() {
    return index;
  }

  /**
   * @return the pixels
   */
  public Image image() {
    return image;
  }

  /**
   * @return one box per visible item, in placement order
   */
  public BoxesTarget boxes() {
    return boxes;
  }

  /**
   * @return the class per pixel: 0 background, {@code label + 1} items
   */
  public MaskTarget mask() {
    return mask;
  }

  /**
   * @return a copy of the visible foreground pixel count of each box's item
   */
  public int[] areas() {
    return areas.clone();
  }

  /**
   * @return the scene as a human-labelled detection example
   */
  public Example<BoxesTarget> detection() {
    return new Example<>(image, boxes, Origin.HUMAN);
  }

  /**
   * @return the scene as a human-labelled segmentation example
   */
  public Example<MaskTarget> segmentation() {
    return new Example<>(image, mask, Origin.HUMAN);
  }

  @Override
  public String toString() {
    return "Scene[" + index + ", " + image + ", " + boxes.size() + " boxes]";
  }
}
