package io.selftrain.core;

import io.selftrain.ClassTarget;
import io.selftrain.Image;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Classification's batch encoding: target distributions, label smoothing on the human examples,
 * then Mixup ({@link Mixup}) and CutMix ({@link CutMix}) between the pseudo examples, each seeded
 * by the stage and step.
 *
 * @param labelSmoothing the smoothing of human targets, in [0, 1)
 * @param pseudoMixup Mixup's Beta parameter for pseudo examples; 0 = no mixing
 * @param pseudoCutMix CutMix's Beta parameter for pseudo examples; 0 = no cutting
 * @param shape an image of the batch's shape (CutMix cuts rectangles of it)
 * @param numClasses the classes of every target
 */
record ClassTargetEncoder(
    float labelSmoothing, double pseudoMixup, double pseudoCutMix, Image shape, int numClasses)
    implements BatchEncoder<ClassTarget> {
  @Override
  public TargetBatch encode(
      float[] inputs, List<ClassTarget> targets, int human, long stageSeed, long step) {
    int n = targets.size();
    float[] y = new float[n * numClasses];
    for (int slot = 0; slot < n; slot++) {
      targets.get(slot).copyProbabilitiesTo(y, slot * numClasses);
      if (slot < human && labelSmoothing > 0f) {
        for (int k = 0; k < numClasses; k++) {
          int i = slot * numClasses + k;
          y[i] = y[i] * (1f - labelSmoothing) + labelSmoothing / numClasses;
        }
      }
    }
    int imageSize = inputs.length / n;
    if (pseudoMixup > 0) {
      Mixup.mixPseudo(
          inputs,
          y,
          human,
          n - human,
          imageSize,
          numClasses,
          pseudoMixup,
          new SplittableRandom(Seeds.mix(stageSeed, -3, step)));
    }
    if (pseudoCutMix > 0) {
      CutMix.mixPseudo(
          inputs,
          y,
          human,
          n - human,
          shape.channels(),
          shape.height(),
          shape.width(),
          numClasses,
          pseudoCutMix,
          new SplittableRandom(Seeds.mix(stageSeed, -4, step)));
    }
    return new ClassTargetBatch(y, numClasses);
  }
}
