package io.selftrain.models.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class RetinaNetLossTest {
  private static final RetinaNetConfig CONFIG =
      RetinaNet.tiny64(); // 2 classes, alpha 0.25, gamma 1.5

  @Test
  void perExample_threeAnchors_matchesHandComputedValue() {
    // Example 0: anchor 0 positive (class 1, weight 1), anchor 1 negative, anchor 2 ignored.
    // Example 1: anchors 0 and 1 positive (class 0, weights 0.5 and 2), anchor 2 negative.
    float[] logits = {
      -1f, 2f, /**/ 0.5f, -3f, /**/ 4f, 4f,
      1f, -2f, /**/ -0.5f, 0f, /**/ 2f, -1f
    };
    float[] codes = {
      0.1f, -0.2f, 0.3f, 0f, /**/ 5f, 5f, 5f, 5f, /**/ 9f, 9f, 9f, 9f,
      0f, 0f, 0f, 0f, /**/ 0.05f, 0f, -0.5f, 0.2f, /**/ 7f, 7f, 7f, 7f
    };
    float[] targets = {
      0.15f, 0f, 0.1f, 0.02f, 1f, 1f, /**/ 0f, 0f, 0f, 0f, -1f, 1f, /**/ 0f, 0f, 0f, 0f, -2f, 0f,
      0f, 0f, 0f, 0f, 0f, 0.5f, /**/ 0f, 0.1f, 0f, 0f, 0f, 2f, /**/ 0f, 0f, 0f, 0f, -1f, 1f
    };
    // Example 0: focal on positive anchor (z=-1 for class 0 negative, z=2 for class 1 positive) and
    // on the
    // negative anchor; Huber delta 0.1 on (-0.05, -0.2, 0.2, -0.02); one positive.
    double class0 = focal(-1, 0) + focal(2, 1) + focal(0.5, 0) + focal(-3, 0);
    double box0 = (huber(-0.05) + huber(-0.2) + huber(0.2) + huber(-0.02)) / 4;
    double expected0 = class0 + 50 * box0;
    // Example 1: two positives, weighted; anchor 0's box error is 0; anchor 1's is (0.05, -0.1,
    // -0.5, 0.2).
    double class1 =
        0.5 * (focal(1, 1) + focal(-2, 0))
            + 2 * (focal(-0.5, 1) + focal(0, 0))
            + focal(2, 0)
            + focal(-1, 0);
    double box1 = 2 * (huber(0.05) + huber(-0.1) + huber(-0.5) + huber(0.2)) / 4;
    double expected1 = (class1 + 50 * box1) / 2;
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray loss =
          RetinaNetLoss.perExample(
              CONFIG,
              manager.create(logits, new Shape(2, 3, 2)),
              manager.create(codes, new Shape(2, 3, 4)),
              manager.create(targets, new Shape(2, 3, 6)));
      assertThat(loss.getShape()).isEqualTo(new Shape(2));
      float[] values = loss.toFloatArray();
      assertThat((double) values[0]).isCloseTo(expected0, within(1e-5));
      assertThat((double) values[1]).isCloseTo(expected1, within(1e-5));
    }
  }

  @Test
  void perExample_noPositives_isTheNegativesFocalSum() {
    float[] logits = {-4f, -5f, -3f, 1f};
    float[] targets = {0f, 0f, 0f, 0f, -1f, 1f, 0f, 0f, 0f, 0f, -1f, 1f};
    double expected = focal(-4, 0) + focal(-5, 0) + focal(-3, 0) + focal(1, 0);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      float value =
          RetinaNetLoss.perExample(
                  CONFIG,
                  manager.create(logits, new Shape(1, 2, 2)),
                  manager.randomNormal(new Shape(1, 2, 4)),
                  manager.create(targets, new Shape(1, 2, 6)))
              .getFloat(0);
      assertThat((double) value).isCloseTo(expected, within(1e-6));
    }
  }

  @Test
  void perExample_targetsOfOtherAnchorCount() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      assertThatThrownBy(
              () ->
                  RetinaNetLoss.perExample(
                      CONFIG,
                      manager.zeros(new Shape(1, 5, 2)),
                      manager.zeros(new Shape(1, 5, 4)),
                      manager.zeros(new Shape(1, 4, 6))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("targets")
          .hasMessageContaining("(1, 4, 6)");
    }
  }

  /**
   * {@code -alpha_t (1 - p_t)^gamma log(p_t)}, alpha 0.25 and gamma 1.5, straight from the
   * definition.
   */
  private static double focal(double logit, int target) {
    double p = 1 / (1 + Math.exp(-logit));
    double pt = target == 1 ? p : 1 - p;
    double alphaT = target == 1 ? 0.25 : 0.75;
    return -alphaT * Math.pow(1 - pt, 1.5) * Math.log(pt);
  }

  private static double huber(double error) {
    double e = Math.abs(error);
    return e <= 0.1 ? 0.5 * e * e : 0.1 * (e - 0.05);
  }
}
