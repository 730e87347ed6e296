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
 * One single-channel source item resized for a scene, with the tight box of its foreground (pixels whose
 * value is above the threshold) in its own coordinates, xyxy in pixel edges; {@code empty()} when no pixel is
 * foreground.
 *
 * <p>Resizing is the augment module's bilinear kernel (half-pixel centres, edge pixels repeated), reached by
 * replaying a scale-jitter {@link ResizeCrop} step without offset or flip: scenes are resampled exactly like
 * training images are by scale jitter.
 */
record ScaledItem(int label, int height, int width, byte[] grey, int threshold, int x1, int y1, int x2, int y2) {
  /** Applies draws to the pixels only; its own output size and range are never used. */
  private static final PolicyAugmenter<ClassTarget> RESIZER =
      Augmenters.scaleJitter(
          ScaleJitterConfig.builder().outputHeight(1).outputWidth(1).minScale(1).maxScale(1).horizontalFlip(false).build());

  /**
   * Resizes an item and finds its foreground.
   *
   * @param item a single-channel image
   * @param label its class
   * @param numClasses the number of classes of its set
   * @param height rows after resizing
   * @param width columns after resizing
   * @param threshold foreground means a value above this
   */
  static ScaledItem of(Image item, int label, int numClasses, int height, int width, int threshold) {
    Image scaled = item;
    if (height != item.height() || width != item.width()) {
      Example<ClassTarget> example = new Example<>(item, ClassTarget.index(label, numClasses), Origin.HUMAN);
      scaled = RESIZER.apply(example, List.of(new ResizeCrop(height, width, 0, 0, false, height, width))).image();
    }
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

  /** @return whether no pixel is foreground */
  boolean empty() {
    return x1 >= x2;
  }

  /** @return whether pixel {@code (y, x)} of the resized item is foreground */
  boolean foreground(int y, int x) {
    return value(y, x) > threshold;
  }

  /** @return the resized grey value at {@code (y, x)} */
  int value(int y, int x) {
    return grey[y * width + x] & 0xFF;
  }
}
