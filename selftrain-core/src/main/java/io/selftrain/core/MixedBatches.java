package io.selftrain.core;

import io.selftrain.Augmenter;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Target;
import io.selftrain.internal.RandomOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The batches of one training stage as a pure function of (stage seed, epoch, step): each batch
 * holds {@code humanPerBatch} human examples followed by {@code pseudoPerBatch} pseudo examples
 * (Noisy Student mixes both sources in every batch at a fixed ratio). Pseudo examples are visited
 * once per epoch in a fresh order; human examples cycle through reshuffled passes. Every example is
 * augmented with its own generator, so a batch is identical whichever thread builds it and whether
 * or not the stage resumed. The task's {@link BatchEncoder} turns the augmented targets into the
 * student's target array. Sampling and augmentation are the same for every task.
 *
 * @param <T> the target type
 */
final class MixedBatches<T extends Target> {
  /** One encoded batch: inputs (NCHW), targets, and how many leading examples are human. */
  record Batch(float[] inputs, TargetBatch targets, int human, int pseudo) {}

  private final List<Example<T>> human;
  private final List<Example<T>> pseudo;
  private final Augmenter<T> augmenter;
  private final BatchEncoder<T> encoder;
  private final int humanPerBatch;
  private final int pseudoPerBatch;
  private final int stepsPerEpoch;
  // Pseudo examples drawn by position over seeded passes (as human ones), not one pass per epoch.
  private final boolean pseudoByPosition;
  private final long seed;
  private final int imageSize;
  private final Map<Long, int[]> humanOrders = new HashMap<>();
  private final Map<Integer, int[]> pseudoOrders = new HashMap<>();
  private final Map<Long, int[]> pseudoPasses = new HashMap<>();

  private MixedBatches(
      List<Example<T>> human,
      List<Example<T>> pseudo,
      Augmenter<T> augmenter,
      BatchEncoder<T> encoder,
      int humanPerBatch,
      int pseudoPerBatch,
      int stepsPerEpoch,
      boolean pseudoByPosition,
      long seed) {
    this.human = human;
    this.pseudo = pseudo;
    this.augmenter = augmenter;
    this.encoder = encoder;
    this.humanPerBatch = humanPerBatch;
    this.pseudoPerBatch = pseudoPerBatch;
    this.stepsPerEpoch = stepsPerEpoch;
    this.pseudoByPosition = pseudoByPosition;
    this.seed = seed;
    Image first = human.get(0).image();
    this.imageSize = first.channels() * first.height() * first.width();
  }

  /**
   * Batches of {@code layout}'s human and pseudo examples; an epoch is one pass over the pseudo
   * examples. Without pseudo examples, batches of {@code layout.batchSize()} human examples, an
   * epoch one pass over them.
   */
  static <T extends Target> MixedBatches<T> mixed(
      List<Example<T>> human,
      List<Example<T>> pseudo,
      Augmenter<T> augmenter,
      BatchEncoder<T> encoder,
      StudentBatch layout,
      long seed) {
    if (pseudo.isEmpty()) {
      return humanOnly(
          human,
          augmenter,
          encoder,
          layout.batchSize(),
          ceilDiv(human.size(), layout.batchSize()),
          seed);
    }
    return new MixedBatches<>(
        human,
        pseudo,
        augmenter,
        encoder,
        layout.human(),
        layout.pseudo(),
        layout.stepsPerPass(pseudo.size()),
        false,
        seed);
  }

  /** Batches of human examples only, with a given number of steps per epoch. */
  static <T extends Target> MixedBatches<T> humanOnly(
      List<Example<T>> human,
      Augmenter<T> augmenter,
      BatchEncoder<T> encoder,
      int batchSize,
      int stepsPerEpoch,
      long seed) {
    return new MixedBatches<>(
        human, List.of(), augmenter, encoder, batchSize, 0, stepsPerEpoch, false, seed);
  }

