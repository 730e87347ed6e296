package io.selftrain.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChannelsLastSequentialBlockTest {
  @BeforeAll
  static void offline() {
    System.setProperty("ai.djl.offline", "true");
  }

  @Test
  void convNet_channelsLast_computesThePlainLayoutsLogitsAndGradients_grey()
      throws IOException, MalformedModelException {
    assertSameAsPlain(
        last -> ConvNetConfig.builder().width(4).hidden(16).channelsLast(last).build(), 1);
  }

  @Test
  void convNet_channelsLast_computesThePlainLayoutsLogitsAndGradients_colour()
      throws IOException, MalformedModelException {
    assertSameAsPlain(
        last ->
            ConvNetConfig.builder()
                .inputChannels(3)
                .inputSize(12)
                .width(6)
                .hidden(8)
                .channelsLast(last)
                .build(),
        3);
  }

  @Test
  void efficientNet_channelsLast_computesThePlainLayoutsLogitsAndGradients()
      throws IOException, MalformedModelException {
    EfficientNetConfig noiseless = EfficientNet.tiny28().withDropout(0f).withStochasticDepth(0f);
    assertSameAsPlain(
        last -> EfficientNet.classifier(noiseless.withChannelsLast(last)),
        new Shape(2, 3, 28, 28),
        false,
        1e-4f);
  }

  @Test
  void efficientNetFeatures_channelsLast_computeThePlainLayoutsEndpointsAndGradients()
      throws IOException, MalformedModelException {
    EfficientNetConfig noiseless = EfficientNet.tiny64().withDropout(0f).withStochasticDepth(0f);
    assertSameAsPlain(
        last -> EfficientNet.features(noiseless.withChannelsLast(last)),
        new Shape(2, 3, 64, 64),
        false,
        1e-4f);
  }

  @Test
  void channelsLastActivations_readBackInTheirLogicalOrder() {
    // A convolution's output stays channels-last; reading it must give the (batch, channel, row,
    // column) order of the plain layout, not the memory order.
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      Engine.getEngine("PyTorch").setRandomSeed(3);
      Block conv =
          Conv2d.builder()
              .setKernelShape(new Shape(3, 3))
              .optPadding(new Shape(1, 1))
              .setFilters(5)
              .build();
      SequentialBlock channelsLast = new ChannelsLastSequentialBlock();
      channelsLast.add(conv);
      Shape input = new Shape(2, 3, 6, 7);
      channelsLast.initialize(m, DataType.FLOAT32, input);
      NDArray x = m.randomUniform(-1, 1, input);
      float[] expected =
          conv.forward(new ParameterStore(m, false), new NDList(x), false)
              .singletonOrThrow()
              .toFloatArray();
      float[] actual =
          channelsLast
              .forward(new ParameterStore(m, false), new NDList(x), false)
              .singletonOrThrow()
              .toFloatArray();
      assertClose(actual, expected, 1e-5f);
    }
  }

  @Test
  void name_marksTheLayout_onlyWhenChannelsLast() {
    ConvNetConfig plain = ConvNetConfig.builder().width(40).dropout(0.3f).build();
    assertThat(ConvNets.student(plain).name()).isEqualTo("cnn28-w40-drop0.30-sd0.00");
    assertThat(
            ConvNets.student(
                    ConvNetConfig.builder().width(40).dropout(0.3f).channelsLast(true).build())
                .name())
        .isEqualTo("cnn28-w40-drop0.30-sd0.00-cl");
    assertThat(EfficientNet.student(EfficientNet.b0()).name()).isEqualTo("efficientnet-b0");
    assertThat(EfficientNet.student(EfficientNet.b0().withChannelsLast(true)).name())
        .isEqualTo("efficientnet-b0-cl");
  }

  private static void assertSameAsPlain(Function<Boolean, ConvNetConfig> layout, int channels)
      throws IOException, MalformedModelException {
    int size = layout.apply(false).inputSize();
    assertSameAsPlain(
        last -> ConvNets.block(layout.apply(last)),
        new Shape(3, channels, size, size),
        true,
        1e-5f);
  }

  /**
   * {@code tolerance} is relative to the largest value compared; a value in the wrong place would
   * differ by the values' own size. EfficientNet is compared in inference mode: in training mode
   * its batch norms over two images of 1x1 pixels at stride 32 amplify the last-bit differences of
   * a convolution's sum order past 1e-3. {@link FusedOpsTest} compares fused and plain operations
   * with it.
   *
   * @param network the network computed the default way ({@code false}) or the other ({@code true})
   * @return the default network's outputs and gradients, then the other's
   */
  static List<Result> assertSameAsPlain(
      Function<Boolean, Block> network, Shape input, boolean training, float tolerance)
      throws IOException, MalformedModelException {
    try (Model plain = Model.newInstance("plain", "PyTorch");
        Model channelsLast = Model.newInstance("channels-last", "PyTorch")) {
      Engine.getEngine("PyTorch").setRandomSeed(7);
      plain.setBlock(network.apply(false));
      plain.getBlock().initialize(plain.getNDManager(), DataType.FLOAT32, input);
      channelsLast.setBlock(network.apply(true));
      channelsLast.getBlock().initialize(channelsLast.getNDManager(), DataType.FLOAT32, input);

      // The plain network's parameter file loads into the channels-last one, which writes it
      // back byte for byte: the layout is not part of the file.
      byte[] file = save(plain.getBlock());
      channelsLast
          .getBlock()
          .loadParameters(
              channelsLast.getNDManager(), new DataInputStream(new ByteArrayInputStream(file)));
      assertThat(save(channelsLast.getBlock())).isEqualTo(file);

      NDArray x = plain.getNDManager().randomUniform(0, 1, input);
      Result a = forwardBackward(plain, x, training);
      Result b = forwardBackward(channelsLast, x, training);
      assertThat(b.outputs).hasSameSizeAs(a.outputs);
      for (int i = 0; i < a.outputs.size(); i++) {
        assertClose(b.outputs.get(i), a.outputs.get(i), tolerance);
      }
      for (int i = 0; i < a.gradients.size(); i++) {
        assertClose(b.gradients.get(i), a.gradients.get(i), tolerance);
      }
      return List.of(a, b);
    }
  }

  record Result(List<float[]> outputs, List<float[]> gradients) {}

  /** The outputs (no noise in these configs) and every gradient. */
  private static Result forwardBackward(Model model, NDArray images, boolean training) {
    NDManager m = model.getNDManager();
    for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
      if (p.getValue().requiresGradient()) {
        p.getValue().getArray().setRequiresGradient(true);
      }
    }
    List<float[]> outputs = new ArrayList<>();
    try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDList out =
          model.getBlock().forward(new ParameterStore(m, false), new NDList(images), training);
      NDArray loss = null;
      for (NDArray o : out) {
        outputs.add(o.toFloatArray());
        // A loss that weighs every output value differently, so each gradient depends on where
        // each value is.
        NDArray weights = m.arange((float) o.size()).reshape(o.getShape()).div(o.size());
        NDArray term = o.mul(weights).sum();
        loss = loss == null ? term : loss.add(term);
      }
      collector.backward(loss);
    }
    List<float[]> gradients = new ArrayList<>();
    for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
      if (p.getValue().requiresGradient()) {
        gradients.add(p.getValue().getArray().getGradient().toFloatArray());
      }
    }
    return new Result(outputs, gradients);
  }

  private static byte[] save(Block block) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      block.saveParameters(out);
    }
    return bytes.toByteArray();
  }

  private static void assertClose(float[] actual, float[] expected, float tolerance) {
    assertThat(actual).hasSameSizeAs(expected);
    float scale = 0;
    for (float e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    for (int i = 0; i < expected.length; i++) {
      assertThat(Math.abs(actual[i] - expected[i]))
          .as("element %d: %s vs %s", i, actual[i], expected[i])
          .isLessThanOrEqualTo(tolerance * Math.max(1f, scale));
    }
  }
}
