package io.selftrain.models.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.selftrain.models.EfficientNet;
import org.junit.jupiter.api.Test;

class NasFpnRetinaNetTest {
  /** tiny64's backbone and heads on 128 px inputs, P3 to P7, with a 2-cell NAS-FPN neck. */
  private static final RetinaNetConfig TINY_NAS_FPN =
      RetinaNet.tiny64()
          .withInputSize(128)
          .withAnchors(AnchorConfig.builder().anchorSize(2.0).build())
          .withNeck(RetinaNetConfig.Neck.NAS_FPN)
          .withNasFpnRepeats(2);

  @Test
  void config_neckDefaultsToFpn_nasFpnFollowsTheChannels() {
    RetinaNetConfig b0 = RetinaNet.Variant.B0.config();
    assertThat(b0.neck()).isEqualTo(RetinaNetConfig.Neck.FPN);
    RetinaNetConfig nas = RetinaNet.Variant.B0.nasFpnConfig();
    assertThat(nas.name()).isEqualTo("retinanet-nasfpn-b0");
    assertThat(nas.neck()).isEqualTo(RetinaNetConfig.Neck.NAS_FPN);
    assertThat(nas.nasFpn()).isEqualTo(NasFpnConfig.builder().channels(256).numRepeats(5).build());
    assertThat(TINY_NAS_FPN.nasFpn().channels()).isEqualTo(16);
    assertThat(TINY_NAS_FPN.nasFpn().numRepeats()).isEqualTo(2);
  }

  @Test
  void config_nasFpnNeedsLevels3To7() {
    assertThatThrownBy(() -> RetinaNet.tiny64().withNeck(RetinaNetConfig.Neck.NAS_FPN))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("NAS_FPN")
        .hasMessageContaining("3 to 6");
    assertThatThrownBy(() -> TINY_NAS_FPN.withNasFpnRepeats(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nasFpnRepeats")
        .hasMessageContaining("0");
  }

  @Test
  void block_nasFpnNeck_outputsOneRowPerAnchor() {
    int anchors = RetinaNet.numAnchors(TINY_NAS_FPN);
    assertThat(anchors).isEqualTo((256 + 64 + 16 + 4 + 1) * 9);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = RetinaNet.block(TINY_NAS_FPN);
      Shape input = new Shape(2, 3, 128, 128);
      block.initialize(manager, DataType.FLOAT32, input);
      NDList out =
          block.forward(
              new ParameterStore(manager, false),
              new NDList(manager.randomUniform(0, 1, input)),
              true);
      Shape classes = new Shape(2, anchors, 2);
      Shape boxes = new Shape(2, anchors, 4);
      assertThat(out.getShapes()).containsExactly(classes, boxes);
      assertThat(block.getOutputShapes(new Shape[] {input})).containsExactly(classes, boxes);
      assertThat(out.get(0).isNaN().any().getBoolean()).isFalse();
      assertThat(block.getChildren().get("02pyramid")).isInstanceOf(NasFpnBlock.class);
    }
  }

  @Test
  void parameterCount_equalsInitializedBlock() {
    assertParameterCount(TINY_NAS_FPN);
    assertParameterCount(RetinaNet.Variant.B0.nasFpnConfig());
  }

  @Test
  void parameterCount_b0_swapsTheNeck() {
    RetinaNetConfig fpn = RetinaNet.Variant.B0.config();
    RetinaNetConfig nas = RetinaNet.Variant.B0.nasFpnConfig();
    int[] c = EfficientNet.featureChannels(EfficientNet.b0()); // 40, 112, 320
    // FPN: laterals and 3x3 outputs on C3..C5, P6 from C5 and P7 by 3x3 stride-2 convs
    long fpnNeck =
        (40 + 112 + 320) * 256L
            + 3 * 256
            + 3 * (9 * 256L * 256 + 256)
            + (9 * 320L * 256 + 256)
            + (9 * 256L * 256 + 256);
    // NAS-FPN: 1x1 conv + BN on C3..C5, then 5 cells of 7 nodes (3x3 conv + BN)
    long nasNeck = (40 + 112 + 320) * 256L + 3 * (256 + 512) + 5 * 7 * (9 * 256L * 256 + 256 + 512);
    assertThat(NasFpn.parameterCount(nas.nasFpn(), c)).isEqualTo(nasNeck);
    assertThat(RetinaNet.parameterCount(nas) - RetinaNet.parameterCount(fpn))
        .isEqualTo(nasNeck - fpnNeck);
    assertThat(RetinaNet.parameterCount(nas)).isEqualTo(30_872_944L);
  }

  private static void assertParameterCount(RetinaNetConfig config) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = RetinaNet.block(config);
      block.initialize(
          manager, DataType.FLOAT32, new Shape(1, config.backbone().inputChannels(), 128, 128));
      long trainable = 0;
      for (Pair<String, Parameter> p : block.getParameters()) {
        if (p.getValue().requiresGradient()) {
          trainable += p.getValue().getArray().size();
        }
      }
      assertThat(trainable).as(config.name()).isEqualTo(RetinaNet.parameterCount(config));
    }
  }
}