  /**
   * These batches with epochs of {@code steps} steps, for schedules whose length is given in steps
   * ({@link TrainingSchedule#steps()}): human and pseudo examples alike are then taken in order
   * from seeded passes over their lists, a pass ending wherever it ends, so a short pseudo list is
   * passed over many times an epoch and a long one less than once. The same batches as before when
   * {@code steps} equals {@link #stepsPerEpoch()}.
   *
   * @param steps the steps of an epoch, positive
   * @return batches with that epoch length
   */
  MixedBatches<T> withStepsPerEpoch(int steps) {
    if (steps == stepsPerEpoch) {
      return this;
    }
    return new MixedBatches<>(
        human, pseudo, augmenter, encoder, humanPerBatch, pseudoPerBatch, steps, true, seed);
  }

  /**
   * Classification batches: target distributions with label smoothing on human examples, and with
   * {@code pseudoMixup > 0} the pseudo examples of each batch mixed ({@link Mixup}), with {@code
   * pseudoCutMix > 0} then exchanging rectangles ({@link CutMix}).
   */
  static MixedBatches<ClassTarget> mixed(
      List<Example<ClassTarget>> human,
      List<Example<ClassTarget>> pseudo,
      Augmenter<ClassTarget> augmenter,
      int batchSize,
      int pseudoRatio,
      float labelSmoothing,
      double pseudoMixup,
      double pseudoCutMix,
      long seed) {
    Example<ClassTarget> first = human.get(0);
    BatchEncoder<ClassTarget> encoder =
        new ClassTargetEncoder(
            labelSmoothing, pseudoMixup, pseudoCutMix, first.image(), first.target().numClasses());
    return mixed(
        human, pseudo, augmenter, encoder, StudentBatch.of(batchSize, pseudoRatio, false), seed);
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
    List<T> targets = new ArrayList<>(n);
    long global = (long) epoch * stepsPerEpoch + step;
    for (int j = 0; j < humanPerBatch; j++) {
      long position = global * humanPerBatch + j;
      int index = humanOrder(position / human.size())[(int) (position % human.size())];
      targets.add(put(human.get(index), j, global, inputs));
    }
    int[] order = pseudoPerBatch == 0 || pseudoByPosition ? null : pseudoOrder(epoch);
    for (int j = 0; j < pseudoPerBatch; j++) {
      int index;
      if (pseudoByPosition) {
        long position = global * pseudoPerBatch + j;
        index = pseudoPass(position / pseudo.size())[(int) (position % pseudo.size())];
      } else {
        // The last batch of an epoch wraps around to the epoch's first examples to stay full.
        index = order[(step * pseudoPerBatch + j) % pseudo.size()];
      }
      targets.add(put(pseudo.get(index), humanPerBatch + j, global, inputs));
    }
    return new Batch(
        inputs,
        encoder.encode(inputs, targets, humanPerBatch, seed, global),
        humanPerBatch,
        pseudoPerBatch);
  }

  private T put(Example<T> example, int slot, long global, float[] inputs) {
    Example<T> augmented =
        augmenter.augment(example, new SplittableRandom(Seeds.mix(seed, global, slot)));
    augmented.image().copyChwTo(inputs, slot * imageSize);
    return augmented.target();
  }

  private int[] humanOrder(long pass) {
    if (humanOrders.size() > 64) {
      humanOrders.clear();
    }
    return humanOrders.computeIfAbsent(
        pass, p -> permutation(human.size(), Seeds.mix(seed, -1, p)));
  }

  private int[] pseudoOrder(int epoch) {
    if (pseudoOrders.size() > 4) {
      pseudoOrders.clear();
    }
    return pseudoOrders.computeIfAbsent(
        epoch, e -> permutation(pseudo.size(), Seeds.mix(seed, -2, e)));
  }

  private int[] pseudoPass(long pass) {
    if (pseudoPasses.size() > 64) {
      pseudoPasses.clear();
    }
    return pseudoPasses.computeIfAbsent(
        pass, p -> permutation(pseudo.size(), Seeds.mix(seed, -3, p)));
  }

  static int[] permutation(int n, long seed) {
    return RandomOrder.permutation(n, new SplittableRandom(seed));
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
