package io.selftrain.core;

import java.util.SplittableRandom;

/**
 * Mixup (Zhang et al. 2018) between the pseudo-labeled examples of a student batch, as extra input
 * noise for the student (Noisy Student's noise, Xie et al. 2020 Sec. 2; the teacher still labels
 * clean images): pseudo slot {@code j} becomes {@code lambda x_j + (1 - lambda) x_{j+1}} (the next
 * pseudo slot, cyclically; slots are in a fresh random order every epoch), and its target
 * distribution the same mixture of the two targets. {@code lambda ~ Beta(alpha, alpha)}, folded to
 * {@code max(lambda, 1 - lambda)} so that each slot stays closest to its own example. Human
 * examples are never mixed, so the supervised control is unaffected.
 */
final class Mixup {
  private Mixup() {}

  /**
   * Mixes the pseudo slots {@code [first, first + count)} of a batch in place.
   *
   * @param inputs the batch inputs, {@code imageSize} values per slot
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
      int imageSize,
      int numClasses,
      double alpha,
      SplittableRandom rng) {
    if (count < 2) {
      return;
    }
    PseudoSlots original = PseudoSlots.copy(inputs, targets, first, count, imageSize, numClasses);
    float[] x = original.inputs();
    float[] y = original.targets();
    for (int j = 0; j < count; j++) {
      int partner = (j + 1) % count;
      float lambda = (float) foldedBeta(alpha, rng);
      mix(
          x,
          j * imageSize,
          partner * imageSize,
          imageSize,
          lambda,
          inputs,
          (first + j) * imageSize);
      mix(
          y,
          j * numClasses,
          partner * numClasses,
          numClasses,
          lambda,
          targets,
          (first + j) * numClasses);
    }
  }

  /**
   * Writes {@code lambda * source[own..] + (1 - lambda) * source[other..]}, {@code length} values,
   * to {@code out} from {@code offset}.
   */
  static void mix(
      float[] source, int own, int other, int length, float lambda, float[] out, int offset) {
    for (int i = 0; i < length; i++) {
      out[offset + i] = lambda * source[own + i] + (1 - lambda) * source[other + i];
    }
  }

  /**
   * {@code max(lambda, 1 - lambda)} for {@code lambda ~ Beta(alpha, alpha)}: a value in [0.5, 1].
   */
  static double foldedBeta(double alpha, SplittableRandom rng) {
    double a = gamma(alpha, rng);
    double b = gamma(alpha, rng);
    double lambda = a + b > 0 ? a / (a + b) : (rng.nextBoolean() ? 1.0 : 0.0);
    return Math.max(lambda, 1 - lambda);
  }

  /**
   * A Gamma(shape, 1) draw: Marsaglia and Tsang's method (2000) for shape >= 1, and {@code
   * Gamma(shape + 1) U^(1/shape)} below 1.
   */
  static double gamma(double shape, SplittableRandom rng) {
    if (shape < 1) {
      return gamma(shape + 1, rng) * Math.pow(rng.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double z = rng.nextGaussian();
      double v = 1 + c * z;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = rng.nextDouble();
      if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }
}
