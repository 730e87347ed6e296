package io.selftrain.core;

import static com.google.common.base.Preconditions.checkState;

import org.immutables.value.Value;

/**
 * How one model trains: epochs, batch size and an AdamW optimiser whose learning rate follows a
 * cosine decay to 1% over all steps after a linear warm-up. NOTE: the paper's detection and
 * segmentation runs use SGD with momentum on TPUs; AdamW converges faster in the short CPU
 * schedules this SDK runs by default.
 *
 * <p>For a student, an epoch is one pass over the selected pseudo labels (each batch carries {@code
 * pseudoRatio} pseudo examples per human example, as Noisy Student's {@code unlabel_ratio}).
 *
 * <p>With {@link #steps()} set, the schedule's length is a number of optimizer steps whatever the
 * data's size (the paper's detection and segmentation schedules are given in steps, e.g. 20,000 for
 * PASCAL): a student then trains as long when its teacher keeps few pseudo labels as when it keeps
 * many, and the supervised control takes the same steps. The epochs split those steps into equal
 * parts (the unit of logging, of the control's curve, of the learning-rate report).
 */
@Value.Immutable
public interface TrainingSchedule {
  /**
   * @return passes over the data, at least 1
   */
  int epochs();

  /**
   * @return the optimizer steps of the whole schedule, at least {@link #epochs()}, or empty
   *     (default) for whole passes over the data; each epoch is then {@code ceil(steps / epochs)}
   *     steps (the steps rounded up to a multiple of the epochs)
   */
  java.util.OptionalInt steps();

  /**
   * The steps of one epoch of this schedule.
   *
   * @param passSteps the steps of one pass over the stage's data (over its pseudo labels for a
   *     student)
   * @return {@code passSteps}, or with {@link #steps()} set, {@code ceil(steps / epochs)}
   */
  default int stepsPerEpoch(int passSteps) {
    return steps().isPresent() ? (steps().getAsInt() + epochs() - 1) / epochs() : passSteps;
  }

  /**
   * @return examples per step, at least 2
   */
  @Value.Default
  default int batchSize() {
    return 128;
  }

  /**
   * @return peak learning rate, positive
   */
  @Value.Default
  default float learningRate() {
    return 2e-3f;
  }

  /**
   * @return decoupled weight decay of AdamW, non-negative
   */
  @Value.Default
  default float weightDecay() {
    return 1e-4f;
  }

  /**
   * @return fraction of the steps spent in linear warm-up, in [0, 0.5]
   */
  @Value.Default
  default float warmupFraction() {
    return 0.03f;
  }

  /**
   * @return the fewest warm-up steps, however short the schedule (never more than a quarter of its
   *     steps); default 0: {@link #warmupFraction()} alone. A short schedule's 3% is one or two
   *     steps, after which a fresh network takes the full learning rate and can stall
   */
  @Value.Default
  default int minWarmupSteps() {
    return 0;
  }

  /**
   * The warm-up of a stage of {@code totalSteps} steps: {@link #warmupFraction()} of them, at least
   * {@link #minWarmupSteps()} but at most a quarter of them.
   *
   * @param totalSteps the stage's optimizer steps
   * @return the warm-up steps
   */
  default int warmupSteps(int totalSteps) {
    return Math.max(
        Math.round(totalSteps * warmupFraction()), Math.min(minWarmupSteps(), totalSteps / 4));
  }

  /**
   * @return label smoothing applied to human labels, in [0, 1) (Noisy Student uses 0.1; {@code
   *     main.py} of google-research/noisystudent)
   */
  @Value.Default
  default float labelSmoothing() {
    return 0f;
  }

  /** Checks ranges. */
  @Value.Check
  default void check() {
    checkState(epochs() >= 1, "epochs must be at least 1: %s", epochs());
    steps()
        .ifPresent(
            steps ->
                checkState(
                    steps >= epochs(), "steps must be at least epochs (%s): %s", epochs(), steps));
    checkState(batchSize() >= 2, "batchSize must be at least 2: %s", batchSize());
    checkState(
        learningRate() > 0 && Float.isFinite(learningRate()),
        "learningRate must be positive: %s",
        learningRate());
    checkState(weightDecay() >= 0, "weightDecay must be non-negative: %s", weightDecay());
    checkState(
        warmupFraction() >= 0 && warmupFraction() <= 0.5f,
        "warmupFraction must be in [0, 0.5]: %s",
        warmupFraction());
    checkState(minWarmupSteps() >= 0, "minWarmupSteps must be non-negative: %s", minWarmupSteps());
    checkState(
        labelSmoothing() >= 0 && labelSmoothing() < 1,
        "labelSmoothing must be in [0, 1): %s",
        labelSmoothing());
  }

  /**
   * @return a description for reports and fingerprints
   */
  default String describe() {
    return String.format(
            java.util.Locale.ROOT,
            "epochs=%d batch=%d lr=%s wd=%s warmup=%s smoothing=%s",
            epochs(),
            batchSize(),
            learningRate(),
            weightDecay(),
            warmupFraction(),
            labelSmoothing())
        // Absent at its default, so schedules described before it existed keep their digests.
        + (minWarmupSteps() > 0 ? " minWarmup=" + minWarmupSteps() : "")
        + (steps().isPresent() ? " steps=" + steps().getAsInt() : "");
  }

  /**
   * A schedule with defaults and this many epochs.
   *
   * @param epochs passes over the data
   * @return the schedule
   */
  static TrainingSchedule epochs(int epochs) {
    return ImmutableTrainingSchedule.builder().epochs(epochs).build();
  }

  /**
   * @return a builder
   */
  static ImmutableTrainingSchedule.Builder builder() {
    return ImmutableTrainingSchedule.builder();
  }

  /**
   * @param value epochs
   * @return a copy with other epochs
   */
  TrainingSchedule withEpochs(int value);

  /**
   * @param value batch size
   * @return a copy with another batch size
   */
  TrainingSchedule withBatchSize(int value);

  /**
   * @param value learning rate
   * @return a copy with another learning rate
   */
  TrainingSchedule withLearningRate(float value);

  /**
   * @param value the schedule's optimizer steps, at least its epochs
   * @return a copy of that length in steps, whatever the data's size
   */
  TrainingSchedule withSteps(int value);

  /**
   * @param value the fewest warm-up steps
   * @return a copy with that floor
   */
  TrainingSchedule withMinWarmupSteps(int value);
}
