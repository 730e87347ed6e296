package io.selftrain.augment;

import java.util.SplittableRandom;

/**
 * Applies one sampled {@link OpParams} to a {@link Work} state, and the geometry of the geometric ops as
 * affine maps so that consecutive ones can be fused into a single resample.
 */
final class OpKernels {
  /** TF's {@code replace} value for exposed and cut-out pixels. */
  static final byte FILL = (byte) 128;
  /** The mask value of exposed pixels. */
  static final byte MASK_FILL = (byte) 255;

  private OpKernels() {}

  /**
   * The output-to-input map of a geometric op in continuous coordinates, built from TF's projective
   * transforms ({@code rotate}, {@code shear_x/y}, {@code translate_x/y}; index space).
   */
  static Affine inverseMap(AugmentOp op, double argument, int height, int width) {
    switch (op) {
      case FLIP:
        return new Affine(-1, 0, width, 0, 1, 0);
      case ROTATE: {
        double radians = argument * Math.PI / 180.0;
        double cos = Math.cos(radians);
        double sin = Math.sin(radians);
        double xOffset = ((width - 1) - (cos * (width - 1) - sin * (height - 1))) / 2.0;
        double yOffset = ((height - 1) - (sin * (width - 1) + cos * (height - 1))) / 2.0;
        return Affine.fromIndexTransform(cos, -sin, xOffset, sin, cos, yOffset);
      }
      case SHEAR_X:
        return Affine.fromIndexTransform(1, argument, 0, 0, 1, 0);
      case SHEAR_Y:
        return Affine.fromIndexTransform(1, 0, 0, argument, 1, 0);
      case TRANSLATE_X:
        return Affine.fromIndexTransform(1, 0, argument, 0, 1, 0);
      case TRANSLATE_Y:
        return Affine.fromIndexTransform(1, 0, 0, 0, 1, argument);
      default:
        throw new IllegalArgumentException("op must be geometric: " + op);
    }
  }

  /** Resamples pixels and mask through {@code inverse} and maps boxes through its inverse. */
  static void warp(Work work, Affine inverse) {
    if (inverse.isIdentity()) {
      return;
    }
    work.pixels = Warps.nearest(work.pixels, work.height, work.width, work.channels, inverse, FILL);
    if (work.mask != null) {
      work.mask = Warps.nearest(work.mask, work.height, work.width, 1, inverse, MASK_FILL);
    }
    Boxes.transform(work, inverse.inverse());
  }

  /** Applies a non-geometric op (colour, Cutout, box ops); geometric ops go through {@link #warp}. */
  static void apply(Work work, OpParams params) {
    AugmentOp op = params.op();
    if (op.isGeometric()) {
      warp(work, inverseMap(op, params.argument(), work.height, work.width));
      return;
    }
    SplittableRandom rng = new SplittableRandom(params.seed());
    switch (op) {
      case BBOX_CUTOUT -> bboxCutout(work, params.argument(), rng);
      case FLIP_ONLY_BBOXES -> onlyBoxes(work, params, AugmentOp.FLIP, rng);
      case ROTATE_ONLY_BBOXES -> onlyBoxes(work, params, AugmentOp.ROTATE, rng);
      case SHEAR_X_ONLY_BBOXES -> onlyBoxes(work, params, AugmentOp.SHEAR_X, rng);
      case SHEAR_Y_ONLY_BBOXES -> onlyBoxes(work, params, AugmentOp.SHEAR_Y, rng);
      case TRANSLATE_X_ONLY_BBOXES -> onlyBoxes(work, params, AugmentOp.TRANSLATE_X, rng);
      case TRANSLATE_Y_ONLY_BBOXES -> onlyBoxes(work, params, AugmentOp.TRANSLATE_Y, rng);
      case EQUALIZE_ONLY_BBOXES -> onlyBoxes(work, params, AugmentOp.EQUALIZE, rng);
      case SOLARIZE_ONLY_BBOXES -> onlyBoxes(work, params, AugmentOp.SOLARIZE, rng);
      case CUTOUT_ONLY_BBOXES -> onlyBoxes(work, params, AugmentOp.CUTOUT, rng);
      default -> pixelsOnly(work.pixels, work.height, work.width, work.channels, op, params.argument(), rng);
    }
  }

