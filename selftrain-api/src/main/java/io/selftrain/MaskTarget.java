package io.selftrain;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * A segmentation target: one class per pixel, row-major, with {@link #IGNORE} (255) marking pixels the
 * loss skips (the PASCAL convention kept by the paper's segmentation configs).
 */
public final class MaskTarget implements Target {
  /** The label of pixels that carry no class. */
  public static final int IGNORE = 255;

  private final int height;
  private final int width;
  private final byte[] classes;

  private MaskTarget(int height, int width, byte[] classes) {
    this.height = height;
    this.width = width;
    this.classes = classes;
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
    checkArgument(classes.length == height * width, "classes must hold height*width = %s values: %s", height * width, classes.length);
    return new MaskTarget(height, width, classes.clone());
  }

  /** @return rows */
  public int height() {
    return height;
  }

  /** @return columns */
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

  /** @return a copy of the row-major class map */
  public byte[] classes() {
    return classes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MaskTarget other
        && other.height == height
        && other.width == width
        && Arrays.equals(other.classes, classes);
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
