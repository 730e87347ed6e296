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

  private SettingsWarnings() {}

  /**
   * The warnings about a run's settings, before it trains.
   *
   * @param labeled labeled examples
   * @param unlabeled images in the unlabeled pool
   * @param teacherSchedule the first teacher's schedule, or empty when the teacher is given (not
   *     trained)
   * @param studentSchedule every student's schedule
   * @param pseudoRatio pseudo examples per human example in a student batch
   */
  static List<String> before(
      int labeled,
      int unlabeled,
      Optional<TrainingSchedule> teacherSchedule,
      TrainingSchedule studentSchedule,
      int pseudoRatio) {
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
      long teacherSteps =
          (long) teacherSchedule.get().epochs()
              * LongMath.divide(labeled, teacherSchedule.get().batchSize(), RoundingMode.CEILING);
      // Every pool image kept: the most steps a student can get; a pseudo-label rule that drops
      // images gives fewer.
      int stepsPerEpoch =
          MixedBatches.mixedStepsPerEpoch(unlabeled, studentSchedule.batchSize(), pseudoRatio);
      long studentSteps = (long) studentSchedule.epochs() * stepsPerEpoch;
      if (studentSteps < SHORT_STUDENT * teacherSteps) {
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
    }
    return warnings;
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
