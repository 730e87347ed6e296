package io.selftrain.core.data;

import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Origin;
import io.selftrain.Target;
import io.selftrain.augment.Augmenters;
import io.selftrain.augment.PolicyAugmenter;
import io.selftrain.augment.ResizeCrop;
import io.selftrain.augment.ScaleJitterConfig;
import java.util.List;

/**
 * Resizing with the augment module's kernels, so data is resampled exactly as scale jitter
 * resamples training examples: a scale-jitter {@link ResizeCrop} step without offset, flip or
 * padding is replayed on the example.
 *
 * <ul>
 *   <li>Images: bilinear, output pixel {@code (x, y)} sampling the source at {@code ((x + 0.5) *
 *       width / newWidth - 0.5, ...)} (pixel centres, the half-pixel convention of OpenCV {@code
 *       INTER_LINEAR}), edge pixels repeated, in the 8-bit fixed point OpenCV uses for uint8
 *       images.
 *   <li>Class masks: nearest neighbour, output pixel {@code (x, y)} taking source column {@code
 *       floor((x + 0.5) * (width / newWidth))} and row {@code floor((y + 0.5) * (height /
 *       newHeight))}, computed in double; so no new class value appears. Where an output pixel
 *       centre falls exactly on the edge between two source pixels, double rounding may pick the
 *       one before it.
 *   <li>Boxes: scaled with the image.
 * </ul>
 */
final class Resampling {
  /** Applies draws only; its own output size and range are never used. */
  private static final ScaleJitterConfig REPLAY =
      ScaleJitterConfig.builder()
          .outputHeight(1)
          .outputWidth(1)
          .minScale(1)
          .maxScale(1)
          .horizontalFlip(false)
          .build();

  private Resampling() {}

  /**
   * Resizes an example's image and its mask or boxes.
   *
   * @param example the input (not modified)
   * @param height rows of the output, positive
   * @param width columns of the output, positive
   * @return {@code example} itself when it already has that size, else a new example with the same
   *     origin
   */
  static <T extends Target> Example<T> resize(Example<T> example, int height, int width) {
    Image image = example.image();
    if (image.height() == height && image.width() == width) {
      return example;
    }
    PolicyAugmenter<T> resizer = Augmenters.scaleJitter(REPLAY);
    return resizer.apply(
        example, List.of(new ResizeCrop(height, width, 0, 0, false, height, width)));
  }

  /**
   * Resizes an image (bilinear).
   *
   * @param image the input
   * @param height rows of the output, positive
   * @param width columns of the output, positive
   * @return {@code image} itself when it already has that size, else a new image
   */
  static Image resize(Image image, int height, int width) {
    return resize(new Example<>(image, ClassTarget.index(0, 2), Origin.HUMAN), height, width)
        .image();
  }
}
