package io.selftrain.models.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.selftrain.models.detection.NasFpnNode.Merge;
import io.selftrain.models.internal.Layers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NasFpnTest {
  /** C3..C5 of a 128x128 image with 6, 10 and 12 channels. */
  private static final Shape[] C_128 = {
    new Shape(2, 6, 16, 16), new Shape(2, 10, 8, 8), new Shape(2, 12, 4, 4)
  };

  @Test
  void cell_isTheTfBlockSpecTable() {
    // TF modeling/architecture/nasfpn.py NASFPN_BLOCK_SPECS: (level, combine_fn, (input0, input1),
    // is_output)
    assertThat(NasFpn.cell())
        .containsExactly(
            new NasFpnNode(4, Merge.ATTENTION, 1, 3, false),
            new NasFpnNode(4, Merge.SUM, 1, 5, false),
            new NasFpnNode(3, Merge.SUM, 0, 6, true),
            new NasFpnNode(4, Merge.SUM, 6, 7, true),
            new NasFpnNode(5, Merge.ATTENTION, 7, 8, true),
            new NasFpnNode(7, Merge.ATTENTION, 6, 9, true),
            new NasFpnNode(6, Merge.ATTENTION, 9, 10, true));
    assertThatThrownBy(() -> NasFpn.cell().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void unusedInputs_paperCell_addP5ToNode9AndP7ToNode10() {
    // P3 (0), P4 (1) and P6 (3) feed nodes; P5 (2) and P7 (4) are never inputs, so the first output
    // node
    // at their level takes them: node 9 (level 5) and node 10 (level 7).
    int[][] extra = NasFpnCellBlock.unusedInputs(NasFpn.cell());
    assertThat(extra).isDeepEqualTo(new int[][] {{}, {}, {}, {}, {2}, {4}, {}});
  }

  @Test
  void config_defaultsAreTheTfDetectionDefaults() {
    NasFpnConfig config = NasFpnConfig.builder().build();
    assertThat(config.channels()).isEqualTo(256);
    assertThat(config.numRepeats()).isEqualTo(5);
    assertThat(config.separableConv()).isFalse();
    assertThat(config.batchNormMomentum()).isEqualTo(0.997f);
    assertThat(config.batchNormEpsilon()).isEqualTo(1e-4f);
    assertThat(config.nodes()).isEqualTo(NasFpn.cell());
  }

  @Test
  void config_rangesAndWiring() {
    NasFpnConfig config = NasFpnConfig.builder().build();
    assertThatThrownBy(() -> config.withChannels(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("channels")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> config.withNumRepeats(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("numRepeats")
        .hasMessageContaining("0");
    List<NasFpnNode> forward = new ArrayList<>(NasFpn.cell());
    forward.set(1, new NasFpnNode(4, Merge.SUM, 1, 6, false));
    assertThatThrownBy(() -> NasFpnConfig.builder().nodes(forward).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nodes[1]")
        .hasMessageContaining("6");
    List<NasFpnNode> twice = new ArrayList<>(NasFpn.cell());
    twice.set(6, new NasFpnNode(7, Merge.SUM, 9, 10, true));
    assertThatThrownBy(() -> NasFpnConfig.builder().nodes(twice).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nodes")
        .hasMessageContaining("level 7");
    assertThatThrownBy(() -> new NasFpnNode(8, Merge.SUM, 0, 1, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("level")
        .hasMessageContaining("8");
    assertThatThrownBy(() -> NasFpn.block(config, 6, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inputChannels")
        .hasMessageContaining("2");
  }

  @Test
  void maxPoolSame_roundsUpLikeTfSamePadding() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray x = manager.arange(9f).reshape(1, 1, 3, 3);
      // windows {0,1,3,4}, {2,5}, {6,7}, {8}
      assertThat(Layers.maxPoolSame(x, 2).toFloatArray()).containsExactly(4f, 5f, 7f, 8f);
      assertThat(Layers.maxPoolSame(x, 4).toFloatArray()).containsExactly(8f);
      assertThat(Layers.maxPoolSame(manager.ones(new Shape(1, 2, 1, 1)), 2).getShape())
          .isEqualTo(new Shape(1, 2, 1, 1));
      assertThat(Layers.pooledSize(3, 2)).isEqualTo(2);
      assertThat(Layers.pooledSize(1, 4)).isEqualTo(1);
    }
  }

  @Test
  void nearestUpsample_repeatsAndCrops() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray x = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
      assertThat(Layers.nearestUpsample(x, 2, 4, 4).toFloatArray())
          .containsExactly(1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4);
      assertThat(Layers.nearestUpsample(x, 2, 3, 3).toFloatArray())
          .containsExactly(1, 1, 2, 1, 1, 2, 3, 3, 4);
    }
  }

  @Test
  void attention_handComputed() {
    // hi + lo * sigmoid(max over H, W of hi), per example and channel
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      float[] hi = {1, -2, 0.5f, 3, /* channel 1 */ -1, -4, -0.5f, -2};
      float[] lo = {2, 2, 2, 2, /* channel 1 */ 1, 0, -1, 4};
      NDArray out =
          NasFpnCellBlock.attention(
              manager.create(hi, new Shape(1, 2, 2, 2)), manager.create(lo, new Shape(1, 2, 2, 2)));
      double g0 = 1 / (1 + Math.exp(-3)); // max of channel 0 is 3
      double g1 = 1 / (1 + Math.exp(0.5)); // max of channel 1 is -0.5
      float[] expected = new float[8];
      for (int i = 0; i < 8; i++) {
        expected[i] = (float) (hi[i] + lo[i] * (i < 4 ? g0 : g1));
      }
      float[] actual = out.toFloatArray();
      for (int i = 0; i < 8; i++) {
        assertThat(actual[i]).as("element %s", i).isCloseTo(expected[i], within(1e-6f));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void block_outputShapesPerLevel(int repeats) {
    NasFpnConfig config = NasFpnConfig.builder().channels(8).numRepeats(repeats).build();
    Shape[] expected = {
      new Shape(2, 8, 16, 16),
      new Shape(2, 8, 8, 8),
      new Shape(2, 8, 4, 4),
      new Shape(2, 8, 2, 2),
      new Shape(2, 8, 1, 1)
    };
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = NasFpn.block(config, 6, 10, 12);
      block.initialize(manager, DataType.FLOAT32, C_128);
      assertThat(block.getOutputShapes(C_128)).containsExactly(expected);
      NDList out = block.forward(new ParameterStore(manager, false), random(manager, C_128), true);
      assertThat(out.getShapes()).containsExactly(expected);
      for (NDArray level : out) {
        assertThat(level.isNaN().any().getBoolean()).isFalse();
      }
      assertThat(cells(block)).isEqualTo(repeats);
    }
  }

  @Test
  void block_64pxImage_p6AndP7AreOneByOne() {
    // C3..C5 of a 64x64 image: 8, 4, 2; P6 = ceil(2 / 2) = 1 and P7 = ceil(1 / 2) = 1
    Shape[] in = {new Shape(2, 6, 8, 8), new Shape(2, 10, 4, 4), new Shape(2, 12, 2, 2)};
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block =
          NasFpn.block(
              NasFpnConfig.builder().channels(8).numRepeats(2).separableConv(true).build(),
              6,
              10,
              12);
      block.initialize(manager, DataType.FLOAT32, in);
      NDList out = block.forward(new ParameterStore(manager, false), random(manager, in), false);
      Shape[] expected = {
        new Shape(2, 8, 8, 8),
        new Shape(2, 8, 4, 4),
        new Shape(2, 8, 2, 2),
        new Shape(2, 8, 1, 1),
        new Shape(2, 8, 1, 1)
      };
      assertThat(out.getShapes()).containsExactly(expected);
      assertThat(block.getOutputShapes(in)).containsExactly(expected);
    }
  }

  @Test
  void parameterCount_formula() {
    // f = 8, regular: resample C3 (6 ch) and C5 (12 ch), C4 already has 8; 7 nodes per cell
    NasFpnConfig regular = NasFpnConfig.builder().channels(8).numRepeats(2).build();
    long resample = (6 * 8 + 8 + 16) + (12 * 8 + 8 + 16);
    long node = 9 * 8 * 8 + 8 + 16;
    assertThat(NasFpn.parameterCount(regular, 6, 8, 12)).isEqualTo(resample + 2 * 7 * node);
    // separable: depthwise 1x1 (c) or 3x3 (9 f) without bias, pointwise with bias
    NasFpnConfig separable = regular.withSeparableConv(true);
    long separableResample = (6 + 6 * 8 + 8 + 16) + (12 + 12 * 8 + 8 + 16);
    long separableNode = 9 * 8 + 8 * 8 + 8 + 16;
    assertThat(NasFpn.parameterCount(separable, 6, 8, 12))
        .isEqualTo(separableResample + 2 * 7 * separableNode);
  }

  @Test
  void parameterCount_equalsInitializedBlock() {
    NasFpnConfig config = NasFpnConfig.builder().channels(8).numRepeats(1).build();
    assertParameterCount(config, 6, 10, 12);
    assertParameterCount(config.withNumRepeats(3), 6, 8, 12);
    assertParameterCount(config.withSeparableConv(true).withNumRepeats(2), 6, 10, 12);
    assertParameterCount(config.withSeparableConv(true), 8, 8, 8);
  }

  @Test
  void block_gradientsReachEveryParameter() {
    Engine.getEngine("PyTorch").setRandomSeed(3);
    NasFpnConfig config = NasFpnConfig.builder().channels(8).numRepeats(2).build();
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = NasFpn.block(config, 6, 10, 12);
      block.initialize(manager, DataType.FLOAT32, C_128);
      try (ai.djl.training.GradientCollector gc =
          Engine.getEngine("PyTorch").newGradientCollector()) {
        NDList out =
            block.forward(new ParameterStore(manager, false), random(manager, C_128), true);
        NDArray loss = null;
        for (NDArray level : out) {
          NDArray l = level.square().mean();
          loss = loss == null ? l : loss.add(l);
        }
        gc.backward(loss);
      }
      for (Pair<String, Parameter> p : block.getParameters()) {
        if (p.getValue().requiresGradient()) {
          NDArray g = p.getValue().getArray().getGradient();
          assertThat(g.isNaN().any().getBoolean()).as(p.getKey()).isFalse();
          assertThat(g.abs().sum().getFloat()).as(p.getKey()).isGreaterThan(0f);
        }
      }
    }
  }

  private static int cells(Block block) {
    int n = 0;
    for (String name : block.getChildren().keys()) {
      if (name.contains("cell")) {
        n++;
      }
    }
    return n;
  }

  private static NDList random(NDManager manager, Shape[] shapes) {
    NDList list = new NDList();
    for (Shape s : shapes) {
      list.add(manager.randomNormal(s));
    }
    return list;
  }

  private static void assertParameterCount(NasFpnConfig config, int... inputChannels) {
    Shape[] in = {
      new Shape(1, inputChannels[0], 16, 16),
      new Shape(1, inputChannels[1], 8, 8),
      new Shape(1, inputChannels[2], 4, 4)
    };
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = NasFpn.block(config, inputChannels);
      block.initialize(manager, DataType.FLOAT32, in);
      long trainable = 0;
      for (Pair<String, Parameter> p : block.getParameters()) {
        if (p.getValue().requiresGradient()) {
          trainable += p.getValue().getArray().size();
        }
      }
      assertThat(trainable)
          .as("%s %s", config, java.util.Arrays.toString(inputChannels))
          .isEqualTo(NasFpn.parameterCount(config, inputChannels));
    }
  }
}
