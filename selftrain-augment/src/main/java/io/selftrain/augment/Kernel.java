package io.selftrain.augment;

/**
 * One resolved call of a draw's execution: what {@link Plan} turns a {@code List<AugmentStep>} into
 * once the image size and the boxes at each step are known. Every random choice that depends on
 * them (the Cutout centre, the box BBox_Cutout cuts, which boxes a box-only op touches and in what
 * order) is already made, and consecutive geometric ops are already composed into one {@link Warp}.
 * The CPU path ({@link OpKernels#run}) and the device path ({@link DevicePipeline}) both execute
 * these calls, so the two replay the same draw in the same way.
 */
sealed interface Kernel {
  /**
   * A nearest-neighbour resample of the whole image (fill 128) and mask (fill 255) through an
   * output-to-input map.
   */
  record Warp(Affine inverse) implements Kernel {}

  /**
   * Scale jitter's bilinear resize-and-crop (mask: nearest); the image size becomes the step's
   * output size.
   */
  record Resize(ResizeCrop step) implements Kernel {}

  /**
   * A colour op on the whole image ({@link AugmentOp#AUTO_CONTRAST} ... {@link
   * AugmentOp#SHARPNESS}).
   */
  record Point(AugmentOp op, double argument) implements Kernel {}

  /**
   * TF cutout after clipping: rows {@code [y0, y1)} and columns {@code [x0, x1)} set to 128; never
   * empty.
   */
  record Fill(int y0, int y1, int x0, int x1) implements Kernel {}

  /**
   * A {@code *_Only_BBoxes} edit: {@code inner} ({@link Warp}, {@link Point} or {@link Fill}, in
   * the crop's own coordinates) applied to the crop of rows {@code [y, y + height)} and columns
   * {@code [x, x + width)} as if it were a whole image, and written back.
   */
  record InBox(int y, int x, int height, int width, Kernel inner) implements Kernel {}
}
