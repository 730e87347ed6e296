package io.selftrain.core;

import com.google.common.math.LongMath;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Settings that usually defeat self-training, found before a run trains, and pseudo labels that
 * keep almost nothing, found before a student trains: one line each, saying what to change
 * (delivered through {@link io.selftrain.SelfTrainingListener#onWarning}). Warnings, not errors:
 * each can be right for a user who means it.
 *
 * <p>The rules follow the papers' setups. Noisy Student (Xie et al. 2020) trains its student at
 * least as long as its teacher on a pool far larger than the labeled set; Zoph et al. 2020
 * self-train COCO (118k images) with 1.2M ImageNet or 300M JFT images. A student trained much
 * shorter than its teacher ends below it, and a pool smaller than the labeled set adds little the
 * teacher has not seen.
 */
final class SettingsWarnings {
  /** Below this fraction of the teacher's optimizer steps, a student is warned about. */
  static final double SHORT_STUDENT = 0.25;

  /**
   * Below this fraction of the pool kept as pseudo labels, the pseudo-label rule is warned about.
   */
  static final double FEW_KEPT = 0.05;

  /** Below this many warm-up steps, a schedule is warned about. */
  static final int SHORT_WARMUP = 5;

  /** The warm-up floor such a warning suggests (measured: it rescued the collapsed run). */
  static final int SUGGESTED_WARMUP = 20;

  private SettingsWarnings() {}

  /**
   * The warnings about a run's settings, before it trains.
   *
   * @param labeled labeled examples
   * @param unlabeled images in the unlabeled pool
   * @param teacherSchedule the first teacher's schedule, or empty when the teacher is given (not
   *     trained)
   * @param studentSchedule every student's schedule
   * @param studentBatch how its batches divide into human and pseudo examples
   */
  static List<String> before(
      int labeled,
      int unlabeled,
      Optional<TrainingSchedule> teacherSchedule,
      TrainingSchedule studentSchedule,
      StudentBatch studentBatch) {
    List<String> warnings = new ArrayList<>();
    if (unlabeled < labeled) {
      warnings.add(
          String.format(
              Locale.ROOT,
              "unlabeled pool has %d images, fewer than the %d labeled examples: self-training gains come from a pool"
                  + " larger than the labeled set; add unlabeled images",
              unlabeled,
              labeled));
    }
    if (teacherSchedule.isPresent() && unlabeled > 0) {
      TrainingSchedule teacher = teacherSchedule.get();
      long teacherSteps =
          (long) teacher.epochs()
              * teacher.stepsPerEpoch(
                  (int) LongMath.divide(labeled, teacher.batchSize(), RoundingMode.CEILING));
      // Every pool image kept: the most steps a student can get; a pseudo-label rule that drops
      // images gives fewer.
      int stepsPerEpoch = studentBatch.stepsPerPass(unlabeled);
      long studentSteps =
          (long) studentSchedule.epochs() * studentSchedule.stepsPerEpoch(stepsPerEpoch);
      if (studentSchedule.steps().isPresent() && studentSteps < SHORT_STUDENT * teacherSteps) {
        warnings.add(
            String.format(
                Locale.ROOT,
                "studentSchedule steps %d are under a quarter of the teacher's %d: a student trained"
                    + " much shorter than its teacher usually ends below it; train it %d steps (as"
                    + " many as the teacher)",
                studentSteps,
                teacherSteps,
                teacherSteps));
      } else if (studentSteps < SHORT_STUDENT * teacherSteps) {
        long epochsNeeded = LongMath.divide(teacherSteps, stepsPerEpoch, RoundingMode.CEILING);
        warnings.add(
            String.format(
                Locale.ROOT,
                "studentSchedule epochs %d give each student at most %d steps, under a quarter of the teacher's %d:"
                    + " a student trained much shorter than its teacher usually ends below it; train it %d epochs"
                    + " (as many steps as the teacher)",
                studentSchedule.epochs(),
                studentSteps,
                teacherSteps,
                epochsNeeded));
      }
      steepWarmup("teacherSchedule", teacherSchedule.get(), teacherSteps).ifPresent(warnings::add);
      steepWarmup("studentSchedule", studentSchedule, studentSteps).ifPresent(warnings::add);
    }
    return warnings;
  }

  /**
   * The warning about a classification student that passes over its labeled set fewer than {@link
   * ClassificationRecipe#HUMAN_PASSES} times, the human half of its batches counted, every pool
   * image kept (measured: at 4,000 Fashion-MNIST labels a student of 51 passes ended at its
   * supervised control, one of 102 passes 0.7 points above it; README, "Recipes across data
   * sizes").
   *
   * @param labeled labeled examples
   * @param unlabeled images in the unlabeled pool
   * @param studentSchedule every student's schedule
   * @param studentBatch how its batches divide into human and pseudo examples
   * @return the warning, if any
   */
  static Optional<String> fewHumanPasses(
      int labeled, int unlabeled, TrainingSchedule studentSchedule, StudentBatch studentBatch) {
    if (labeled == 0 || unlabeled == 0) {
      return Optional.empty();
    }
    int passSteps = studentBatch.stepsPerPass(unlabeled);
    long steps = (long) studentSchedule.epochs() * studentSchedule.stepsPerEpoch(passSteps);
    int human = studentBatch.human();
    long passes = steps * human / labeled;
    if (passes >= ClassificationRecipe.HUMAN_PASSES) {
      return Optional.empty();
    }
    long neededSteps = studentBatch.stepsForHumanPasses(ClassificationRecipe.HUMAN_PASSES, labeled);
    String remedy =
        studentSchedule.steps().isPresent()
            ? neededSteps + " steps"
            : LongMath.divide(neededSteps, passSteps, RoundingMode.CEILING) + " epochs";
    return Optional.of(
        String.format(
            Locale.ROOT,
            "studentSchedule passes over the %d labeled examples %d times (%d steps of %d human"
                + " examples), under %d: a student that under-fits its human labels ends at its"
                + " supervised control (4,000 Fashion-MNIST labels: 51 passes +0.0, 102 passes +0.7);"
                + " train it %s (ClassificationRecipe.forSizes)",
            labeled,
            passes,
            steps,
            human,
            ClassificationRecipe.HUMAN_PASSES,
            remedy));
  }

  /**
   * A warm-up of a few steps: a fresh network takes the full learning rate almost at once, and a
   * short schedule has no steps left to recover (a 79-step student's human loss stayed above chance
   * and it ended at 39% under its 73% teacher; with 20 warm-up steps it reached 74%).
   */
  private static Optional<String> steepWarmup(String name, TrainingSchedule schedule, long steps) {
    int warmup = schedule.warmupSteps((int) Math.min(Integer.MAX_VALUE, steps));
    // Under 20 steps a schedule is a smoke test: the remedy is training longer, said elsewhere.
    if (warmup >= SHORT_WARMUP || steps < 4 * SHORT_WARMUP) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "%s warms up over %d of its %d steps: a fresh network at the full learning rate after so few"
                + " can stall (loss above chance) and a short schedule does not recover; set"
                + " minWarmupSteps(%d) (--min-warmup %d), lower the learning rate, or train longer",
            name,
            warmup,
            steps,
            SUGGESTED_WARMUP,
            SUGGESTED_WARMUP));
  }

  /**
   * The warning about one round's pseudo labels, before its student trains, if they keep almost
   * nothing.
   *
   * @param round the round
   * @param summary what the pseudo-labeling pass kept
   */
  static Optional<String> afterLabeling(int round, PseudoSummary summary) {
    if (summary.pool() == 0 || summary.kept() >= FEW_KEPT * summary.pool()) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "round %d pseudo labels keep %d of %d pool images (%.1f%%): the student learns almost nothing from the"
                + " pool; lower the pseudo-label threshold (or the minimum confidence / labeled fraction)",
            round,
            summary.kept(),
            summary.pool(),
            100.0 * summary.kept() / summary.pool()));
  }
}
