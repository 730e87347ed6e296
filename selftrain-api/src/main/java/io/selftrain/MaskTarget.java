package io.selftrain;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * A segmentation target: one class per pixel, row-major, with {@link #IGNORE} (255) marking pixels
 * the loss skips (the PASCAL convention kept by the paper's segmentation configs). A model's
 * prediction also carries each pixel's top class probability ({@link #confidences()}), from which
 * pseudo-labelers keep the confident pixels (Zoph et al. 2020, Sec. 3); human masks carry none.
 */
public final class MaskTarget implements Target {
  /** The label of pixels that carry no class. */
  public static final int IGNORE = 255;

  private final int height;
  private final int width;
  private final byte[] classes;
  private final float[] confidences;

  private MaskTarget(int height, int width, byte[] classes, float[] confidences) {
    this.height = height;
    this.width = width;
    this.classes = classes;
    this.confidences = confidences;
  }

  /**
   * A mask; the array is copied.
   *
   * @param height rows
   * @param width columns
   * @param classes height*width unsigned class values (255 = ignore)
   * @return the target
   */
  public static MaskTarget of(int height, int width, byte[] classes) {
    checkArgument(height > 0, "height must be positive: %s", height);
    checkArgument(width > 0, "width must be positive: %s", width);
    checkNotNull(classes, "classes");
    checkArgument(
        classes.length == height * width,
        "classes must hold height*width = %s values: %s",
        height * width,
        classes.length);
    return new MaskTarget(height, width, classes.clone(), null);
  }

  /**
   * A predicted mask with each pixel's confidence; the arrays are copied.
   *
   * @param height rows
   * @param width columns
   * @param classes height*width unsigned class values (255 = ignore)
   * @param confidences height*width probabilities in [0, 1] of each pixel's class (its top class
   *     probability)
   * @return the target
   * @throws IllegalArgumentException if a size is wrong or a confidence is outside [0, 1]
   */
  public static MaskTarget of(int height, int width, byte[] classes, float[] confidences) {
    MaskTarget mask = of(height, width, classes);
    checkNotNull(confidences, "confidences");
    checkArgument(
        confidences.length == classes.length,
        "confidences must hold height*width = %s values: %s",
        classes.length,
        confidences.length);
    for (int p = 0; p < confidences.length; p++) {
      checkArgument(
          confidences[p] >= 0f && confidences[p] <= 1f,
          "confidences[%s] must be in [0, 1]: %s",
          p,
          (Object) confidences[p]);
    }
    return new MaskTarget(height, width, mask.classes, confidences.clone());
  }

  /**
   * @return rows
   */
  public int height() {
    return height;
  }

  /**
   * @return columns
   */
  public int width() {
    return width;
  }

  /**
   * @param y row
   * @param x column
   * @return the class at (y, x), or {@link #IGNORE}
   */
  public int get(int y, int x) {
    return classes[y * width + x] & 0xFF;
  }

  /**
   * @return a copy of the row-major class map
   */
  public byte[] classes() {
    return classes.clone();
  }

  /**
   * @return whether the mask carries per-pixel confidences (a model's prediction)
   */
  public boolean hasConfidences() {
    return confidences != null;
  }

  /**
   * @return a copy of the row-major top class probabilities
   * @throws IllegalStateException if the mask has none ({@link #hasConfidences()})
   */
  public float[] confidences() {
    if (confidences == null) {
      throw new IllegalStateException("this mask carries no confidences (a human mask): " + this);
    }
    return confidences.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MaskTarget other
        && other.height == height
        && other.width == width
        && Arrays.equals(other.classes, classes)
        && Arrays.equals(other.confidences, confidences);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(classes) * 31 + height;
  }

  @Override
  public String toString() {
    return "MaskTarget[" + height + "x" + width + "]";
  }
}
