package io.selftrain.augment;

import io.selftrain.BoxesTarget;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.Target;

/**
 * The mutable state one draw is applied to: HWC uint8 pixels, the surviving boxes (xyxy pixels, with the
 * index of each in the input target so classes, scores and weights follow) and the mask. Kernels replace
 * the arrays; the input example is never written to.
 */
final class Work {
  int height;
  int width;
  final int channels;
  byte[] pixels;
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

  /** Copies the example's pixels and geometry-bearing target into a fresh work state. */
  static Work of(Example<?> example) {
    return of(example, true);
  }

  /**
   * The size and boxes of an example without its pixels and mask (null), for {@link Plan} on the device
   * path, where pixels and mask live in NDArrays.
   */
  static Work geometryOf(Example<?> example) {
    return of(example, false);
  }

  private static Work of(Example<?> example, boolean copyPixels) {
    Image image = example.image();
    Work work = new Work(image.height(), image.width(), image.channels(), copyPixels ? image.pixels().clone() : null);
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
            "mask must match the image size " + image.height() + "x" + image.width() + ": " + m.height() + "x" + m.width());
      }
      work.mask = copyPixels ? m.classes() : null;
    }
    return work;
  }

  /** A work state over pixels only (used for the content of one box). */
  static Work pixelsOnly(int height, int width, int channels, byte[] pixels) {
    return new Work(height, width, channels, pixels);
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
    Target out = target instanceof MaskTarget ? MaskTarget.of(height, width, mask) : toTarget(target);
    return new Example<>(image, (T) out, input.origin());
  }

  /**
   * The output target of a class or boxes input: the input's class, or the surviving boxes with their
   * classes, scores and weights.
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
