package io.selftrain.core;

/**
 * A copy of the pseudo slots of a batch, taken before {@link Mixup} or {@link CutMix} rewrites them
 * in place, so every slot mixes with its partner's original image and target.
 *
 * @param inputs {@code count} images of {@code imageSize} values
 * @param targets {@code count} distributions of {@code numClasses} values
 */
record PseudoSlots(float[] inputs, float[] targets) {
  static PseudoSlots copy(
      float[] inputs, float[] targets, int first, int count, int imageSize, int numClasses) {
    float[] x = new float[count * imageSize];
    float[] y = new float[count * numClasses];
    System.arraycopy(inputs, first * imageSize, x, 0, x.length);
    System.arraycopy(targets, first * numClasses, y, 0, y.length);
    return new PseudoSlots(x, y);
  }
}
