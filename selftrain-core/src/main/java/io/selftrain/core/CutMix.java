package io.selftrain.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import io.selftrain.MaskTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * CutMix (Yun et al. 2019) between the pseudo-labeled examples of a student batch, as extra input
 * noise for the student (Noisy Student's noise, Xie et al. 2020 Sec. 2; the teacher still labels
 * clean images): a rectangle of pseudo slot {@code j} is replaced by the same rectangle of the next
 * pseudo slot (cyclically; slots are in a fresh random order every epoch). The pasted area is
 * {@code 1 - max(lambda, 1 - lambda)} of the image, {@code lambda ~ Beta(alpha, alpha)}, so each
 * slot keeps at least half of its own pixels; the rectangle has the image's aspect ratio and lies
 * wholly inside it. A class target becomes the area-weighted mixture of the two distributions (the
 * weights are the exact pixel fractions); a mask takes the partner's pixels inside the rectangle,
 * ignored ones included, the strong perturbation semi-supervised segmentation relies on (French et
 * al. 2020; ST++, Yang et al. 2022, on self-training's unlabeled images). Human examples are never
 * mixed, so the supervised control is unaffected.
 */
final class CutMix {
  private CutMix() {}

  /**
   * @param alpha a builder's {@code pseudoCutMix} setting
   * @return the setting
   * @throws IllegalArgumentException if it is negative or not finite
   */
  static double checkAlpha(double alpha) {
    checkArgument(
        alpha >= 0 && Double.isFinite(alpha),
        "pseudoCutMix must be a finite non-negative number: %s",
        alpha);
    return alpha;
  }

  /**
   * One pasted rectangle, rows {@code [top, top + height)} and columns {@code [left, left +
   * width)}.
   */
  record Box(int top, int left, int height, int width) {
    /** Draws a rectangle of an {@code imageHeight x imageWidth} image, as the class describes. */
    static Box draw(int imageHeight, int imageWidth, double alpha, SplittableRandom rng) {
      double pasted = Math.sqrt(1 - Mixup.foldedBeta(alpha, rng));
      int boxHeight = (int) Math.round(imageHeight * pasted);
      int boxWidth = (int) Math.round(imageWidth * pasted);
      int top = rng.nextInt(imageHeight - boxHeight + 1);
      int left = rng.nextInt(imageWidth - boxWidth + 1);
      return new Box(top, left, boxHeight, boxWidth);
    }

    /**
     * Copies this rectangle of every channel of one CHW image into another.
     *
     * @param from the source images
     * @param fromOffset where the source image starts
     * @param to the destination images
     * @param toOffset where the destination image starts
     */
    void paste(
        float[] from,
        int fromOffset,
        float[] to,
        int toOffset,
        int channels,
        int imageHeight,
        int imageWidth) {
      for (int c = 0; c < channels; c++) {
        for (int r = top; r < top + height; r++) {
          int row = c * imageHeight * imageWidth + r * imageWidth + left;
          System.arraycopy(from, fromOffset + row, to, toOffset + row, width);
        }
      }
    }

    /** Copies this rectangle of one row-major class map into another. */
    void paste(byte[] from, byte[] to, int imageWidth) {
      for (int r = top; r < top + height; r++) {
        System.arraycopy(from, r * imageWidth + left, to, r * imageWidth + left, width);
      }
    }
  }

  /**
   * Mixes the pseudo slots {@code [first, first + count)} of a classification batch in place.
   *
   * @param inputs the batch inputs, {@code channels * height * width} values per slot (CHW)
   * @param targets the batch target distributions, {@code numClasses} values per slot
   * @param first the first pseudo slot
   * @param count pseudo slots (nothing happens below 2)
   * @param alpha the Beta parameter, positive
   * @param rng this batch's generator
   */
  static void mixPseudo(
      float[] inputs,
      float[] targets,
      int first,
      int count,
      int channels,
      int height,
      int width,
      int numClasses,
      double alpha,
      SplittableRandom rng) {
    if (count < 2) {
      return;
    }
    int imageSize = channels * height * width;
    PseudoSlots original = PseudoSlots.copy(inputs, targets, first, count, imageSize, numClasses);
    float[] x = original.inputs();
    float[] y = original.targets();
    for (int j = 0; j < count; j++) {
      int partner = (j + 1) % count;
      Box box = Box.draw(height, width, alpha, rng);
      box.paste(x, partner * imageSize, inputs, (first + j) * imageSize, channels, height, width);
      float own = 1f - (float) (box.height() * box.width()) / (height * width);
      Mixup.mix(
          y,
          j * numClasses,
          partner * numClasses,
          numClasses,
          own,
          targets,
          (first + j) * numClasses);
    }
  }

  /**
   * Mixes the pseudo slots {@code [first, first + count)} of a segmentation batch: their images in
   * place, their masks into new ones (a slot's mask takes the partner's classes inside the pasted
   * rectangle).
   *
   * @param inputs the batch inputs, CHW per slot, each image the size of its mask
   * @param targets the batch's masks, one per slot
   * @param first the first pseudo slot
   * @param count pseudo slots (nothing is mixed below 2)
   * @param alpha the Beta parameter, positive
   * @param rng this batch's generator
   * @return the batch's masks, the pseudo ones mixed
   */
  static List<MaskTarget> mixPseudoMasks(
      float[] inputs,
      List<MaskTarget> targets,
      int first,
      int count,
      double alpha,
      SplittableRandom rng) {
    List<MaskTarget> mixed = new ArrayList<>(targets);
    if (count < 2) {
      return mixed;
    }
    int height = targets.get(first).height();
    int width = targets.get(first).width();
    int imageSize = inputs.length / targets.size();
    int channels = imageSize / (height * width);
    float[] x = new float[count * imageSize];
    System.arraycopy(inputs, first * imageSize, x, 0, x.length);
    for (int j = 0; j < count; j++) {
      int partner = (j + 1) % count;
      Box box = Box.draw(height, width, alpha, rng);
      box.paste(x, partner * imageSize, inputs, (first + j) * imageSize, channels, height, width);
      MaskTarget own = targets.get(first + j);
      MaskTarget other = targets.get(first + partner);
      checkState(
          own.height() == height
              && own.width() == width
              && other.height() == height
              && other.width() == width,
          "CutMix needs the pseudo masks of a batch at one size: %sx%s and %sx%s",
          own.height(),
          own.width(),
          other.height(),
          other.width());
      byte[] classes = own.classes();
      box.paste(other.classes(), classes, width);
      mixed.set(first + j, MaskTarget.of(height, width, classes));
    }
    return mixed;
  }
}
