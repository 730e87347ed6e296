package io.selftrain.models.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.selftrain.BoxesTarget;
import io.selftrain.Image;
import io.selftrain.Prediction;
import io.selftrain.Student;
import io.selftrain.Teacher;
import io.selftrain.models.GradientGuard;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetinaNetTrainingTest {
  private static final int BATCH = 4;
  private static final int STEPS = 20;

  @Test
  void student_tiny64_trainingStepsReduceLossWithoutNaN_thenTeacherDetects() {
    Engine.getEngine("PyTorch").setRandomSeed(7);
    RetinaNetConfig config = RetinaNet.tiny64();
    Student<BoxesTarget> student = RetinaNet.student(config);
    assertThat(student.name()).isEqualTo("retinanet-tiny64");
    assertThat(student.inputShape()).isEqualTo(new Shape(3, 64, 64));
    List<Image> images = new ArrayList<>();
    List<BoxesTarget> targets = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      // one wide bright rectangle (class 0) and, on odd images, a tall one (class 1), on a dark
      // background
      int x = 4 + 6 * i;
      float[] boxes =
          i % 2 == 0
              ? new float[] {x, 8, x + 28, 22}
              : new float[] {x, 8, x + 28, 22, 44, 30, 58, 60};
      int[] classes = i % 2 == 0 ? new int[] {0} : new int[] {0, 1};
      images.add(rectangles(boxes));
      targets.add(BoxesTarget.of(boxes, classes));
    }
    float[] pixels = new float[BATCH * 3 * 64 * 64];
    for (int i = 0; i < BATCH; i++) {
      images.get(i).copyChwTo(pixels, i * 3 * 64 * 64);
    }
    float[] losses = new float[STEPS];
    Model model = Model.newInstance("retinanet", "PyTorch");
    model.setBlock(student.newBlock());
    try (Teacher<BoxesTarget> teacher = RetinaNet.teacher(config, model)) {
      DefaultTrainingConfig training =
          new DefaultTrainingConfig(Loss.l2Loss())
              .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.005f)).build());
      try (Trainer trainer = model.newTrainer(training)) {
        trainer.initialize(new Shape(BATCH, 3, 64, 64));
        NDManager manager = trainer.getManager();
        NDArray x = manager.create(pixels, new Shape(BATCH, 3, 64, 64));
        NDArray y = student.encodeTargets(targets, manager);
        assertThat(y.getShape()).isEqualTo(new Shape(BATCH, RetinaNet.numAnchors(config), 6));
        for (int step = 0; step < STEPS; step++) {
          try (GradientCollector gc = trainer.newGradientCollector()) {
            NDArray perExample = student.lossPerExample(trainer.forward(new NDList(x)), y);
            assertThat(perExample.getShape()).isEqualTo(new Shape(BATCH));
            NDArray loss = perExample.mean();
            losses[step] = loss.getFloat();
            gc.backward(loss);
          }
          assertThat(GradientGuard.nonFiniteGradients(model.getBlock()))
              .as("step %s", step)
              .isEmpty();
          trainer.step();
        }
      }
      for (float loss : losses) {
        assertThat(loss).isFinite();
      }
      float first = (losses[0] + losses[1]) / 2;
      float last = (losses[STEPS - 2] + losses[STEPS - 1]) / 2;
      assertThat(last).as("losses %s", java.util.Arrays.toString(losses)).isLessThan(first * 0.5f);

      List<Prediction<BoxesTarget>> predictions = teacher.predict(images);
      assertThat(predictions).hasSize(BATCH);
      for (Prediction<BoxesTarget> p : predictions) {
        float[] boxes = p.target().boxes();
        assertThat(p.target().size()).isLessThanOrEqualTo(config.maxDetections());
        for (float v : boxes) {
          assertThat(v).isBetween(0f, 64f);
        }
        if (p.target().size() > 0) {
          assertThat(p.confidence()).isEqualTo(p.target().scores()[0]);
        }
      }
      assertThatThrownBy(() -> teacher.predict(List.of(Image.filled(32, 32, 3, 0))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("images[0]")
          .hasMessageContaining("64x64x3");
    }
  }

  /** A dark 64x64 RGB image with bright filled rectangles. */
  private static Image rectangles(float[] boxes) {
    byte[] pixels = new byte[64 * 64 * 3];
    java.util.Arrays.fill(pixels, (byte) 20);
    for (int b = 0; b < boxes.length / 4; b++) {
      for (int y = (int) boxes[b * 4 + 1]; y < (int) boxes[b * 4 + 3]; y++) {
        for (int x = (int) boxes[b * 4]; x < (int) boxes[b * 4 + 2]; x++) {
          for (int c = 0; c < 3; c++) {
            pixels[(y * 64 + x) * 3 + c] = (byte) (b == 0 ? 230 : 160);
          }
        }
      }
    }
    return Image.of(64, 64, 3, pixels);
  }
}
