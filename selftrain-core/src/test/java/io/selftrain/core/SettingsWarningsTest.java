package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selftrain.SelfTrainingListener;
import io.selftrain.Stage;
import io.selftrain.core.label.PseudoLabelConfig;
import io.selftrain.models.ConvNetConfig;
import io.selftrain.models.ConvNets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsWarningsTest {
  @TempDir Path tmp;

  @BeforeAll
  static void engines() {
    Engines.configure(1);
  }

  private static TrainingSchedule schedule(int epochs, int batch) {
    return TrainingSchedule.builder().epochs(epochs).batchSize(batch).build();
  }

  @Test
  void before_studentUnderAQuarterOfTheTeachersSteps_saysHowManyEpochs() {
    // Teacher: 160 epochs x ceil(500 / 32) = 16 steps = 2,560 steps. Student: 16 pseudo per batch
    // of 32 at ratio 1,
    // ceil(5,000 / 16) = 313 steps an epoch; 2 epochs = 626 < 640 (a quarter); 9 epochs reach the
    // teacher's steps.
    List<String> warnings = before(500, 5000, Optional.of(schedule(160, 32)), schedule(2, 32), 1);
    assertThat(warnings)
        .containsExactly(
            "studentSchedule epochs 2 give each student at most 626 steps, under a quarter of the teacher's 2560: a"
                + " student trained much shorter than its teacher usually ends below it; train it 9 epochs (as many"
                + " steps as the teacher)");
    // 3 epochs = 939 steps: a quarter or more, no warning.
    assertThat(before(500, 5000, Optional.of(schedule(160, 32)), schedule(3, 32), 1)).isEmpty();
  }

  @Test
  void before_scheduleInSteps_comparesItsSteps_andSaysHowMany() {
    // Teacher: 160 epochs x 16 steps = 2,560 steps; a student of 600 steps is under a quarter.
    assertThat(before(500, 5000, Optional.of(schedule(160, 32)), schedule(2, 32).withSteps(600), 1))
        .containsExactly(
            "studentSchedule steps 600 are under a quarter of the teacher's 2560: a student trained"
                + " much shorter than its teacher usually ends below it; train it 2560 steps (as"
                + " many as the teacher)");
    // 640 steps: a quarter, whatever the pool's size.
    assertThat(before(500, 50, Optional.of(schedule(160, 32)), schedule(2, 32).withSteps(640), 1))
        .hasSize(1)
        .allMatch(w -> w.startsWith("unlabeled pool has 50 images"));
    // A teacher in steps counts its steps, not its epochs' passes.
    assertThat(before(500, 5000, Optional.of(schedule(160, 32).withSteps(400)), schedule(1, 32), 1))
        .isEmpty();
  }

  @Test
  void before_shortSchedulesWithAFewWarmUpSteps_sayWhatToChange_andMinWarmupSilencesThem() {
    // The collapsed run of issue 15: teacher 10 epochs x ceil(500 / 64) = 80 steps, student
    // ceil(5,000 / 64) = 79 steps; 3% of either is 2 warm-up steps.
    List<String> warnings = before(500, 5000, Optional.of(schedule(10, 64)), schedule(1, 128), 1);
    assertThat(warnings)
        .containsExactly(
            "teacherSchedule warms up over 2 of its 80 steps: a fresh network at the full learning rate after so"
                + " few can stall (loss above chance) and a short schedule does not recover; set"
                + " minWarmupSteps(20) (--min-warmup 20), lower the learning rate, or train longer",
            "studentSchedule warms up over 2 of its 79 steps: a fresh network at the full learning rate after so"
                + " few can stall (loss above chance) and a short schedule does not recover; set"
                + " minWarmupSteps(20) (--min-warmup 20), lower the learning rate, or train longer");
    assertThat(
            before(
                500,
                5000,
                Optional.of(schedule(10, 64).withMinWarmupSteps(20)),
                schedule(1, 128).withMinWarmupSteps(20),
                1))
        .isEmpty();
  }

  @Test
  void warmupSteps_fractionOfTheSteps_atLeastTheFloor_atMostAQuarter() {
    TrainingSchedule plain = schedule(1, 32);
    assertThat(plain.warmupSteps(79)).isEqualTo(2);
    assertThat(plain.warmupSteps(2500)).isEqualTo(75);
    TrainingSchedule floored = plain.withMinWarmupSteps(20);
    assertThat(floored.warmupSteps(79)).isEqualTo(19);
    assertThat(floored.warmupSteps(200)).isEqualTo(20);
    assertThat(floored.warmupSteps(2500)).isEqualTo(75);
    assertThat(plain.describe()).doesNotContain("minWarmup");
    assertThat(floored.describe()).endsWith(" minWarmup=20");
  }

  @Test
  void before_givenTeacher_noStepComparison() {
    assertThat(before(500, 5000, Optional.empty(), schedule(1, 32), 1)).isEmpty();
  }

  @Test
  void before_poolSmallerThanLabeledSet_warnsWithBothSizes() {
    assertThat(before(1000, 999, Optional.empty(), schedule(4, 128), 1))
        .containsExactly(
            "unlabeled pool has 999 images, fewer than the 1000 labeled examples: self-training gains come from a pool"
                + " larger than the labeled set; add unlabeled images");
    assertThat(before(1000, 1000, Optional.empty(), schedule(4, 128), 1)).isEmpty();
  }

  @Test
  void afterLabeling_underFivePercentKept_warns_atFivePercentNot() {
    assertThat(SettingsWarnings.afterLabeling(2, summary(5000, 249)))
        .contains(
            "round 2 pseudo labels keep 249 of 5000 pool images (5.0%): the student learns almost nothing from the"
                + " pool; lower the pseudo-label threshold (or the minimum confidence / labeled fraction)");
    assertThat(SettingsWarnings.afterLabeling(2, summary(5000, 250))).isEmpty();
    assertThat(SettingsWarnings.afterLabeling(1, summary(0, 0))).isEmpty();
  }

  @Test
  void fit_warnsListenersBeforeTheTeacherTrains() {
    List<String> warnings = new ArrayList<>();
    SelfTrainingListener recorder =
        new SelfTrainingListener() {
          @Override
          public void onWarning(String message) {
            warnings.add(message);
          }

          @Override
          public void onStage(int round, Stage stage, boolean resumed) {
            throw new IllegalStateException("stop before training");
          }
        };
    ClassificationRun run =
        SelfTraining.classification()
            .labeled(TinyData.labeled())
            .unlabeled(TinyData.unlabeled().subList(0, 60))
            .validation(TinyData.validation().subList(0, 10))
            .teacher(ConvNets.student(ConvNetConfig.builder().width(4).hidden(8).build()))
            .pseudoLabels(PseudoLabelConfig.soft())
            .teacherSchedule(schedule(40, 32)) // 40 x ceil(100 / 32) = 160 steps
            .studentSchedule(
                schedule(1, 32)) // 16 pseudo per batch at ratio 1: ceil(60 / 16) = 4 steps
            .pseudoRatio(1)
            .workDir(tmp)
            .addListener(recorder)
            .build();
    try (run) {
      assertThatThrownBy(run::fit).hasMessageContaining("stop before training");
    }
    assertThat(warnings)
        .containsExactly(
            "unlabeled pool has 60 images, fewer than the 100 labeled examples: self-training gains come from a pool"
                + " larger than the labeled set; add unlabeled images",
            "studentSchedule epochs 1 give each student at most 4 steps, under a quarter of the teacher's 160: a"
                + " student trained much shorter than its teacher usually ends below it; train it 40 epochs (as many"
                + " steps as the teacher)",
            // 4 steps of 16 human examples: 64 of the 100 labels; 100 passes take 625 steps, 157
            // epochs of 4.
            "studentSchedule passes over the 100 labeled examples 0 times (4 steps of 16 human"
                + " examples), under 100: a student that under-fits its human labels ends at its"
                + " supervised control (4,000 Fashion-MNIST labels: 51 passes +0.0, 102 passes +0.7);"
                + " train it 157 epochs (ClassificationRecipe.forSizes)");
  }

  @Test
  void fewHumanPasses_theMeasuredFourThousandLabelRun_saysHowManyEpochs() {
    // ceil(51,000 / 64) = 797 steps an epoch; 4 epochs = 3,188 steps x 64 human / 4,000 = 51
    // passes; 100 passes take 6,250 steps, 8 epochs.
    assertThat(fewHumanPasses(4000, 51000, schedule(4, 128), 1))
        .contains(
            "studentSchedule passes over the 4000 labeled examples 51 times (3188 steps of 64 human"
                + " examples), under 100: a student that under-fits its human labels ends at its"
                + " supervised control (4,000 Fashion-MNIST labels: 51 passes +0.0, 102 passes +0.7);"
                + " train it 8 epochs (ClassificationRecipe.forSizes)");
    assertThat(fewHumanPasses(4000, 51000, schedule(8, 128), 1)).isEmpty();
    assertThat(fewHumanPasses(1000, 59000, schedule(4, 128), 1)).isEmpty();
    assertThat(fewHumanPasses(4000, 51000, schedule(4, 128).withSteps(3000), 1))
        .hasValueSatisfying(
            w -> assertThat(w).endsWith("train it 6250 steps (ClassificationRecipe.forSizes)"));
    // The recipe never warns about itself.
    for (int labeled : new int[] {100, 250, 1000, 4000, 20000}) {
      ClassificationRecipe recipe = ClassificationRecipe.forSizes(labeled, 50000);
      assertThat(fewHumanPasses(labeled, 50000, recipe.studentSchedule(), recipe.pseudoRatio()))
          .as("labeled %d", labeled)
          .isEmpty();
    }
  }

  /** The split layout of {@code schedule}'s batches at {@code pseudoRatio}. */
  private static List<String> before(
      int labeled,
      int unlabeled,
      Optional<TrainingSchedule> teacher,
      TrainingSchedule student,
      int pseudoRatio) {
    return SettingsWarnings.before(
        labeled,
        unlabeled,
        teacher,
        student,
        StudentBatch.of(student.batchSize(), pseudoRatio, false));
  }

  private static Optional<String> fewHumanPasses(
      int labeled, int unlabeled, TrainingSchedule student, int pseudoRatio) {
    return SettingsWarnings.fewHumanPasses(
        labeled, unlabeled, student, StudentBatch.of(student.batchSize(), pseudoRatio, false));
  }

  private static PseudoSummary summary(int pool, int kept) {
    return new PseudoSummary() {
      @Override
      public int pool() {
        return pool;
      }

      @Override
      public int kept() {
        return kept;
      }

      @Override
      public double meanConfidence() {
        return 0.9;
      }

      @Override
      public Map<String, Object> asMap() {
        return Map.of();
      }
    };
  }
}
