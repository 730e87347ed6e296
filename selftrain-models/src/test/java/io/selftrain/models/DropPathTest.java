package io.selftrain.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class DropPathTest {

  @Test
  void apply_inference_returnsBranchUnscaled() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray branch = manager.randomNormal(new Shape(8, 3, 2, 2));
      NDArray out = DropPath.apply(branch, 0.5f, false);
      assertThat(out.toFloatArray()).containsExactly(branch.toFloatArray());
    }
  }

  @Test
  void apply_survivalOne_isIdentityInTraining() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray branch = manager.randomNormal(new Shape(8, 3, 2, 2));
      assertThat(DropPath.apply(branch, 1f, true).toFloatArray())
          .containsExactly(branch.toFloatArray());
    }
  }

  @Test
  void apply_training_dropsWholeExamplesAndPreservesExpectation() {
    Engine.getEngine("PyTorch").setRandomSeed(11);
    int n = 4000;
    float survival = 0.8f;
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray branch = manager.ones(new Shape(n, 2, 3, 3));
      float[] out = DropPath.apply(branch, survival, true).toFloatArray();
      int per = 2 * 3 * 3;
      int kept = 0;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        float first = out[i * per];
        assertThat(first).isIn(0f, 1f / survival);
        for (int j = 1; j < per; j++) {
          assertThat(out[i * per + j]).isEqualTo(first);
        }
        kept += first > 0 ? 1 : 0;
        sum += first;
      }
      // binomial(4000, 0.8): standard deviation of the kept fraction is 0.0063
      assertThat(kept / (double) n).isCloseTo(survival, within(0.03));
      assertThat(sum / n).isCloseTo(1.0, within(0.04));
    }
  }

  @Test
  void mbConvBlock_droppedExamples_passTheIdentityUnscaled() {
    Engine.getEngine("PyTorch").setRandomSeed(5);
    EfficientNet.BlockSpec spec = new EfficientNet.BlockSpec(8, 8, 3, 1, 6, 0.25, 0.5f, 1);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      MbConvBlock block = new MbConvBlock(spec, 0.99f, 1e-3f, false);
      Shape shape = new Shape(64, 8, 4, 4);
      block.initialize(manager, DataType.FLOAT32, shape);
      NDArray x = manager.randomNormal(shape);
      ParameterStore ps = new ParameterStore(manager, false);
      float[] in = x.toFloatArray();
      float[] train = block.forward(ps, new NDList(x), true).singletonOrThrow().toFloatArray();
      float[] infer = block.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
      int per = 8 * 4 * 4;
      int dropped = 0;
      for (int i = 0; i < 64; i++) {
        boolean same = true;
        boolean inferSame = true;
        for (int j = 0; j < per; j++) {
          same &= train[i * per + j] == in[i * per + j];
          inferSame &= infer[i * per + j] == in[i * per + j];
        }
        dropped += same ? 1 : 0;
        assertThat(inferSame).isFalse();
      }
      // survival 0.5 over 64 examples: both kept and dropped examples occur
      assertThat(dropped).isBetween(10, 54);
    }
  }
}
