package io.selftrain.core;

import java.util.SplittableRandom;

/**
 * CutMix (Yun et al. 2019) between the pseudo-labeled examples of a student batch, as extra input
 * noise for the student (Noisy Student's noise, Xie et al. 2020 Sec. 2; the teacher still labels
 * clean images): a rectangle of pseudo slot {@code j} is replaced by the same rectangle of the next
 * pseudo slot (cyclically; slots are in a fresh random order every epoch), and its target
 * distribution becomes the area-weighted mixture of the two targets. The pasted area is {@code 1 -
 * max(lambda, 1 - lambda)} of the image, {@code lambda ~ Beta(alpha, alpha)}, so each slot keeps at
 * least half of its own pixels; the rectangle has the image's aspect ratio and lies wholly inside
 * it, so the target weights are the exact pixel fractions. Human examples are never mixed, so the
 * supervised control is unaffected.
 */
final class CutMix {
  private CutMix() {}

  /**
   * Mixes the pseudo slots {@code [first, first + count)} of a batch in place.
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
      double pasted = Math.sqrt(1 - Mixup.foldedBeta(alpha, rng));
      int boxHeight = (int) Math.round(height * pasted);
      int boxWidth = (int) Math.round(width * pasted);
      int top = rng.nextInt(height - boxHeight + 1);
      int left = rng.nextInt(width - boxWidth + 1);
      int out = (first + j) * imageSize;
      for (int c = 0; c < channels; c++) {
        for (int r = top; r < top + boxHeight; r++) {
          int row = c * height * width + r * width + left;
          System.arraycopy(x, partner * imageSize + row, inputs, out + row, boxWidth);
        }
      }
      float own = 1f - (float) (boxHeight * boxWidth) / (height * width);
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
}
