package io.selftrain.augment;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * A sampled scale-jitter step (TF {@code resize_and_crop_image}; reference/paper-spec.md Sec. 4.2):
 * mirror left-right if {@code flip}, resize (bilinear) to {@code scaledHeight x scaledWidth}, crop
 * the output window at the offset, and pad bottom/right where the window runs past the resized
 * image.
 *
 * @param scaledHeight rows of the resized image
 * @param scaledWidth columns of the resized image
 * @param offsetY first resized row in the output
 * @param offsetX first resized column in the output
 * @param flip whether the input is mirrored left-right first
 * @param outputHeight rows of the output
 * @param outputWidth columns of the output
 */
public record ResizeCrop(
    int scaledHeight,
    int scaledWidth,
    int offsetY,
    int offsetX,
    boolean flip,
    int outputHeight,
    int outputWidth)
    implements AugmentStep {
  /** Checks sizes and offsets. */
  public ResizeCrop {
    checkArgument(scaledHeight > 0, "scaledHeight must be positive: %s", scaledHeight);
    checkArgument(scaledWidth > 0, "scaledWidth must be positive: %s", scaledWidth);
    checkArgument(offsetY >= 0, "offsetY must be non-negative: %s", offsetY);
    checkArgument(offsetX >= 0, "offsetX must be non-negative: %s", offsetX);
    checkArgument(outputHeight > 0, "outputHeight must be positive: %s", outputHeight);
    checkArgument(outputWidth > 0, "outputWidth must be positive: %s", outputWidth);
  }
}
