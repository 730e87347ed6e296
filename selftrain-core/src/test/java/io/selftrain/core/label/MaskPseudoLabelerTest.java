package io.selftrain.core.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.selftrain.MaskTarget;
import io.selftrain.Prediction;
import io.selftrain.PseudoLabel;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MaskPseudoLabelerTest {
  private static final int I = MaskTarget.IGNORE;

  private static Prediction<MaskTarget> predicted(int[] classes, float[] confidences) {
    byte[] b = new byte[classes.length];
    for (int p = 0; p < b.length; p++) {
      b[p] = (byte) classes[p];
    }
    return new Prediction<>(MaskTarget.of(2, 2, b, confidences), 0.5f);
  }

  private static int[] values(MaskTarget mask) {
    byte[] b = mask.classes();
    int[] out = new int[b.length];
    for (int p = 0; p < b.length; p++) {
      out[p] = b[p] & 0xFF;
    }
    return out;
  }

  @Test
  void paperRule_keepsPixelsAtOrAboveHalf_othersIgnored_confidenceIsTheMeanOfKeptPixels() {
    Prediction<MaskTarget> p =
        predicted(new int[] {1, 2, 0, 3}, new float[] {0.9f, 0.5f, 0.49f, 0.7f});
    List<PseudoLabel<MaskTarget>> labels =
        PseudoLabelers.segmentation(MaskPseudoLabelConfig.paper())
            .select(List.of(p), new SplittableRandom(1));
    assertThat(labels).hasSize(1);
    assertThat(labels.get(0).poolIndex()).isEqualTo(0);
    assertThat(values(labels.get(0).target())).containsExactly(1, 2, I, 3);
    assertThat(labels.get(0).target().hasConfidences()).isFalse();
    assertThat((double) labels.get(0).confidence()).isCloseTo((0.9 + 0.5 + 0.7) / 3, within(1e-6));
  }

  @Test
  void pixelsTheTeacherIgnoredStayIgnored_andAMaskWithoutConfidencesIsTakenAsItIs() {
    Prediction<MaskTarget> ignoredByTeacher =
        predicted(new int[] {I, 1, 1, 1}, new float[] {1f, 1f, 1f, 1f});
    Prediction<MaskTarget> plain =
        new Prediction<>(MaskTarget.of(2, 2, new byte[] {0, (byte) I, 4, 4}), 0.8f);
    List<PseudoLabel<MaskTarget>> labels =
        PseudoLabelers.segmentation(MaskPseudoLabelConfig.paper().withThreshold(0.95))
            .select(List.of(ignoredByTeacher, plain), new SplittableRandom(1));
    assertThat(values(labels.get(0).target())).containsExactly(I, 1, 1, 1);
    assertThat(values(labels.get(1).target())).containsExactly(0, I, 4, 4);
    assertThat(labels.get(1).confidence()).isEqualTo(0.8f);
  }

  @Test
  void minLabeledFraction_dropsSparseMasks_keepsTheRestInPoolOrder() {
    Prediction<MaskTarget> half =
        predicted(new int[] {1, 1, 1, 1}, new float[] {0.9f, 0.9f, 0.1f, 0.1f});
    Prediction<MaskTarget> quarter =
        predicted(new int[] {1, 1, 1, 1}, new float[] {0.9f, 0.1f, 0.1f, 0.1f});
    Prediction<MaskTarget> none =
        predicted(new int[] {1, 1, 1, 1}, new float[] {0.1f, 0.1f, 0.1f, 0.1f});
    List<Prediction<MaskTarget>> all = List.of(half, quarter, none, half);
    assertThat(
            PseudoLabelers.segmentation(MaskPseudoLabelConfig.paper().withMinLabeledFraction(0.5))
                .select(all, new SplittableRandom(1)))
        .extracting(PseudoLabel::poolIndex)
        .containsExactly(0, 3);
    // By default every image is kept, an all-ignored one with confidence 0.
    List<PseudoLabel<MaskTarget>> kept =
        PseudoLabelers.segmentation(MaskPseudoLabelConfig.paper())
            .select(all, new SplittableRandom(1));
    assertThat(kept).extracting(PseudoLabel::poolIndex).containsExactly(0, 1, 2, 3);
    assertThat(values(kept.get(2).target())).containsExactly(I, I, I, I);
    assertThat(kept.get(2).confidence()).isEqualTo(0f);
  }

  @Test
  void config_rangesAndDescription() {
    assertThat(MaskPseudoLabelConfig.paper().describe()).isEqualTo("masks(p>=0.500)");
    assertThat(
            MaskPseudoLabelConfig.paper()
                .withThreshold(0.7)
                .withMinLabeledFraction(0.25)
                .describe())
        .isEqualTo("masks(p>=0.700, labeled>=0.250)");
    assertThatThrownBy(() -> MaskPseudoLabelConfig.paper().withThreshold(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("threshold must be in (0, 1]: 0.0");
    assertThatThrownBy(() -> MaskPseudoLabelConfig.paper().withMinLabeledFraction(1.5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("minLabeledFraction must be in [0, 1]: 1.5");
  }

  @Test
  void classBalance_lowersARareClassThreshold_toKeepItsFraction_othersKeepThePaperRule() {
    // Class 1: confidences 0.20, 0.30, 0.40, 0.90 over two images; the paper's 0.5 keeps 1 of 4.
    // Keeping at least half lowers its threshold to 0.40. Class 2 keeps 4 of 4 at 0.5 already; its
    // 0.45 pixel and class 0's 0.1 stay ignored.
    Prediction<MaskTarget> a =
        predicted(new int[] {1, 1, 2, 2}, new float[] {0.2f, 0.9f, 0.45f, 0.6f});
    Prediction<MaskTarget> b =
        predicted(new int[] {1, 1, 2, 0}, new float[] {0.3f, 0.4f, 0.7f, 0.1f});
    Prediction<MaskTarget> c =
        predicted(new int[] {2, 2, 0, 0}, new float[] {0.8f, 0.9f, 0.95f, 0.97f});
    List<PseudoLabel<MaskTarget>> labels =
        PseudoLabelers.segmentation(MaskPseudoLabelConfig.paper().withClassBalance(0.5))
            .select(List.of(a, b, c), new SplittableRandom(1));
    assertThat(values(labels.get(0).target())).containsExactly(I, 1, I, 2);
    assertThat(values(labels.get(1).target())).containsExactly(I, 1, 2, I);
    assertThat(values(labels.get(2).target())).containsExactly(2, 2, 0, 0);
    assertThat(MaskPseudoLabelConfig.paper().withClassBalance(0.5).describe())
        .isEqualTo("masks(p>=0.500, class-balanced>=0.500)");
    assertThatThrownBy(() -> MaskPseudoLabelConfig.paper().withClassBalance(1.0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("classBalance must be in [0, 1): 1.0");
  }
}
