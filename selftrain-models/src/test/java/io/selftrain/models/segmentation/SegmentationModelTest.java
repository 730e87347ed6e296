package io.selftrain.models.segmentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.selftrain.models.EfficientNet;
import io.selftrain.models.EfficientNetConfig;
import io.selftrain.models.detection.NasFpn;
import io.selftrain.models.detection.NasFpnConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class SegmentationModelTest {

  @Test
  void variant_b7_isThePascalRecipe() {
    SegmentationConfig b7 = Segmentation.Variant.B7.config();
    assertThat(b7.name()).isEqualTo("nasfpn-seg-b7");
    assertThat(b7.backbone()).isEqualTo(EfficientNet.b7());
    assertThat(b7.numClasses()).isEqualTo(21);
    assertThat(b7.inputSize()).isEqualTo(512);
    assertThat(b7.headConvs()).isEqualTo(3);
    assertThat(b7.minPixelConfidence()).isEqualTo(0f);
    NasFpnConfig neck = b7.nasFpn();
    assertThat(neck.channels()).isEqualTo(256);
    assertThat(neck.numRepeats()).isEqualTo(7);
    assertThat(neck.separableConv()).isTrue();
    assertThat(neck.batchNormMomentum()).isEqualTo(0.997f);
    assertThat(neck.batchNormEpsilon()).isEqualTo(1e-3f);
    assertThat(neck.nodes()).isEqualTo(NasFpn.cell());
  }

  @Test
  void config_ranges() {
    SegmentationConfig tiny = Segmentation.tiny64();
    assertThatThrownBy(() -> tiny.withNumClasses(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("numClasses")
        .hasMessageContaining("1");
    assertThatThrownBy(() -> tiny.withNumClasses(256))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("numClasses")
        .hasMessageContaining("256");
    assertThatThrownBy(() -> tiny.withInputSize(60))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("inputSize")
        .hasMessageContaining("60");
    assertThatThrownBy(() -> tiny.withHeadConvs(-1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("headConvs")
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> tiny.withMinPixelConfidence(1.5f))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("minPixelConfidence")
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> tiny.withName(" "))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("name");
  }

  @Test
  void block_outputIsLogitsAtInputSize() {
    SegmentationConfig config = Segmentation.tiny64().withNumClasses(5);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = Segmentation.block(config);
      Shape input = new Shape(2, 3, 64, 64);
      block.initialize(manager, DataType.FLOAT32, input);
      NDArray logits =
          block
              .forward(
                  new ParameterStore(manager, false),
                  new NDList(manager.randomUniform(0, 1, input)),
                  false)
              .singletonOrThrow();
      assertThat(logits.getShape()).isEqualTo(new Shape(2, 5, 64, 64));
      assertThat(block.getOutputShapes(new Shape[] {input}))
          .containsExactly(new Shape(2, 5, 64, 64));
      assertThat(logits.isNaN().any().getBoolean()).isFalse();
      // other multiples of 8 work too (level 2 is 2 x 12 cells here; P6 and P7 round up)
      Shape wide = new Shape(2, 3, 48, 96);
      NDArray other =
          block
              .forward(
                  new ParameterStore(manager, false),
                  new NDList(manager.randomUniform(0, 1, wide)),
                  true)
              .singletonOrThrow();
      assertThat(other.getShape()).isEqualTo(new Shape(2, 5, 48, 96));
    }
  }

  @Test
  void parameterCount_tinyVariants_equalInitializedBlock() {
    SegmentationConfig tiny = Segmentation.tiny64();
    assertParameterCount(tiny);
    assertParameterCount(tiny.withHeadConvs(0).withNumClasses(7));
    assertParameterCount(
        tiny.withNasFpn(tiny.nasFpn().withSeparableConv(true).withNumRepeats(1).withChannels(24)));
  }

  @Test
  void parameterCount_b0Variant_equalsInitializedBlock() {
    assertParameterCount(Segmentation.Variant.B0.config());
  }

  @Test
  void parameterCount_b7_fromTheLayout() {
    SegmentationConfig b7 = Segmentation.Variant.B7.config();
    EfficientNetConfig backbone = EfficientNet.b7();
    assertThat(EfficientNet.featureChannels(backbone)).containsExactly(80, 224, 640);
    // separable 1x1 resampling of C3..C5 (depthwise c, pointwise c * 256 + 256, BN 512)
    long resample = (80 + 224 + 640) * 257L + 3 * (256 + 512);
    // 7 cells x 7 nodes of separable 3x3 (9 * 256 + 256 * 256 + 256) + BN
    long cells = 7 * 7 * (9 * 256L + 256 * 256 + 256 + 512);
    long head = 3 * (9 * 256L * 256 + 256 + 512) + 256 * 21 + 21;
    long count = EfficientNet.featuresParameterCount(backbone) + resample + cells + head;
    assertThat(Segmentation.parameterCount(b7)).isEqualTo(count).isEqualTo(67_527_317L);
    // The released README lists 71M (B7) and 485M (L2); with the backbone's unused classification
    // head
    // (1x1 conv, BN, 1000-class classifier) the counts land just above those figures.
    long b7Head =
        EfficientNet.parameterCount(backbone) - EfficientNet.featuresParameterCount(backbone);
    assertThat((count + b7Head) / 1_000_000).isEqualTo(71);
    SegmentationConfig l2 = Segmentation.Variant.L2.config();
    long l2Head =
        EfficientNet.parameterCount(EfficientNet.l2())
            - EfficientNet.featuresParameterCount(EfficientNet.l2());
    assertThat(Segmentation.parameterCount(l2)).isEqualTo(472_883_289L);
    assertThat((Segmentation.parameterCount(l2) + l2Head) / 1_000_000).isEqualTo(485);
  }

  @Test
  void block_saveAndLoad_reproducesOutputs() throws IOException, MalformedModelException {
    SegmentationConfig config =
        Segmentation.tiny64().withNasFpn(Segmentation.tiny64().nasFpn().withSeparableConv(true));
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Shape input = new Shape(2, 3, 64, 64);
      Block trained = Segmentation.block(config);
      trained.initialize(manager, DataType.FLOAT32, input);
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray x = manager.randomUniform(0, 1, input);
      trained.forward(ps, new NDList(x), true); // moves the batch norm running statistics
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      trained.saveParameters(new DataOutputStream(bytes));
      Block loaded = Segmentation.block(config);
      loaded.initialize(manager, DataType.FLOAT32, input);
      loaded.loadParameters(
          manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      float[] a = trained.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
      float[] b = loaded.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
      assertThat(b).containsExactly(a);
    }
  }

  private static void assertParameterCount(SegmentationConfig config) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = Segmentation.block(config);
      block.initialize(
          manager, DataType.FLOAT32, new Shape(1, config.backbone().inputChannels(), 64, 64));
      long trainable = 0;
      for (Pair<String, Parameter> p : block.getParameters()) {
        if (p.getValue().requiresGradient()) {
          trainable += p.getValue().getArray().size();
        }
      }
      assertThat(trainable).as(config.name()).isEqualTo(Segmentation.parameterCount(config));
    }
  }
}
