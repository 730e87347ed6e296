package io.selftrain;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * An 8-bit image stored compactly as height x width x channels (HWC, row-major), the layout every
 * augmentation kernel and data loader of selftrain works on.
 *
 * <p>The pixel array is shared, not copied: treat {@link #pixels()} as read-only. Operations that
 * change pixels return a new image.
 */
public final class Image {
  private final int height;
  private final int width;
  private final int channels;
  private final byte[] pixels;

  private Image(int height, int width, int channels, byte[] pixels) {
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.pixels = pixels;
  }

  /**
   * Wraps HWC uint8 pixels without copying them.
   *
   * @param height rows, at least 1
   * @param width columns, at least 1
   * @param channels 1 (grey) or 3 (RGB)
   * @param pixels {@code height * width * channels} bytes, read as unsigned
   * @return the image
   * @throws IllegalArgumentException if a size is out of range or the array has the wrong length
   */
  public static Image of(int height, int width, int channels, byte[] pixels) {
    checkArgument(height > 0, "height must be positive: %s", height);
    checkArgument(width > 0, "width must be positive: %s", width);
    checkArgument(channels == 1 || channels == 3, "channels must be 1 or 3: %s", channels);
    checkNotNull(pixels, "pixels");
    checkArgument(
        pixels.length == height * width * channels,
        "pixels must hold height*width*channels = %s bytes: %s",
        height * width * channels,
        pixels.length);
    return new Image(height, width, channels, pixels);
  }

  /**
   * A new image filled with one grey value.
   *
   * @param height rows
   * @param width columns
   * @param channels 1 or 3
   * @param value the fill value in [0, 255]
   * @return the image
   */
  public static Image filled(int height, int width, int channels, int value) {
    checkArgument(value >= 0 && value <= 255, "value must be in [0, 255]: %s", value);
    byte[] pixels = new byte[height * width * channels];
    Arrays.fill(pixels, (byte) value);
    return of(height, width, channels, pixels);
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
   * @return channels per pixel (1 or 3)
   */
  public int channels() {
    return channels;
  }

  /**
   * @return the backing HWC array (shared; do not modify)
   */
  public byte[] pixels() {
    return pixels;
  }

  /**
   * One sample as an unsigned value.
   *
   * @param y row
   * @param x column
   * @param c channel
   * @return the value in [0, 255]
   */
  public int get(int y, int x, int c) {
    return pixels[(y * width + x) * channels + c] & 0xFF;
  }

  /**
   * Writes this image channel by channel (CHW) as floats scaled to [0, 1], the input layout of the
   * students' blocks.
   *
   * @param dest the destination, with room for {@code channels * height * width} values from {@code
   *     offset}
   * @param offset where the first value goes
   * @throws IndexOutOfBoundsException if {@code dest} is too short
   */
  public void copyChwTo(float[] dest, int offset) {
    int plane = height * width;
    if (offset < 0 || dest.length - offset < plane * channels) {
      throw new IndexOutOfBoundsException(
          "dest must hold "
              + plane * channels
              + " values from offset "
              + offset
              + ": length "
              + dest.length);
    }
    if (channels == 1) {
      for (int i = 0; i < plane; i++) {
        dest[offset + i] = (pixels[i] & 0xFF) * (1f / 255f);
      }
      return;
    }
    for (int i = 0; i < plane; i++) {
      for (int k = 0; k < channels; k++) {
        dest[offset + k * plane + i] = (pixels[i * channels + k] & 0xFF) * (1f / 255f);
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Image other
        && other.height == height
        && other.width == width
        && other.channels == channels
        && Arrays.equals(other.pixels, pixels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * height + width) + channels) + Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "Image[" + height + "x" + width + "x" + channels + "]";
  }
}
