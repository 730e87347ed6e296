package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selftrain.augment.Augmenters;
import io.selftrain.augment.FlipCropConfig;
import io.selftrain.core.label.PseudoLabelConfig;
import io.selftrain.core.loss.LossNormalization;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassificationRecipeTest {
  @TempDir Path tmp;

  /** Student steps of one epoch over {@code pool} pseudo labels, 64 of them per batch of 128. */
  private static long passSteps(int pool) {
    return (pool + 63) / 64;
  }

  @Test
  void forSizes_theMeasuredPoints() {
    // 1,000 labels, the rest of Fashion-MNIST's training set: the fixed recipe measured before.
    ClassificationRecipe thousand = ClassificationRecipe.forSizes(1000, 59000);
    assertThat(thousand.teacherSchedule().epochs()).isEqualTo(100);
    assertThat(thousand.teacherSchedule().batchSize()).isEqualTo(64);
    assertThat(thousand.studentSchedule().epochs()).isEqualTo(4);
    assertThat(thousand.studentSchedule().batchSize()).isEqualTo(128);
    // 250 labels: 4 teacher steps per epoch, so 400 epochs make the 1,600-step floor.
    assertThat(ClassificationRecipe.forSizes(250, 54750).teacherSchedule().epochs()).isEqualTo(400);
    assertThat(ClassificationRecipe.forSizes(250, 54750).studentSchedule().epochs()).isEqualTo(4);
    // 4,000 labels: 100 passes over them are 6,250 student steps, 8 epochs of a 56,000 pool.
    assertThat(ClassificationRecipe.forSizes(4000, 56000).teacherSchedule().epochs())
        .isEqualTo(100);
    assertThat(ClassificationRecipe.forSizes(4000, 56000).studentSchedule().epochs()).isEqualTo(8);
    assertThat(ClassificationRecipe.forSizes(4000, 51000).studentSchedule().epochs()).isEqualTo(8);
    // MNIST's 7,996 training images: a small pool, so the step floor decides.
    assertThat(ClassificationRecipe.forSizes(100, 7896).teacherSchedule().epochs()).isEqualTo(800);
    assertThat(ClassificationRecipe.forSizes(100, 7896).studentSchedule().epochs()).isEqualTo(13);
    assertThat(ClassificationRecipe.forSizes(1000, 6996).studentSchedule().epochs()).isEqualTo(15);
  }

  @Test
  void studentEpochs_fewestThatMeetEveryFloor() {
    for (int labeled : new int[] {1, 40, 250, 999, 1000, 4000, 12345, 50000}) {
      for (int pool : new int[] {1, 500, 6996, 51000, 59000, 300000}) {
        int epochs = ClassificationRecipe.studentEpochs(labeled, pool);
        long steps = epochs * passSteps(pool);
        assertThat(steps * 64).as("%d / %d", labeled, pool).isGreaterThanOrEqualTo(100L * labeled);
        assertThat(steps).isGreaterThanOrEqualTo(1600);
        assertThat(epochs).isGreaterThanOrEqualTo(4);
        if (epochs > 4) {
          long fewer = (epochs - 1) * passSteps(pool);
          assertThat(fewer * 64 >= 100L * labeled && fewer >= 1600)
              .as("%d epochs would do for %d / %d", epochs - 1, labeled, pool)
              .isFalse();
        }
      }
    }
  }

  @Test
  void teacherEpochs_fewestThatMeetTheStepFloor() {
    for (int labeled = 1; labeled <= 20000; labeled += 37) {
      int epochs = ClassificationRecipe.teacherEpochs(labeled);
      long pass = (labeled + 63) / 64;
      assertThat(epochs * pass).as("labeled %d", labeled).isGreaterThanOrEqualTo(1600);
      assertThat(epochs == 100 || (epochs - 1) * pass < 1600).as("labeled %d", labeled).isTrue();
    }
  }

  @Test
  void forSizes_nonPositiveSize_namesIt() {
    assertThatThrownBy(() -> ClassificationRecipe.forSizes(0, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("labeled must be positive: 0");
    assertThatThrownBy(() -> ClassificationRecipe.forSizes(100, -3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unlabeled must be positive: -3");
  }

  @Test
  void recipe_setsTheRunsSettings_laterCallsReplaceThem() throws Exception {
    Engines.configure(1);
    ClassificationRecipe recipe = ClassificationRecipe.forSizes(100, 400);
    assertThat(recipe.pseudoLabels()).isEqualTo(PseudoLabelConfig.soft());
    assertThat(recipe.lossNormalization()).isEqualTo(LossNormalization.batchRatio());
    SelfTrainingResult result;
    try (ClassificationRun run =
        SelfTraining.classification()
            .labeled(TinyData.labeled())
            .unlabeled(TinyData.unlabeled())
            .validation(TinyData.validation())
            .recipe(recipe)
            .augment(Augmenters.flipCrop(FlipCropConfig.builder().build()))
            .teacherSchedule(TrainingSchedule.builder().epochs(1).batchSize(32).build())
            .studentSchedule(TrainingSchedule.builder().epochs(1).batchSize(32).build())
            .seed(3)
            .workDir(tmp.resolve("run"))
            .build()) {
      result = run.fit();
    }
    assertThat(result.settings())
        .containsEntry("teacher", "cnn28-w32-drop0.30-sd0.00")
        .containsEntry("student", "cnn28-w40-drop0.30-sd0.20")
        .containsEntry("pseudoLabels", "soft(T=1.0) min=0.00")
        .containsEntry("lossNormalization", "batch-ratio")
        .containsEntry("pseudoRatio", "1")
        .containsEntry("pseudoMixup", "4.0");
    assertThat(result.settings().get("teacherSchedule")).startsWith("epochs=1 batch=32 ");
    assertThat(result.settings().get("studentSchedule")).startsWith("epochs=1 batch=32 ");
  }
}
