package io.selftrain.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScalarsTest {

  @Test
  void like_scalarOfTheArraysTypeOnItsManager() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray doubles = manager.create(new double[] {1, 2});
      NDArray scalar = Scalars.like(doubles, 2.5f);
      assertThat(scalar.getShape()).isEqualTo(new Shape());
      assertThat(scalar.getDataType()).isEqualTo(DataType.FLOAT64);
      assertThat(scalar.getManager()).isSameAs(manager);
      assertThat(scalar.toDoubleArray()).containsExactly(2.5);
    }
  }

  @Test
  void like_handleClosedAndMemoryCollectedBeforeBackward_gradientIsStillTheNumber()
      throws InterruptedException {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray x = manager.create(new float[] {1f, -2f, 3f});
      x.setRequiresGradient(true);
      try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
        NDArray factor = Scalars.like(x, 3f);
        NDArray y = x.mul(factor).sum();
        factor.close(); // what DJL does to the array it makes for mul(Number)
        List<ByteBuffer> filler = FreedNativeMemory.collectAndRefill();
        collector.backward(y);
        Reference.reachabilityFence(filler);
      }
      assertThat(x.getGradient().toFloatArray()).containsExactly(3f, 3f, 3f);
    }
  }
}