  /** Applies a whole-image op to pixels alone (the inner op of box-only ops, and the colour ops). */
  static byte[] pixelsOnly(byte[] pixels, int height, int width, int channels, AugmentOp op, double argument, SplittableRandom rng) {
    switch (op) {
      case IDENTITY -> { }
      case AUTO_CONTRAST -> PointOps.autoContrast(pixels, channels);
      case EQUALIZE -> PointOps.equalize(pixels, channels);
      case INVERT -> PointOps.invert(pixels);
      case POSTERIZE -> PointOps.posterize(pixels, (int) argument);
      case SOLARIZE -> PointOps.solarize(pixels, (int) argument);
      case SOLARIZE_ADD -> PointOps.solarizeAdd(pixels, (int) argument);
      case COLOR -> PointOps.color(pixels, channels, (float) argument);
      case CONTRAST -> PointOps.contrast(pixels, channels, (float) argument);
      case BRIGHTNESS -> PointOps.brightness(pixels, (float) argument);
      case SHARPNESS -> PointOps.sharpness(pixels, height, width, channels, (float) argument);
      case CUTOUT -> cutout(pixels, height, width, channels, rng.nextInt(height), rng.nextInt(width), (int) argument, (int) argument);
      case FLIP, ROTATE, SHEAR_X, SHEAR_Y, TRANSLATE_X, TRANSLATE_Y -> {
        return Warps.nearest(pixels, height, width, channels, inverseMap(op, argument, height, width), FILL);
      }
      default -> throw new IllegalArgumentException("op must act on whole images: " + op);
    }
    return pixels;
  }

  /** TF cutout: rows {@code [cy - padY, cy + padY)} and columns {@code [cx - padX, cx + padX)}, clipped, set to 128. */
  static void cutout(byte[] pixels, int height, int width, int channels, int cy, int cx, int padY, int padX) {
    int y0 = Math.max(0, cy - padY);
    int y1 = Math.min(height, cy + padY);
    int x0 = Math.max(0, cx - padX);
    int x1 = Math.min(width, cx + padX);
    for (int y = y0; y < y1; y++) {
      java.util.Arrays.fill(pixels, (y * width + x0) * channels, (y * width + x1) * channels, FILL);
    }
  }

  /**
   * TF {@code bbox_cutout}: pick one box uniformly; centre uniform over the box's integer pixel range
   * (inclusive); half-sizes {@code int(fraction * box_h / 2)} and {@code int(fraction * box_w / 2)}.
   */
  private static void bboxCutout(Work work, double fraction, SplittableRandom rng) {
    if (work.boxes == null || work.boxCount == 0) {
      return;
    }
    int i = rng.nextInt(work.boxCount);
    int minX = (int) work.boxes[4 * i];
    int minY = (int) work.boxes[4 * i + 1];
    int maxX = (int) work.boxes[4 * i + 2];
    int maxY = (int) work.boxes[4 * i + 3];
    int cy = minY + rng.nextInt(maxY - minY + 1);
    int cx = minX + rng.nextInt(maxX - minX + 1);
    int padY = (int) (fraction * ((maxY - minY) / 2.0));
    int padX = (int) (fraction * ((maxX - minX) / 2.0));
    cutout(work.pixels, work.height, work.width, work.channels, cy, cx, padY, padX);
  }

  /**
   * TF {@code _apply_multi_bbox_augmentation}: boxes in random order, each with the per-box probability;
   * the inner op runs on the box's pixel crop (rows {@code int(y1)..min(int(y2), h-1)} inclusive, likewise
   * columns) as if it were a whole image, and the result is written back. Boxes do not move.
   */
  private static void onlyBoxes(Work work, OpParams params, AugmentOp inner, SplittableRandom rng) {
    if (work.boxes == null || work.boxCount == 0) {
      return;
    }
    int n = work.boxCount;
    int[] order = io.selftrain.internal.RandomOrder.permutation(n, rng);
    int c = work.channels;
    for (int k = 0; k < n; k++) {
      int i = order[k];
      if (rng.nextDouble() >= params.boxProbability()) {
        continue;
      }
      int minX = (int) work.boxes[4 * i];
      int minY = (int) work.boxes[4 * i + 1];
      int maxX = Math.min((int) work.boxes[4 * i + 2], work.width - 1);
      int maxY = Math.min((int) work.boxes[4 * i + 3], work.height - 1);
      int ch = maxY - minY + 1;
      int cw = maxX - minX + 1;
      if (ch <= 0 || cw <= 0) {
        continue;
      }
      byte[] crop = new byte[ch * cw * c];
      for (int y = 0; y < ch; y++) {
        System.arraycopy(work.pixels, ((minY + y) * work.width + minX) * c, crop, y * cw * c, cw * c);
      }
      byte[] out = pixelsOnly(crop, ch, cw, c, inner, params.argument(), rng);
      for (int y = 0; y < ch; y++) {
        System.arraycopy(out, y * cw * c, work.pixels, ((minY + y) * work.width + minX) * c, cw * c);
      }
    }
  }
}
