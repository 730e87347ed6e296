package io.selftrain.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SwishTest {

  @Test
  void apply_onPyTorch_matchesTheFormulaInDoublePrecision_valueAndGradient() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      float[] values = new float[401];
      for (int i = 0; i < values.length; i++) {
        values[i] = -20f + 0.1f * i;
      }
      NDArray x = manager.create(values);
      x.setRequiresGradient(true);
      float[] y;
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray out = Swish.apply(x, true);
        y = out.toFloatArray();
        gc.backward(out.sum());
      }
      float[] dy = x.getGradient().toFloatArray();
      for (int i = 0; i < values.length; i++) {
        double v = values[i];
        double sigmoid = 1 / (1 + Math.exp(-v));
        double expected = v * sigmoid;
        double expectedGradient = sigmoid * (1 + v * (1 - sigmoid));
        assertThat((double) y[i])
            .as("silu(%s)", v)
            .isCloseTo(expected, within(1e-6 + 1e-6 * Math.abs(expected)));
        assertThat((double) dy[i]).as("silu'(%s)", v).isCloseTo(expectedGradient, within(1e-6));
      }
    }
  }

  @Test
  void apply_onPyTorch_isTheFusedKernel_notTheProductOfTwo() {
    // The product x * sigmoid(x) rounds twice; torch.silu computes x / (1 + exp(-x)). Over many
    // inputs the two differ in the last bit somewhere, so equality would mean the fused path is
    // not taken.
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray x = manager.randomNormal(0, 3, new Shape(10_000), DataType.FLOAT32);
      float[] fused = Swish.apply(x, true).toFloatArray();
      float[] product = x.mul(Activation.sigmoid(x)).toFloatArray();
      int differing = 0;
      for (int i = 0; i < fused.length; i++) {
        assertThat(fused[i]).isCloseTo(product[i], within(1e-5f + 1e-6f * Math.abs(product[i])));
        differing += fused[i] != product[i] ? 1 : 0;
      }
      assertThat(differing).isPositive();
    }
  }

  @Test
  void apply_keepsTheInputsManagerShapeAndType() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        NDManager child = manager.newSubManager()) {
      NDArray x = child.ones(new Shape(2, 3, 4, 5));
      NDArray y = Swish.apply(x, true);
      assertThat(y.getManager()).isSameAs(child);
      assertThat(y.getShape()).isEqualTo(new Shape(2, 3, 4, 5));
      assertThat(y.getDataType()).isEqualTo(DataType.FLOAT32);
    }
  }

  @Test
  void apply_fromManyThreadsAtOnce_givesEveryThreadItsOwnResult() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        float offset = t;
        results.add(
            pool.submit(
                () -> {
                  try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
                    float[] last = null;
                    for (int i = 0; i < 50; i++) {
                      last = Swish.apply(manager.full(new Shape(64), offset), true).toFloatArray();
                    }
                    return last;
                  }
                }));
      }
      for (int t = 0; t < 8; t++) {
        double expected = t / (1 + Math.exp(-t));
        assertThat((double) results.get(t).get()[63]).isCloseTo(expected, within(1e-5));
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void archive_isTheSameBytesEveryTime() {
    assertThat(FusedSilu.archive()).isEqualTo(FusedSilu.archive());
  }
}
