package io.selftrain.core;

import com.google.common.hash.Hasher;
import com.google.gson.JsonObject;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Metrics;
import io.selftrain.Prediction;
import io.selftrain.PseudoLabel;
import io.selftrain.Student;
import io.selftrain.Target;
import io.selftrain.Teacher;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Everything a {@link SelfTrainingRun} does differently per task, and nothing else: how predictions
 * become pseudo labels (rules, statistics, file format), how targets are batched for the student's
 * loss (with the task's own batch noise), how a model is scored, and which settings key the stages.
 * The round loop, the work directory, resume, the control, seeds and loss normalization are the
 * run's and exist once.
 *
 * @param <T> the target type
 */
interface TaskSupport<T extends Target> {
  /**
   * A model's score on the validation set, and any files the task wrote beside it in the work
   * directory.
   */
  record Evaluation(Metrics metrics, List<String> files) {}

  /** The selected pseudo labels of one pass and their statistics. */
  record Labeled<T extends Target>(List<PseudoLabel<T>> labels, PseudoSummary summary) {}

  /**
   * @return the task's name in results: "classification", "detection"
   */
  String task();

  /**
   * @return a tag entering every stage digest, or null for none (classification: the keys of work
   *     directories written before other tasks existed stay valid)
   */
  String digestTag();

  /**
   * @return the number of classes of the targets (background included where the task has one)
   */
  int numClasses();

  /**
   * @return the metric names a stage records, the primary first
   */
  List<String> metricNames();

  /**
   * Scores a model on the validation set.
   *
   * @param model the un-noised model
   * @param validation the validation examples
   * @param dir the work directory, for files of the evaluation (such as detections)
   * @param stageKey the stage evaluated, to name those files
   * @return the metrics and the files written, relative to {@code dir}
   * @throws IOException if a file cannot be written
   */
  Evaluation evaluate(
      Teacher<T> model, List<Example<T>> validation, WorkDirectory dir, String stageKey)
      throws IOException;

  /**
   * @return what, beyond the validation examples, decides a model's score (for detection the ground
   *     truth's ids and letterboxes); empty when nothing does
   */
  String evaluationKey();

  /**
   * @return the labeling rules, entering the pseudo-label stage's digest
   */
  List<Object> pseudoRules();

  /**
   * @return the student-only settings that are on (pseudo-only noise, segmentation's prior
   *     correction), each entering the students' digests and never the control's
   */
  List<String> pseudoOnlyNoise();

  /**
   * @return images per {@link Teacher#predict} call while the pool is labeled: large for small
   *     classification inputs, small for detection and segmentation, whose outputs are large
   */
  int inferenceBatch();

  /**
   * The un-noised teacher's predictions of some pool images: the expensive, embarrassingly parallel
   * half of pseudo-labeling, run shard by shard (in this process or on a cluster).
   *
   * @param teacher the teacher
   * @param images at most {@link #inferenceBatch()} pool images
   * @return one prediction per image, in order
   */
  List<Prediction<T>> predict(Teacher<T> teacher, List<Image> images);

  /**
   * @return what besides the teacher decides its predictions (classification: averaging with the
   *     mirror image), entering the digest of every prediction shard
   */
  String predictionKey();

  /**
   * @return how predictions are stored in shards: everything selection reads (segmentation: each
   *     pixel's confidence too)
   */
  TargetCodec<T> predictionCodec();

  /**
   * Selects the pseudo labels from the teacher's predictions of the whole pool: the cheap half,
   * once per round (classification balances classes over the whole pool).
   *
   * @param predictions one per pool image, the position being the pool index; null for an image
   *     that could not be read and was skipped
   * @param rng the stage's generator (class balancing draws from it)
   * @return the selected labels and their statistics
   */
  Labeled<T> select(List<Prediction<T>> predictions, SplittableRandom rng);

  /**
   * Writes the kept pseudo labels in a form a user opens (segmentation: one PNG mask per image),
   * beside the stage's pseudo-label file; the run digests them with the stage. Default: none.
   *
   * @param dir the work directory
   * @param stageKey the pseudo-label stage, to name the files
   * @param labels the kept labels
   * @return the files written, relative to {@code dir}
   * @throws IOException if a file cannot be written
   */
  default List<String> writeLabelFiles(
      WorkDirectory dir, String stageKey, List<PseudoLabel<T>> labels) throws IOException {
    return List.of();
  }

  /**
   * @return how targets are stored
   */
  TargetCodec<T> codec();

  /**
   * Statistics read back from the work directory's record of a pseudo-label stage.
   *
   * @param stored what {@link PseudoSummary#asMap()} wrote
   * @return the statistics
   */
  PseudoSummary summaryFrom(JsonObject stored);

  /**
   * The batch encoding of one training stage.
   *
   * @param student the model trained
   * @param schedule its schedule (label smoothing)
   * @param pseudoNoise whether the task's pseudo-only batch noise applies (students, not the
   *     control)
   * @param human the stage's human examples (shapes, class priors)
   * @param pseudo the stage's pseudo examples (none for supervised stages)
   * @return the encoder
   */
  BatchEncoder<T> encoder(
      Student<T> student,
      TrainingSchedule schedule,
      boolean pseudoNoise,
      List<Example<T>> human,
      List<Example<T>> pseudo);

  /**
   * Adds one human target to the data fingerprint, so a work directory is never resumed on other
   * labels.
   *
   * @param hasher the fingerprint
   * @param target the target
   */
  void fingerprint(Hasher hasher, T target);

  /**
   * The task's own warnings about a run's settings, before it trains, after {@link
   * SettingsWarnings#before}'s. Default: none.
   *
   * @param config the settings
   * @return one line each, saying what to change
   */
  default List<String> warningsBefore(RunConfig<T> config) {
    return List.of();
  }

  /**
   * The task's own checks of a snapshot (classes, teacher outputs), after the run's own.
   *
   * @param config the settings
   * @throws IllegalArgumentException naming the setting and the bad value
   */
  void check(RunConfig<T> config);

  /**
   * @return the task's own settings for the result's provenance, by name
   */
  Map<String, String> settings();
}
