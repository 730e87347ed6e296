package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import io.selftrain.ClassTarget;
import io.selftrain.EpochReport;
import io.selftrain.SelfTrainingListener;
import io.selftrain.Stage;
import io.selftrain.Student;
import io.selftrain.augment.Augmenters;
import io.selftrain.augment.FlipCropConfig;
import io.selftrain.core.loss.LossNormalization;
import io.selftrain.models.ConvNetConfig;
import io.selftrain.models.ConvNets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StageTrainerTest {
  @BeforeAll
  static void engines() {
    Engines.configure(1);
  }

  @Test
  void train_nativeArraysDoNotGrowAcrossEpochs() {
    Student<ClassTarget> student =
        ConvNets.student(
            ConvNetConfig.builder().width(4).hidden(8).dropout(0.2f).stochasticDepth(0.2f).build());
    Engine engine = Engines.loadForTraining(Engines.PYTORCH);
    List<Integer> arrays = new ArrayList<>();
    try (TrainedModel<ClassTarget> model =
        TrainedModel.create(student, Engines.PYTORCH, engine.defaultDevice())) {
      SelfTrainingListener counter =
          new SelfTrainingListener() {
            @Override
            public void onEpoch(EpochReport report) {
              arrays.add(model.model().getNDManager().getManagedArrays().size());
            }
          };
      MixedBatches<ClassTarget> batches =
          MixedBatches.mixed(
              TinyData.labeled(),
              TinyData.labeled(),
              Augmenters.flipCrop(FlipCropConfig.builder().build()),
              16,
              1,
              0f,
              0,
              0,
              3L);
      new StageTrainer(counter)
          .train(
              model,
              batches,
              TrainingSchedule.builder().epochs(4).batchSize(16).build(),
              LossNormalization.paper(1),
              1,
              Stage.STUDENT_TRAINING);
    }
    assertThat(arrays).hasSize(4);
    assertThat(arrays.get(0)).as("arrays owned by the model and its trainer").isGreaterThan(20);
    // After the first epoch (optimizer state allocated), every step frees what it made.
    assertThat(arrays.subList(1, 4)).containsOnly(arrays.get(1));
  }
}
