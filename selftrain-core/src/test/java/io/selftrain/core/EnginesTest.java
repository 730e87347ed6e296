package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EnginesTest {
  @BeforeAll
  static void configure() {
    Engines.configure(1);
  }

  @Test
  void configure_isOffline() {
    assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
    assertThat(ai.djl.util.Utils.isOfflineMode()).isTrue();
  }

  @Test
  void pytorch_loadsAndRunsAnOpOffline() {
    Engine engine = Engines.loadForTraining(Engines.PYTORCH);
    try (NDManager m = engine.newBaseManager()) {
      NDArray a = m.create(new float[] {1f, 2f, 3f});
      assertThat(a.mul(2).sum().getFloat()).isEqualTo(12f);
    }
  }

  @Test
  void tensorflow_loadsAndRunsAnOpOffline_alongsidePyTorch() {
    Engine tf = Engines.load(Engines.TENSORFLOW);
    Engine pt = Engines.load(Engines.PYTORCH);
    try (NDManager tfm = tf.newBaseManager();
        NDManager ptm = pt.newBaseManager()) {
      NDArray a = tfm.create(new float[] {1f, 2f, 3f, 4f}, new ai.djl.ndarray.types.Shape(2, 2));
      NDArray product = a.matMul(a);
      assertThat(product.toFloatArray()).containsExactly(7f, 10f, 15f, 22f);
      NDArray copied = ptm.from(product);
      assertThat(copied.getManager().getEngine().getEngineName()).isEqualTo("PyTorch");
      assertThat(copied.sum().getFloat()).isEqualTo(54f);
    }
  }

  @Test
  void loadForTraining_tensorflow() {
    assertThatThrownBy(() -> Engines.loadForTraining(Engines.TENSORFLOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TensorFlow")
        .hasMessageContaining("pytorch-engine");
  }

  @Test
  void load_unknownEngine() {
    assertThatThrownBy(() -> Engines.load("MXNet"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MXNet")
        .hasMessageContaining("not on the classpath");
  }

  @Test
  void configure_threadsZero() {
    assertThatThrownBy(() -> Engines.configure(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threads")
        .hasMessageContaining("0");
  }
}
