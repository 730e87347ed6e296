package io.selftrain.models.segmentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.Prediction;
import io.selftrain.Student;
import io.selftrain.Teacher;
import io.selftrain.models.GradientGuard;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentationTrainingTest {
  private static final int BATCH = 4;
  private static final int STEPS = 20;
  private static final int SIZE = 64;

  @Test
  void student_tiny64_trainingStepsReduceLossWithoutNaN_thenTeacherSegments() {
    Engine.getEngine("PyTorch").setRandomSeed(5);
    SegmentationConfig config = Segmentation.tiny64();
    Student<MaskTarget> student = Segmentation.student(config);
    List<Image> images = new ArrayList<>();
    List<MaskTarget> masks = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      // a bright square (class 1) on a dark background (class 0); a 2-pixel ignored border around
      // the square
      int x0 = 6 + 9 * i;
      int y0 = 30 - 6 * i;
      int side = 18 + 2 * i;
      byte[] pixels = new byte[SIZE * SIZE * 3];
      byte[] mask = new byte[SIZE * SIZE];
      Arrays.fill(pixels, (byte) 20);
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          boolean inside = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
          boolean near = x >= x0 - 2 && x < x0 + side + 2 && y >= y0 - 2 && y < y0 + side + 2;
          if (inside) {
            Arrays.fill(pixels, (y * SIZE + x) * 3, (y * SIZE + x) * 3 + 3, (byte) 230);
          }
          mask[y * SIZE + x] = inside ? 1 : near ? (byte) MaskTarget.IGNORE : 0;
        }
      }
      images.add(Image.of(SIZE, SIZE, 3, pixels));
      masks.add(MaskTarget.of(SIZE, SIZE, mask));
    }
    float[] data = new float[BATCH * 3 * SIZE * SIZE];
    for (int i = 0; i < BATCH; i++) {
      images.get(i).copyChwTo(data, i * 3 * SIZE * SIZE);
    }
    float[] losses = new float[STEPS];
    Model model = Model.newInstance("segmentation", "PyTorch");
    model.setBlock(student.newBlock());
    try (Teacher<MaskTarget> teacher = Segmentation.teacher(config, model)) {
      DefaultTrainingConfig training =
          new DefaultTrainingConfig(Loss.l2Loss())
              .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build());
      try (Trainer trainer = model.newTrainer(training)) {
        trainer.initialize(new Shape(BATCH, 3, SIZE, SIZE));
        NDManager manager = trainer.getManager();
        NDArray x = manager.create(data, new Shape(BATCH, 3, SIZE, SIZE));
        NDArray y = student.encodeTargets(masks, manager);
        for (int step = 0; step < STEPS; step++) {
          try (GradientCollector gc = trainer.newGradientCollector()) {
            NDList out = trainer.forward(new NDList(x));
            assertThat(out.singletonOrThrow().getShape())
                .isEqualTo(new Shape(BATCH, 2, SIZE, SIZE));
            NDArray perExample = student.lossPerExample(out, y);
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
      assertThat(last).as("losses %s", Arrays.toString(losses)).isLessThan(first * 0.5f);

      List<Prediction<MaskTarget>> predictions = teacher.predict(images);
      assertThat(predictions).hasSize(BATCH);
      for (Prediction<MaskTarget> p : predictions) {
        MaskTarget mask = p.target();
        assertThat(mask.height()).isEqualTo(SIZE);
        assertThat(mask.width()).isEqualTo(SIZE);
        for (byte c : mask.classes()) {
          assertThat(c & 0xFF).isIn(0, 1);
        }
        float[] pixels = mask.confidences();
        double mean = 0;
        for (float q : pixels) {
          assertThat(q).isBetween(0.5f, 1f); // the top of two probabilities
          mean += q / pixels.length;
        }
        assertThat((double) p.confidence()).isCloseTo(mean, within(1e-5));
      }
      assertThat(teacher.describe())
          .startsWith("segmentation nasfpn-seg-tiny64 (model segmentation)@");
      assertThatThrownBy(() -> teacher.predict(List.of(Image.filled(32, 32, 3, 0))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("images[0]")
          .hasMessageContaining("64x64x3");
    }
  }
}
