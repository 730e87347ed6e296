package io.selftrain.augment;

import io.selftrain.internal.RandomOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Resolves a draw into {@link Kernel} calls while moving the geometry it depends on: the size and
 * the boxes of a {@link Work} state (its pixels and mask are neither read nor written). Consecutive
 * geometric ops are composed into one affine map ({@link Affine#after}), so pixels are resampled
 * once and boxes are mapped once; scale jitter, Cutout, BBox_Cutout and the {@code *_Only_BBoxes}
 * ops draw their remaining choices here from the op's own seed, with the boxes as they are at that
 * step (TF {@code bbox_cutout}, {@code _apply_multi_bbox_augmentation}; reference/paper-spec.md
 * Sec. 4.3).
 */
final class Plan {
  private Plan() {}

  /**
   * @param work the geometry at the start of the draw; on return it holds the output size and boxes
   * @param draw the steps
   * @param fuse whether consecutive geometric ops are composed into one warp
   * @return the calls, in order
   */
  static List<Kernel> resolve(Work work, List<AugmentStep> draw, boolean fuse) {
    List<Kernel> out = new ArrayList<>();
    Affine pending = null;
    for (AugmentStep step : draw) {
      if (step instanceof OpParams p && p.op().isGeometric()) {
        Affine inverse = OpKernels.inverseMap(p.op(), p.argument(), work.height, work.width);
        pending = pending == null ? inverse : pending.after(inverse);
        if (!fuse) {
          warp(work, pending, out);
          pending = null;
        }
        continue;
      }
      if (pending != null) {
        warp(work, pending, out);
        pending = null;
      }
      if (step instanceof OpParams p) {
        op(work, p, out);
      } else if (step instanceof ResizeCrop r) {
        out.add(new Kernel.Resize(r));
        Boxes.resizeCrop(work, r, work.height, work.width);
        work.height = r.outputHeight();
        work.width = r.outputWidth();
      }
    }
    if (pending != null) {
      warp(work, pending, out);
    }
    return out;
  }

  private static void warp(Work work, Affine inverse, List<Kernel> out) {
    if (inverse.isIdentity()) {
      return;
    }
    out.add(new Kernel.Warp(inverse));
    Boxes.transform(work, inverse.inverse());
  }

  private static void op(Work work, OpParams params, List<Kernel> out) {
    AugmentOp op = params.op();
    SplittableRandom rng = new SplittableRandom(params.seed());
    switch (op) {
      case IDENTITY -> {}
      case CUTOUT -> addFill(out, whole(op, params.argument(), work.height, work.width, rng));
      case BBOX_CUTOUT -> bboxCutout(work, params.argument(), rng, out);
      case FLIP_ONLY_BBOXES -> onlyBoxes(work, params, AugmentOp.FLIP, rng, out);
      case ROTATE_ONLY_BBOXES -> onlyBoxes(work, params, AugmentOp.ROTATE, rng, out);
      case SHEAR_X_ONLY_BBOXES -> onlyBoxes(work, params, AugmentOp.SHEAR_X, rng, out);
      case SHEAR_Y_ONLY_BBOXES -> onlyBoxes(work, params, AugmentOp.SHEAR_Y, rng, out);
      case TRANSLATE_X_ONLY_BBOXES -> onlyBoxes(work, params, AugmentOp.TRANSLATE_X, rng, out);
      case TRANSLATE_Y_ONLY_BBOXES -> onlyBoxes(work, params, AugmentOp.TRANSLATE_Y, rng, out);
      case EQUALIZE_ONLY_BBOXES -> onlyBoxes(work, params, AugmentOp.EQUALIZE, rng, out);
      case SOLARIZE_ONLY_BBOXES -> onlyBoxes(work, params, AugmentOp.SOLARIZE, rng, out);
      case CUTOUT_ONLY_BBOXES -> onlyBoxes(work, params, AugmentOp.CUTOUT, rng, out);
      default -> {
        if (op.isGeometric()) {
          throw new IllegalArgumentException("op must not be geometric: " + op);
        }
        out.add(new Kernel.Point(op, params.argument()));
      }
    }
  }

  /**
   * A whole-image op on an image of the given size, as the inner op of a box-only op runs on a
   * crop: a warp, a Cutout square at a centre drawn from {@code rng} (TF {@code cutout}), or a
   * colour op; null when it changes nothing.
   */
  private static Kernel whole(
      AugmentOp op, double argument, int height, int width, SplittableRandom rng) {
    if (op.isGeometric()) {
      Affine inverse = OpKernels.inverseMap(op, argument, height, width);
      return inverse.isIdentity() ? null : new Kernel.Warp(inverse);
    }
    if (op == AugmentOp.CUTOUT) {
      int pad = (int) argument;
      return fill(height, width, rng.nextInt(height), rng.nextInt(width), pad, pad);
    }
    return new Kernel.Point(op, argument);
  }

  /**
   * TF cutout: rows {@code [cy - padY, cy + padY)} and columns {@code [cx - padX, cx + padX)},
   * clipped; null if empty.
   */
  private static Kernel.Fill fill(int height, int width, int cy, int cx, int padY, int padX) {
    int y0 = Math.max(0, cy - padY);
    int y1 = Math.min(height, cy + padY);
    int x0 = Math.max(0, cx - padX);
    int x1 = Math.min(width, cx + padX);
    return y0 < y1 && x0 < x1 ? new Kernel.Fill(y0, y1, x0, x1) : null;
  }

  private static void addFill(List<Kernel> out, Kernel fill) {
    if (fill != null) {
      out.add(fill);
    }
  }

  /**
   * TF {@code bbox_cutout}: pick one box uniformly; centre uniform over the box's integer pixel
   * range (inclusive); half-sizes {@code int(fraction * box_h / 2)} and {@code int(fraction * box_w
   * / 2)}.
   */
  private static void bboxCutout(
      Work work, double fraction, SplittableRandom rng, List<Kernel> out) {
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
    addFill(out, fill(work.height, work.width, cy, cx, padY, padX));
  }

  /**
   * TF {@code _apply_multi_bbox_augmentation}: boxes in random order, each with the per-box
   * probability; the inner op runs on the box's pixel crop (rows {@code int(y1)..min(int(y2), h-1)}
   * inclusive, likewise columns) as if it were a whole image, and the result is written back. Boxes
   * do not move.
   */
  private static void onlyBoxes(
      Work work, OpParams params, AugmentOp inner, SplittableRandom rng, List<Kernel> out) {
    if (work.boxes == null || work.boxCount == 0) {
      return;
    }
    int n = work.boxCount;
    int[] order = RandomOrder.permutation(n, rng);
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
      Kernel kernel = whole(inner, params.argument(), ch, cw, rng);
      if (kernel != null) {
        out.add(new Kernel.InBox(minY, minX, ch, cw, kernel));
      }
    }
  }
}
