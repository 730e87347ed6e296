package io.selftrain.core.data;

import io.selftrain.Image;

/**
 * Draws an image into a square model input by a {@link Letterbox}: resized to {@code scaledHeight x
 * scaledWidth}, placed at the top-left of a {@code size x size} canvas, the rest 0.
 *
 * <p>Resizing is the augment module's bilinear kernel ({@link Resampling}): output pixel {@code (x,
 * y)} samples the source at {@code ((x + 0.5) * width / scaledWidth - 0.5, ...)} (pixel centres,
 * the half-pixel convention of OpenCV {@code INTER_LINEAR}), edge pixels repeated, in the 8-bit
 * fixed point OpenCV uses for uint8 images. At {@code scale = 1} nothing is resampled: the pixels
 * are copied as they are.
 */
final class LetterboxImages {
  private LetterboxImages() {}

  /**
   * Fits an image into a square input.
   *
   * @param image the original image, of the letterbox's original size
   * @param letterbox how to fit it
   * @param size the side of the input, at least the letterbox's scaled height and width
   * @return {@code image} itself when it already is {@code size x size}, else a new {@code size x
   *     size} image
   */
  static Image fit(Image image, Letterbox letterbox, int size) {
    int h = image.height();
    int w = image.width();
    if (h == size && w == size) {
      return image;
    }
    return pad(Resampling.resize(image, letterbox.scaledHeight(), letterbox.scaledWidth()), size);
  }

  /**
   * Places an already scaled image at the top-left of a {@code size x size} canvas, the rest 0.
   *
   * @param scaled the image, at most {@code size} on each side
   * @param size the side of the canvas
   * @return {@code scaled} itself when it already is {@code size x size}, else a new image
   */
  static Image pad(Image scaled, int size) {
    int sh = scaled.height();
    int sw = scaled.width();
    if (sh == size && sw == size) {
      return scaled;
    }
    int c = scaled.channels();
    byte[] canvas = new byte[size * size * c];
    byte[] pixels = scaled.pixels();
    for (int y = 0; y < sh; y++) {
      System.arraycopy(pixels, y * sw * c, canvas, y * size * c, sw * c);
    }
    return Image.of(size, size, c, canvas);
  }
}
