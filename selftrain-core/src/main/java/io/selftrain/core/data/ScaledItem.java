package io.selftrain.core.data;

import io.selftrain.Image;

/**
 * One single-channel source item resized for a scene, with the tight box of its foreground (pixels
 * whose value is above the threshold) in its own coordinates, xyxy in pixel edges; {@code empty()}
 * when no pixel is foreground.
 *
 * <p>Resizing is the augment module's bilinear kernel (half-pixel centres, edge pixels repeated;
 * see {@link Resampling}): scenes are resampled exactly like training images are by scale jitter.
 */
record ScaledItem(
    int label, int height, int width, byte[] grey, int threshold, int x1, int y1, int x2, int y2) {
  /**
   * Resizes an item and finds its foreground.
   *
   * @param item a single-channel image
   * @param label its class
   * @param height rows after resizing
   * @param width columns after resizing
   * @param threshold foreground means a value above this
   */
  static ScaledItem of(Image item, int label, int height, int width, int threshold) {
    Image scaled = Resampling.resize(item, height, width);
    byte[] grey = scaled.pixels();
    int x1 = width;
    int y1 = height;
    int x2 = 0;
    int y2 = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        if ((grey[y * width + x] & 0xFF) > threshold) {
          x1 = Math.min(x1, x);
          y1 = Math.min(y1, y);
          x2 = Math.max(x2, x + 1);
          y2 = Math.max(y2, y + 1);
        }
      }
    }
    return new ScaledItem(label, height, width, grey, threshold, x1, y1, x2, y2);
  }

  /**
   * @return whether no pixel is foreground
   */
  boolean empty() {
    return x1 >= x2;
  }

  /**
   * @return whether pixel {@code (y, x)} of the resized item is foreground
   */
  boolean foreground(int y, int x) {
    return value(y, x) > threshold;
  }

  /**
   * @return the resized grey value at {@code (y, x)}
   */
  int value(int y, int x) {
    return grey[y * width + x] & 0xFF;
  }
}
