package io.selftrain.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.selftrain.ClassTarget;
import io.selftrain.Student;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seeded stress runs of the MBConv student with strong noise (stochastic depth 0.5, dropout 0.3), a
 * high learning rate, inputs of standard deviation 3 and batches of 2 (so batch norm sees 2 values
 * per channel at the 1x1 stride-32 stage): every step's loss and every gradient must be finite.
 */
class EfficientNetStabilityTest {

  @ParameterizedTest
  @CsvSource({"0, 2", "1, 2", "2, 2", "3, 8", "4, 8", "5, 8"})
  void training_seededNoisyRuns_keepGradientsFinite(int seed, int batch) {
    Engine.getEngine("PyTorch").setRandomSeed(seed);
    Student<ClassTarget> student =
        EfficientNet.student(EfficientNet.tiny28().withDropout(0.3f).withStochasticDepth(0.5f));
    try (Model model = Model.newInstance("t", "PyTorch")) {
      model.setBlock(student.newBlock());
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.l2Loss())
              .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.05f)).build());
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(batch, 1, 28, 28));
        for (int step = 0; step < 20; step++) {
          try (NDManager sub = trainer.getManager().newSubManager()) {
            NDArray x = sub.randomNormal(new Shape(batch, 1, 28, 28)).mul(3f);
            NDArray q =
                sub.randomInteger(0, 10, new Shape(batch), DataType.INT32)
                    .oneHot(10)
                    .toType(DataType.FLOAT32, false);
            float loss;
            try (GradientCollector gc = trainer.newGradientCollector()) {
              NDArray l = student.lossPerExample(trainer.forward(new NDList(x)), q).mean();
              loss = l.getFloat();
              gc.backward(l);
            }
            assertThat(loss).as("loss at step %s", step).isFinite();
            GradientGuard.checkFinite(model.getBlock(), step);
            trainer.step();
          }
        }
      }
    }
  }

  @Test
  void training_batchOfOneAtStride32_failsLoudly() {
    // tiny28 ends at 1x1: with one example, batch norm would normalize one value per channel.
    // PyTorch
    // refuses instead of producing NaN, so a batch of 1 cannot silently corrupt training.
    Student<ClassTarget> student = EfficientNet.student(EfficientNet.tiny28());
    try (Model model = Model.newInstance("t", "PyTorch")) {
      model.setBlock(student.newBlock());
      try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
        trainer.initialize(new Shape(1, 1, 28, 28));
        NDArray x = trainer.getManager().randomNormal(new Shape(1, 1, 28, 28));
        assertThatThrownBy(() -> trainer.forward(new NDList(x)))
            .hasMessageContaining("more than 1 value per channel");
      }
    }
  }
}
