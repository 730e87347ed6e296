package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import io.selftrain.MaskTarget;
import io.selftrain.PseudoLabel;
import io.selftrain.core.label.MaskPseudoLabelConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PseudoMaskStatisticsTest {
  private static final byte I = (byte) MaskTarget.IGNORE;

  @Test
  void statistics_againstHandCounts() {
    // Pool of 3 images of 2x2 pixels (12 pixels); image 1 was dropped.
    MaskTarget p0 =
        MaskTarget.of(2, 2, new byte[] {1, 1, 2, 0}, new float[] {0.9f, 0.8f, 0.6f, 0.3f});
    MaskTarget p1 =
        MaskTarget.of(2, 2, new byte[] {1, 1, 1, 1}, new float[] {0.2f, 0.2f, 0.2f, 0.2f});
    MaskTarget p2 =
        MaskTarget.of(2, 2, new byte[] {0, 0, 2, 2}, new float[] {1f, 0.7f, 0.5f, 0.4f});
    List<PseudoLabel<MaskTarget>> labels =
        List.of(
            new PseudoLabel<>(0, MaskTarget.of(2, 2, new byte[] {1, 1, 2, I}), 0.7667f),
            new PseudoLabel<>(2, MaskTarget.of(2, 2, new byte[] {0, 0, 2, I}), 0.7333f));
    List<MaskTarget> truth =
        List.of(
            MaskTarget.of(2, 2, new byte[] {1, 2, 2, 0}),
            MaskTarget.of(2, 2, new byte[] {1, 1, 1, 1}),
            MaskTarget.of(2, 2, new byte[] {0, I, 1, 2}));
    PseudoMaskStats s = PseudoMaskStatistics.of(List.of(p0, p1, p2), labels, truth, 3);
    assertThat(s.pool()).isEqualTo(3);
    assertThat(s.kept()).isEqualTo(2);
    assertThat(s.labeledFraction()).isEqualTo(6.0 / 12);
    assertThat(s.classHistogram()).containsExactly(2, 2, 2);
    assertThat(s.meanConfidence()).isCloseTo((0.9 + 0.8 + 0.6 + 1.0 + 0.7 + 0.5) / 6, within(1e-6));
    // Judged pixels: image 0 all three (1=1, 1≠2, 2=2); image 2: (0=0), the ignored true pixel
    // skipped, (2≠1).
    assertThat(s.pixelAccuracy()).isEqualTo(3.0 / 5);
    assertThat(PseudoMaskStatistics.of(List.of(p0, p1, p2), labels, null, 3).pixelAccuracy())
        .isEqualTo(-1.0);

    // The record survives the work directory's JSON.
    JsonObject stored = ResultJson.GSON.toJsonTree(s.asMap()).getAsJsonObject();
    assertThat(
            new SegmentationSupport(MaskPseudoLabelConfig.paper(), 0, 0, 3, null, List.of())
                .summaryFrom(stored))
        .isEqualTo(s);
    assertThat(s.toString())
        .isEqualTo(
            "2 of 3 images, 50.0% of pixels labeled, mean confidence 0.750, pixel accuracy 0.600");

    assertThatThrownBy(() -> PseudoMaskStatistics.of(List.of(p0, p1, p2), labels, truth, 2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the teacher labeled pool image 0 with class 2, but the run has 2 classes");
  }

  @Test
  void codec_roundTrip_andDamagedValuesAreReported() throws IOException {
    MaskTargetCodec codec = new MaskTargetCodec(3);
    MaskTarget mask = MaskTarget.of(2, 3, new byte[] {0, 1, 2, I, 1, 0});
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    codec.write(mask, new DataOutputStream(bytes));
    byte[] written = bytes.toByteArray();
    assertThat(written).hasSize(8 + 6);
    assertThat(codec.read(new DataInputStream(new ByteArrayInputStream(written)), 3))
        .isEqualTo(mask);
    written[8 + 2] = 7;
    assertThatThrownBy(() -> codec.read(new DataInputStream(new ByteArrayInputStream(written)), 3))
        .isInstanceOf(IOException.class)
        .hasMessage("pixel 2 has class 7 of 3 classes");
    written[3] = 0;
    assertThatThrownBy(() -> codec.read(new DataInputStream(new ByteArrayInputStream(written)), 3))
        .isInstanceOf(IOException.class)
        .hasMessage("impossible mask size: 0x3");
  }
}
