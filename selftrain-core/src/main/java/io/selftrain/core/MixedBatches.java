package io.selftrain.core;

import io.selftrain.Augmenter;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.internal.RandomOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The batches of one training stage as a pure function of (stage seed, epoch, step): each batch holds
 * {@code humanPerBatch} human examples followed by {@code pseudoPerBatch} pseudo examples (Noisy Student
 * mixes both sources in every batch at a fixed ratio). Pseudo examples are visited once per epoch in a
 * fresh order; human examples cycle through reshuffled passes. Every example is augmented with its own
 * generator, so a batch is identical whichever thread builds it and whether or not the stage resumed.
 */
final class MixedBatches {
  /** One encoded batch: inputs (NCHW), target distributions, and how many leading examples are human. */
  record Batch(float[] inputs, float[] targets, int human, int pseudo) {}

  private final List<Example<ClassTarget>> human;
  private final List<Example<ClassTarget>> pseudo;
  private final Augmenter<ClassTarget> augmenter;
  private final int humanPerBatch;
  private final int pseudoPerBatch;
  private final int stepsPerEpoch;
  private final long seed;
  private final float labelSmoothing;
  /** Mixup's Beta parameter for pseudo examples ({@link Mixup}); 0 = no mixing. */
  private final double pseudoMixup;
  /** CutMix's Beta parameter for pseudo examples ({@link CutMix}); 0 = no cutting. */
  private final double pseudoCutMix;
  private final int imageSize;
  private final int numClasses;
  private final Map<Long, int[]> humanOrders = new HashMap<>();
  private final Map<Integer, int[]> pseudoOrders = new HashMap<>();

  private MixedBatches(
      List<Example<ClassTarget>> human,
      List<Example<ClassTarget>> pseudo,
      Augmenter<ClassTarget> augmenter,
      int humanPerBatch,
      int pseudoPerBatch,
      int stepsPerEpoch,
      float labelSmoothing,
      double pseudoMixup,
      double pseudoCutMix,
      long seed) {
    this.human = human;
    this.pseudo = pseudo;
    this.augmenter = augmenter;
    this.humanPerBatch = humanPerBatch;
    this.pseudoPerBatch = pseudoPerBatch;
    this.stepsPerEpoch = stepsPerEpoch;
    this.labelSmoothing = labelSmoothing;
    this.pseudoMixup = pseudoMixup;
    this.pseudoCutMix = pseudoCutMix;
    this.seed = seed;
    Example<ClassTarget> first = human.get(0);
    this.imageSize = first.image().channels() * first.image().height() * first.image().width();
    this.numClasses = first.target().numClasses();
  }

  /**
   * Batches of {@code batchSize} with {@code pseudoRatio} pseudo examples per human one; an epoch is one
   * pass over the pseudo examples (over the human ones when there are no pseudo examples). With
   * {@code pseudoMixup > 0} the pseudo examples of each batch are mixed ({@link Mixup}), and with
   * {@code pseudoCutMix > 0} they then exchange rectangles ({@link CutMix}).
   */
  static MixedBatches mixed(
      List<Example<ClassTarget>> human,
      List<Example<ClassTarget>> pseudo,
      Augmenter<ClassTarget> augmenter,
      int batchSize,
      int pseudoRatio,
      float labelSmoothing,
      double pseudoMixup,
      double pseudoCutMix,
      long seed) {
    if (pseudo.isEmpty()) {
      return humanOnly(human, augmenter, batchSize, ceilDiv(human.size(), batchSize), labelSmoothing, seed);
    }
    int pseudoPerBatch = pseudoPerBatch(batchSize, pseudoRatio);
    return new MixedBatches(
        human, pseudo, augmenter, batchSize - pseudoPerBatch, pseudoPerBatch,
        ceilDiv(pseudo.size(), pseudoPerBatch), labelSmoothing, pseudoMixup, pseudoCutMix, seed);
  }

