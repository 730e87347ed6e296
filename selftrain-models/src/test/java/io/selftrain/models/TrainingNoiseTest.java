package io.selftrain.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.selftrain.TrainingNoise;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** {@link TrainingNoise} streams and selftrain's {@link Dropout}. */
class TrainingNoiseTest {

  private static float[] masks(long seed, int draws) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        TrainingNoise.Binding noise = TrainingNoise.bind(seed)) {
      float[] all = new float[draws * 1000];
      for (int d = 0; d < draws; d++) {
        float[] one =
            TrainingNoise.keepMask(manager, new Shape(10, 100), 0.7f, DataType.FLOAT32)
                .toFloatArray();
        System.arraycopy(one, 0, all, d * 1000, 1000);
      }
      return all;
    }
  }

  @Test
  void keepMask_bound_valuesAndKeptFraction() {
    float[] mask = masks(3, 100);
    int kept = 0;
    for (float v : mask) {
      assertThat(v).isIn(0f, 1f / 0.7f);
      kept += v > 0 ? 1 : 0;
    }
    // binomial(100000, 0.7): the kept fraction's standard deviation is 0.0014
    assertThat(kept / 100_000.0).isCloseTo(0.7, within(0.006));
  }

  private static float[] splitMask(long seed, int firstPseudoRow, double exponent, Shape shape) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        TrainingNoise.Binding noise = TrainingNoise.bind(seed, firstPseudoRow, exponent)) {
      return TrainingNoise.keepMask(manager, shape, 0.7f, DataType.FLOAT32).toFloatArray();
    }
  }

  @Test
  void keepMask_pseudoRows_keepWithThePoweredProbability_sameDraws() {
    Shape shape = new Shape(400, 250);
    float[] plain = splitMask(5, Integer.MAX_VALUE, 1, shape);
    assertThat(splitMask(5, 100, 1, shape)).containsExactly(plain);
    float[] strong = splitMask(5, 100, 2, shape);
    float keep = (float) Math.pow(0.7, 2);
    int kept = 0;
    for (int i = 0; i < strong.length; i++) {
      if (i < 100 * 250) {
        assertThat(strong[i]).isEqualTo(plain[i]);
      } else {
        assertThat(strong[i]).isIn(0f, 1f / keep);
        // the same uniform number decides both: kept at keep^2 implies kept at keep
        if (strong[i] > 0) {
          assertThat(plain[i]).isPositive();
          kept++;
        }
      }
    }
    // binomial(75000, 0.49): the kept fraction's standard deviation is 0.0018
    assertThat(kept / 75_000.0).isCloseTo(0.49, within(0.008));
  }

  @Test
  void bind_badPseudoRowsOrExponent() {
    assertThatThrownBy(() -> TrainingNoise.bind(1, -1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("firstPseudoRow must be non-negative: -1");
    assertThatThrownBy(() -> TrainingNoise.bind(1, 4, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pseudoExponent must be finite and at least 1: 0.5");
    assertThat(TrainingNoise.isBound()).isFalse();
  }

  @Test
  void keepMask_sameSeed_sameMasks_otherSeed_otherMasks() {
    assertThat(masks(3, 5)).containsExactly(masks(3, 5));
    assertThat(masks(3, 5)).isNotEqualTo(masks(4, 5));
  }

  @Test
  void keepMask_twoThreadsAtOnce_eachGetsItsOwnStream() throws Exception {
    float[] alone = masks(8, 200);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Callable<float[]> draw = () -> masks(8, 200);
      Future<float[]> a = pool.submit(draw);
      Future<float[]> b = pool.submit(draw);
      assertThat(a.get()).containsExactly(alone);
      assertThat(b.get()).containsExactly(alone);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void bind_close_restoresThePreviousStream() {
    assertThat(TrainingNoise.isBound()).isFalse();
    float[] expected = masks(1, 2);
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        TrainingNoise.Binding outer = TrainingNoise.bind(1)) {
      float[] first =
          TrainingNoise.keepMask(manager, new Shape(10, 100), 0.7f, DataType.FLOAT32)
              .toFloatArray();
      try (TrainingNoise.Binding inner = TrainingNoise.bind(99)) {
        TrainingNoise.keepMask(manager, new Shape(10, 100), 0.7f, DataType.FLOAT32);
      }
      float[] second =
          TrainingNoise.keepMask(manager, new Shape(10, 100), 0.7f, DataType.FLOAT32)
              .toFloatArray();
      assertThat(first).containsExactly(java.util.Arrays.copyOfRange(expected, 0, 1000));
      assertThat(second).containsExactly(java.util.Arrays.copyOfRange(expected, 1000, 2000));
    }
    assertThat(TrainingNoise.isBound()).isFalse();
  }

  @Test
  void bind_closedOnAnotherThread_fails() throws Exception {
    TrainingNoise.Binding binding = TrainingNoise.bind(1);
    try {
      Thread other =
          new Thread(
              () -> assertThatThrownBy(binding::close).hasMessageContaining("thread that made it"));
      other.start();
      other.join();
    } finally {
      binding.close();
    }
  }

  @Test
  void keepMask_badKeep() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      assertThatThrownBy(() -> TrainingNoise.keepMask(manager, new Shape(2), 0f, DataType.FLOAT32))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("keep must be in (0, 1]: 0.0");
    }
  }

  @Test
  void dropout_training_usesTheBoundStream_inferenceIsIdentity() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Dropout dropout = new Dropout(0.3f);
      dropout.initialize(manager, DataType.FLOAT32, new Shape(10, 100));
      NDArray x = manager.ones(new Shape(10, 100));
      ParameterStore store = new ParameterStore(manager, false);
      float[] trained;
      try (TrainingNoise.Binding noise = TrainingNoise.bind(3)) {
        trained = dropout.forward(store, new NDList(x), true).singletonOrThrow().toFloatArray();
      }
      // x is all ones, so the output is the mask itself: the first mask of seed 3's stream
      assertThat(trained).containsExactly(java.util.Arrays.copyOf(masks(3, 1), 1000));
      assertThat(dropout.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray())
          .containsExactly(x.toFloatArray());
    }
  }

  @Test
  void dropout_badRate() {
    assertThatThrownBy(() -> new Dropout(1f))
        .hasMessageContaining("dropout rate must be in [0, 1): 1.0");
  }

  @Test
  void dropout_checkpointsLoadAcrossDjlDropout() throws Exception {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block djl =
          new SequentialBlock()
              .add(Linear.builder().setUnits(4).build())
              .add(ai.djl.nn.norm.Dropout.builder().optRate(0.5f).build())
              .add(Linear.builder().setUnits(2).build());
      djl.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      djl.saveParameters(new DataOutputStream(bytes));

      Block ours =
          new SequentialBlock()
              .add(Linear.builder().setUnits(4).build())
              .add(new Dropout(0.5f))
              .add(Linear.builder().setUnits(2).build());
      ours.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
      ours.loadParameters(
          manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      NDArray x = manager.randomNormal(new Shape(5, 3));
      ParameterStore store = new ParameterStore(manager, false);
      assertThat(ours.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray())
          .containsExactly(
              djl.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray());
      ByteArrayOutputStream again = new ByteArrayOutputStream();
      ours.saveParameters(new DataOutputStream(again));
      assertThat(again.toByteArray()).isEqualTo(bytes.toByteArray());
    }
  }
}
