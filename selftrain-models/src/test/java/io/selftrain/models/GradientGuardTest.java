package io.selftrain.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.TrainingDivergedException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GradientGuardTest {

  @Test
  void nonFiniteGradients_finiteBackward_isEmpty() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block linear = linear(manager);
      backward(linear, manager, false);
      assertThat(GradientGuard.nonFiniteGradients(linear)).isEmpty();
    }
  }

  @Test
  void nonFiniteGradients_finiteLossNaNGradient_namesTheParameters() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block linear = linear(manager);
      float loss = backward(linear, manager, true);
      assertThat(loss).isFinite();
      assertThat(GradientGuard.nonFiniteGradients(linear)).containsExactly("weight", "bias");
      assertThatThrownBy(() -> GradientGuard.checkFinite(linear, 17))
          .isInstanceOf(TrainingDivergedException.class)
          .hasMessageContaining("step 17")
          .hasMessageContaining("weight");
    }
  }

  @ParameterizedTest(name = "fused {0}")
  @ValueSource(booleans = {false, true})
  void swish_extremeInputs_haveFiniteGradients_whereTheNaiveFormulaGivesNaN(boolean fused) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      float[] values = {-100f, -90f, 0f, 90f, 100f};
      NDArray x = manager.create(values);
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        gc.backward(Swish.apply(x, fused).sum());
      }
      // within(0): the fused silu gives -0 where the product gives 0.
      assertThat(x.getGradient().toFloatArray())
          .containsExactly(new float[] {0f, 0f, 0.5f, 1f, 1f}, within(0f));
      // x / (1 + exp(-x)) as ops: exp(100) overflows to infinity, the forward value is a finite
      // -0, but the backward pass divides infinity by infinity. This is how a finite loss gets NaN
      // gradients.
      NDArray naive = manager.create(values);
      naive.setRequiresGradient(true);
      float loss;
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray y = naive.div(naive.neg().exp().add(1f)).sum();
        loss = y.getFloat();
        gc.backward(y);
      }
      assertThat(loss).isFinite();
      assertThat(naive.getGradient().toFloatArray()[0]).isNaN();
    }
  }

  private static Block linear(NDManager manager) {
    Block linear = Linear.builder().setUnits(1).build();
    linear.initialize(manager, DataType.FLOAT32, new Shape(2, 3));
    return linear;
  }

  /** Backward of sum(relu(y)) or, poisoned, of sum(sqrt(0 * y)): value 0, gradient inf * 0. */
  private static float backward(Block linear, NDManager manager, boolean poisoned) {
    ParameterStore ps = new ParameterStore(manager, false);
    NDArray x = manager.create(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, new Shape(2, 3));
    try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray y = linear.forward(ps, new NDList(x), true).singletonOrThrow();
      NDArray loss = poisoned ? y.mul(0f).sqrt().sum() : y.maximum(0f).sum();
      gc.backward(loss);
      return loss.getFloat();
    }
  }
}