  /** Batches of human examples only, with a given number of steps per epoch. */
  static MixedBatches humanOnly(
      List<Example<ClassTarget>> human,
      Augmenter<ClassTarget> augmenter,
      int batchSize,
      int stepsPerEpoch,
      float labelSmoothing,
      long seed) {
    return new MixedBatches(human, List.of(), augmenter, batchSize, 0, stepsPerEpoch, labelSmoothing, 0, 0, seed);
  }

  /** Steps per epoch of a mixed stage over {@code pseudoCount} pseudo examples. */
  static int mixedStepsPerEpoch(int pseudoCount, int batchSize, int pseudoRatio) {
    return ceilDiv(pseudoCount, pseudoPerBatch(batchSize, pseudoRatio));
  }

  private static int pseudoPerBatch(int batchSize, int pseudoRatio) {
    return Math.min(batchSize - 1, Math.max(1, Math.round((float) batchSize * pseudoRatio / (pseudoRatio + 1))));
  }

  int stepsPerEpoch() {
    return stepsPerEpoch;
  }

  int humanPerBatch() {
    return humanPerBatch;
  }

  int pseudoPerBatch() {
    return pseudoPerBatch;
  }

  Batch batch(int epoch, int step) {
    int n = humanPerBatch + pseudoPerBatch;
    float[] inputs = new float[n * imageSize];
    float[] targets = new float[n * numClasses];
    long global = (long) epoch * stepsPerEpoch + step;
    for (int j = 0; j < humanPerBatch; j++) {
      long position = global * humanPerBatch + j;
      int index = humanOrder(position / human.size())[(int) (position % human.size())];
      put(human.get(index), j, global, inputs, targets, labelSmoothing);
    }
    int[] order = pseudoPerBatch == 0 ? null : pseudoOrder(epoch);
    for (int j = 0; j < pseudoPerBatch; j++) {
      // The last batch of an epoch wraps around to the epoch's first examples to stay full.
      int index = order[(step * pseudoPerBatch + j) % pseudo.size()];
      put(pseudo.get(index), humanPerBatch + j, global, inputs, targets, 0f);
    }
    if (pseudoMixup > 0) {
      Mixup.mixPseudo(
          inputs, targets, humanPerBatch, pseudoPerBatch, imageSize, numClasses, pseudoMixup,
          new SplittableRandom(Seeds.mix(seed, -3, global)));
    }
    if (pseudoCutMix > 0) {
      Image shape = human.get(0).image();
      CutMix.mixPseudo(
          inputs, targets, humanPerBatch, pseudoPerBatch, shape.channels(), shape.height(), shape.width(), numClasses,
          pseudoCutMix, new SplittableRandom(Seeds.mix(seed, -4, global)));
    }
    return new Batch(inputs, targets, humanPerBatch, pseudoPerBatch);
  }

  private void put(Example<ClassTarget> example, int slot, long global, float[] inputs, float[] targets, float smoothing) {
    Example<ClassTarget> augmented = augmenter.augment(example, new SplittableRandom(Seeds.mix(seed, global, slot)));
    augmented.image().copyChwTo(inputs, slot * imageSize);
    augmented.target().copyProbabilitiesTo(targets, slot * numClasses);
    if (smoothing > 0f) {
      for (int k = 0; k < numClasses; k++) {
        int i = slot * numClasses + k;
        targets[i] = targets[i] * (1f - smoothing) + smoothing / numClasses;
      }
    }
  }

  private int[] humanOrder(long pass) {
    if (humanOrders.size() > 64) {
      humanOrders.clear();
    }
    return humanOrders.computeIfAbsent(pass, p -> permutation(human.size(), Seeds.mix(seed, -1, p)));
  }

  private int[] pseudoOrder(int epoch) {
    if (pseudoOrders.size() > 4) {
      pseudoOrders.clear();
    }
    return pseudoOrders.computeIfAbsent(epoch, e -> permutation(pseudo.size(), Seeds.mix(seed, -2, e)));
  }

  static int[] permutation(int n, long seed) {
    return RandomOrder.permutation(n, new SplittableRandom(seed));
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
