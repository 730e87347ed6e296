package io.selftrain.models.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selftrain.models.EfficientNet;
import org.junit.jupiter.api.Test;

class RetinaNetConfigTest {

  @Test
  void variant_b0_carriesPaperDefaults() {
    RetinaNetConfig b0 = RetinaNet.Variant.B0.config();
    assertThat(b0.name()).isEqualTo("retinanet-b0");
    assertThat(b0.backbone()).isEqualTo(EfficientNet.b0());
    assertThat(b0.numClasses()).isEqualTo(80);
    assertThat(b0.inputSize()).isEqualTo(640);
    assertThat(b0.fpnChannels()).isEqualTo(256);
    assertThat(b0.headDepth()).isEqualTo(4);
    assertThat(b0.headWidth()).isEqualTo(256);
    assertThat(b0.minLevel()).isEqualTo(3);
    assertThat(b0.maxLevel()).isEqualTo(7);
    assertThat(b0.anchors().anchorsPerLocation()).isEqualTo(9);
    assertThat(b0.matchThreshold()).isEqualTo(0.5f);
    assertThat(b0.unmatchedThreshold()).isEqualTo(0.4f);
    assertThat(b0.focalAlpha()).isEqualTo(0.25f);
    assertThat(b0.focalGamma()).isEqualTo(1.5f);
    assertThat(b0.huberDelta()).isEqualTo(0.1f);
    assertThat(b0.boxLossWeight()).isEqualTo(50f);
    assertThat(b0.scoreThreshold()).isEqualTo(0.05f);
    assertThat(b0.preNmsTopK()).isEqualTo(1000);
    assertThat(b0.nmsIouThreshold()).isEqualTo(0.5f);
    assertThat(b0.maxDetections()).isEqualTo(100);
    // 640 px: 80^2 + 40^2 + 20^2 + 10^2 + 5^2 locations, 9 anchors each
    assertThat(RetinaNet.numAnchors(b0)).isEqualTo(76_725);
  }

  @Test
  void variant_parameterCountsGrowWithTheBackbone() {
    long previous = 0;
    for (RetinaNet.Variant v : RetinaNet.Variant.values()) {
      long count = RetinaNet.parameterCount(v.config());
      assertThat(count).as(v.name()).isGreaterThan(previous);
      previous = count;
    }
  }

  @Test
  void config_inputSizeNotMultipleOfCoarsestStride() {
    assertThatThrownBy(() -> RetinaNet.Variant.B0.config().withInputSize(600))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("inputSize")
        .hasMessageContaining("128")
        .hasMessageContaining("600");
  }

  @Test
  void config_minLevelBelowBackbone() {
    assertThatThrownBy(
            () ->
                RetinaNet.tiny64()
                    .withAnchors(AnchorConfig.builder().minLevel(2).maxLevel(6).build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("minLevel")
        .hasMessageContaining("2");
  }

  @Test
  void config_unmatchedAboveMatchThreshold() {
    assertThatThrownBy(() -> RetinaNet.tiny64().withUnmatchedThreshold(0.6f))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unmatchedThreshold")
        .hasMessageContaining("0.6");
  }

  @Test
  void config_numClassesZero() {
    assertThatThrownBy(() -> RetinaNet.tiny64().withNumClasses(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("numClasses")
        .hasMessageContaining("0");
  }

  @Test
  void config_negativeHeadDepth() {
    assertThatThrownBy(() -> RetinaNet.tiny64().withHeadDepth(-1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("headDepth")
        .hasMessageContaining("-1");
  }

  @Test
  void config_preNmsTopKZero() {
    assertThatThrownBy(() -> RetinaNet.tiny64().withPreNmsTopK(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("preNmsTopK")
        .hasMessageContaining("0");
  }
}
