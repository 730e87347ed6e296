package io.selftrain.models;

import static io.selftrain.models.ChannelsLastSequentialBlockTest.assertSameAsPlain;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.Shape;
import io.selftrain.models.detection.RetinaNet;
import io.selftrain.models.segmentation.Segmentation;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link EfficientNetConfig#fusedOps()}: the same network up to float rounding, named apart. */
class FusedOpsTest {
  @BeforeAll
  static void offline() {
    System.setProperty("ai.djl.offline", "true");
  }

  @Test
  void efficientNet_fusedOps_computeThePlainLogitsAndGradients_inTrainingMode()
      throws IOException, MalformedModelException {
    EfficientNetConfig noiseless = EfficientNet.tiny28().withDropout(0f).withStochasticDepth(0f);
    List<ChannelsLastSequentialBlockTest.Result> results =
        assertSameAsPlain(
            fused -> EfficientNet.classifier(noiseless.withFusedOps(fused)),
            new Shape(4, 3, 28, 28),
            true,
            1e-4f);
    assertFusedPathTaken(results);
  }

  @Test
  void efficientNetFeatures_fusedOps_computeThePlainEndpointsAndGradients()
      throws IOException, MalformedModelException {
    EfficientNetConfig noiseless = EfficientNet.tiny64().withDropout(0f).withStochasticDepth(0f);
    List<ChannelsLastSequentialBlockTest.Result> results =
        assertSameAsPlain(
            fused -> EfficientNet.features(noiseless.withFusedOps(fused).withChannelsLast(fused)),
            new Shape(2, 3, 64, 64),
            false,
            1e-4f);
    assertFusedPathTaken(results);
  }

  @Test
  void name_marksFusedOps_beforeTheLayout_onEveryEfficientNetStudent() {
    assertThat(EfficientNet.student(EfficientNet.b0().withFusedOps(true)).name())
        .isEqualTo("efficientnet-b0-fused");
    assertThat(
            EfficientNet.student(EfficientNet.b0().withFusedOps(true).withChannelsLast(true))
                .name())
        .isEqualTo("efficientnet-b0-fused-cl");
    String detector = RetinaNet.student(RetinaNet.tiny64()).name();
    assertThat(
            RetinaNet.student(
                    RetinaNet.tiny64()
                        .withBackbone(RetinaNet.tiny64().backbone().withFusedOps(true)))
                .name())
        .isEqualTo(detector + "-fused");
    String segmenter = Segmentation.student(Segmentation.tiny64()).name();
    assertThat(
            Segmentation.student(
                    Segmentation.tiny64()
                        .withBackbone(Segmentation.tiny64().backbone().withFusedOps(true)))
                .name())
        .isEqualTo(segmenter + "-fused");
  }

  /**
   * The fused network rounds differently somewhere: equal bits everywhere would mean the option
   * never reached the operations.
   */
  private static void assertFusedPathTaken(List<ChannelsLastSequentialBlockTest.Result> results) {
    ChannelsLastSequentialBlockTest.Result plain = results.get(0);
    ChannelsLastSequentialBlockTest.Result fused = results.get(1);
    boolean anyDiffers = false;
    for (int i = 0; i < plain.gradients().size(); i++) {
      anyDiffers |= !Arrays.equals(plain.gradients().get(i), fused.gradients().get(i));
    }
    assertThat(anyDiffers).as("some gradient differs in its last bits").isTrue();
  }
}
