package io.selftrain.models.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class DetectionLossesTest {

  @Test
  void focal_defaults_matchHandComputedValues() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray logits = manager.create(new float[] {0f, 2f, -3f, 1.5f, -1f});
      NDArray targets = manager.create(new float[] {1f, 0f, 1f, 1f, 0f});
      float[] loss =
          DetectionLosses.focal(
                  logits, targets, DetectionLosses.FOCAL_ALPHA, DetectionLosses.FOCAL_GAMMA)
              .toFloatArray();
      // -alpha_t (1 - p_t)^1.5 log(p_t), e.g. logit 0, positive: 0.25 * 0.5^1.5 * ln 2
      double[] expected = {
        0.0612661339667842,
        1.318644877508431,
        0.7085766293244985,
        0.003923345086982961,
        0.03276838897311861
      };
      for (int i = 0; i < expected.length; i++) {
        assertThat((double) loss[i]).as("element %s", i).isCloseTo(expected[i], within(1e-6));
      }
    }
  }

  @Test
  void focal_otherGamma_matchesHandComputedValues() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      float gamma2 =
          DetectionLosses.focal(
                  manager.create(new float[] {2f}), manager.create(new float[] {0f}), 0.25f, 2f)
              .getFloat(0);
      float gamma0 =
          DetectionLosses.focal(
                  manager.create(new float[] {0.5f}), manager.create(new float[] {1f}), 0.25f, 0f)
              .getFloat(0);
      assertThat((double) gamma2).isCloseTo(1.2375586345660556, within(1e-6));
      assertThat((double) gamma0)
          .isCloseTo(0.11851924604502666, within(1e-6)); // alpha * cross entropy
    }
  }

  @Test
  void focal_extremeLogits_finiteLossAndGradient() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray logits = manager.create(new float[] {-200f, 200f, -200f, 200f});
      NDArray targets = manager.create(new float[] {1f, 1f, 0f, 0f});
      logits.setRequiresGradient(true);
      NDArray loss;
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        loss = DetectionLosses.focal(logits, targets, 0.25f, 1.5f);
        gc.backward(loss.sum());
      }
      float[] l = loss.toFloatArray();
      assertThat(l[0]).isCloseTo(50f, within(1e-3f)); // 0.25 * 1 * 200
      assertThat(l[1]).isEqualTo(0f);
      assertThat(l[3]).isCloseTo(150f, within(1e-3f)); // 0.75 * 1 * 200
      for (float g : logits.getGradient().toFloatArray()) {
        assertThat(g).isFinite();
      }
    }
  }

  @Test
  void huber_quadraticAndLinearParts() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray predictions = manager.create(new float[] {0.05f, -0.05f, 0.3f, -1f, 0.1f});
      NDArray targets = manager.create(new float[] {0f, 0f, 0f, 0f, 0f});
      float[] loss =
          DetectionLosses.huber(predictions, targets, DetectionLosses.HUBER_DELTA).toFloatArray();
      // |e| <= 0.1: 0.5 e^2; else 0.1 (|e| - 0.05)
      assertThat(loss[0]).isCloseTo(0.00125f, within(1e-7f));
      assertThat(loss[1]).isCloseTo(0.00125f, within(1e-7f));
      assertThat(loss[2]).isCloseTo(0.025f, within(1e-7f));
      assertThat(loss[3]).isCloseTo(0.095f, within(1e-7f));
      assertThat(loss[4]).isCloseTo(0.005f, within(1e-7f));
    }
  }

  @Test
  void focal_alphaOutOfRange() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray x = manager.zeros(new ai.djl.ndarray.types.Shape(1));
      assertThatThrownBy(() -> DetectionLosses.focal(x, x, 1.5f, 2f))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("alpha")
          .hasMessageContaining("1.5");
    }
  }
}
