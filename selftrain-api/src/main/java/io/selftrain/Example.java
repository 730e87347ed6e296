package io.selftrain;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * One training example: an image, its target and where the target came from.
 *
 * @param image the pixels
 * @param target what to predict
 * @param origin human label or teacher pseudo label
 * @param <T> the task's target type
 */
public record Example<T extends Target>(Image image, T target, Origin origin) {
  /** Checks that no component is null. */
  public Example {
    checkNotNull(image, "image");
    checkNotNull(target, "target");
    checkNotNull(origin, "origin");
  }

  /**
   * The same target and origin on other pixels (what geometric-free augmentations return).
   *
   * @param newImage the new pixels
   * @return the copy
   */
  public Example<T> withImage(Image newImage) {
    return new Example<>(newImage, target, origin);
  }
}
