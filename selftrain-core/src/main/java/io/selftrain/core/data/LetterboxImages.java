package io.selftrain.core.data;

import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Origin;
import io.selftrain.augment.Augmenters;
import io.selftrain.augment.PolicyAugmenter;
import io.selftrain.augment.ResizeCrop;
import io.selftrain.augment.ScaleJitterConfig;
import java.util.List;

/**
 * Draws an image into a square model input by a {@link Letterbox}: resized to {@code scaledHeight x
 * scaledWidth}, placed at the top-left of a {@code size x size} canvas, the rest 0.
 *
 * <p>Resizing is the augment module's bilinear kernel, reached by replaying a scale-jitter
 * {@link ResizeCrop} step without offset, flip or padding (as {@link ScaledItem} does): output pixel
 * {@code (x, y)} samples the source at {@code ((x + 0.5) * width / scaledWidth - 0.5, ...)} (pixel
 * centres, the half-pixel convention of OpenCV {@code INTER_LINEAR}), edge pixels repeated, in the 8-bit
 * fixed point OpenCV uses for uint8 images. At {@code scale = 1} nothing is resampled: the pixels are copied
 * as they are.
 */
final class LetterboxImages {
  /** Applies draws to the pixels only; its own output size and range are never used. */
  private static final PolicyAugmenter<ClassTarget> RESIZER =
      Augmenters.scaleJitter(
          ScaleJitterConfig.builder().outputHeight(1).outputWidth(1).minScale(1).maxScale(1).horizontalFlip(false).build());

  private LetterboxImages() {}

  /**
   * Fits an image into a square input.
   *
   * @param image the original image, of the letterbox's original size
   * @param letterbox how to fit it
   * @param size the side of the input, at least the letterbox's scaled height and width
   * @return {@code image} itself when it already is {@code size x size}, else a new {@code size x size} image
   */
  static Image fit(Image image, Letterbox letterbox, int size) {
    int h = image.height();
    int w = image.width();
    if (h == size && w == size) {
      return image;
    }
    int sh = letterbox.scaledHeight();
    int sw = letterbox.scaledWidth();
    Image scaled = image;
    if (sh != h || sw != w) {
      Example<ClassTarget> example = new Example<>(image, ClassTarget.index(0, 2), Origin.HUMAN);
      scaled = RESIZER.apply(example, List.of(new ResizeCrop(sh, sw, 0, 0, false, sh, sw))).image();
    }
    int c = image.channels();
    byte[] canvas = new byte[size * size * c];
    byte[] pixels = scaled.pixels();
    for (int y = 0; y < sh; y++) {
      System.arraycopy(pixels, y * sw * c, canvas, y * size * c, sw * c);
    }
    return Image.of(size, size, c, canvas);
  }
}
