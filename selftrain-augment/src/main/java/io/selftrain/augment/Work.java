package io.selftrain.augment;

import io.selftrain.BoxesTarget;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.Target;

/**
 * The mutable state one draw is applied to: HWC uint8 pixels, the surviving boxes (xyxy pixels,
 * with the index of each in the input target so classes, scores and weights follow) and the mask.
 * Kernels replace the arrays; the input example is never written to: its pixels are copied only
 * when a kernel first writes in place ({@link #ownPixels}), so a draw that starts with a resample
 * copies nothing.
 */
final class Work {
  int height;
  int width;
  final int channels;
  byte[] pixels;

  /**
   * Whether {@link #pixels} is still the input image's array, which must be copied before writing
   * in place.
   */
  boolean shared;

  /** 4 * boxCount corners, or null when the target has no boxes. */
  float[] boxes;

  int boxCount;

  /** For each surviving box, its index in the input target. */
  int[] boxIndex;

  /** height * width classes, or null when the target is not a mask. */
  byte[] mask;

  Work(int height, int width, int channels, byte[] pixels) {
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.pixels = pixels;
  }

  /**
   * A work state over the example's pixels (copied on first in-place write) and geometry-bearing
   * target.
   */
  static Work of(Example<?> example) {
    return of(example, true);
  }

  /**
   * The size and boxes of an example without its pixels and mask (null), for {@link Plan} on the
   * device path, where pixels and mask live in NDArrays.
   */
  static Work geometryOf(Example<?> example) {
    return of(example, false);
  }

  private static Work of(Example<?> example, boolean copyPixels) {
    Image image = example.image();
    Work work =
        new Work(
            image.height(), image.width(), image.channels(), copyPixels ? image.pixels() : null);
    work.shared = copyPixels;
    Target target = example.target();
    if (target instanceof BoxesTarget b) {
      work.boxes = b.boxes();
      work.boxCount = b.size();
      work.boxIndex = new int[b.size()];
      for (int i = 0; i < b.size(); i++) {
        work.boxIndex[i] = i;
      }
    } else if (target instanceof MaskTarget m) {
      if (m.height() != image.height() || m.width() != image.width()) {
        throw new IllegalArgumentException(
            "mask must match the image size "
                + image.height()
                + "x"
                + image.width()
                + ": "
                + m.height()
                + "x"
                + m.width());
      }
      work.mask = copyPixels ? m.classes() : null;
    }
    return work;
  }

  /**
   * @return the pixels, copied first if they are still the input's
   */
  byte[] ownPixels() {
    if (shared) {
      pixels = pixels.clone();
      shared = false;
    }
    return pixels;
  }

  /** Replaces the pixels with a fresh array a kernel produced. */
  void replacePixels(byte[] fresh) {
    pixels = fresh;
    shared = false;
  }

  /** Keeps only boxes whose flag is set, preserving order. */
  void keepBoxes(boolean[] keep) {
    int n = 0;
    for (int i = 0; i < boxCount; i++) {
      if (keep[i]) {
        System.arraycopy(boxes, 4 * i, boxes, 4 * n, 4);
        boxIndex[n] = boxIndex[i];
        n++;
      }
    }
    boxCount = n;
  }

  /** Builds the output example, carrying classes, scores and weights of surviving boxes. */
  @SuppressWarnings("unchecked")
  <T extends Target> Example<T> toExample(Example<T> input) {
    Image image = Image.of(height, width, channels, pixels);
    Target target = input.target();
    Target out =
        target instanceof MaskTarget ? MaskTarget.of(height, width, mask) : toTarget(target);
    return new Example<>(image, (T) out, input.origin());
  }

  /**
   * The output target of a class or boxes input: the input's class, or the surviving boxes with
   * their classes, scores and weights.
   */
  Target toTarget(Target input) {
    if (input instanceof BoxesTarget b) {
      int[] classes = b.classes();
      float[] scores = b.scores();
      float[] weights = b.weights();
      int[] c = new int[boxCount];
      float[] s = new float[boxCount];
      float[] w = new float[boxCount];
      for (int i = 0; i < boxCount; i++) {
        c[i] = classes[boxIndex[i]];
        s[i] = scores[boxIndex[i]];
        w[i] = weights[boxIndex[i]];
      }
      float[] kept = new float[4 * boxCount];
      System.arraycopy(boxes, 0, kept, 0, kept.length);
      return BoxesTarget.of(kept, c, s, w);
    }
    if (input instanceof ClassTarget c) {
      return c;
    }
    throw new IllegalArgumentException("input must be a class or boxes target: " + input);
  }
}
