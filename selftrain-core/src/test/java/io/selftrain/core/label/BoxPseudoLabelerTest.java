package io.selftrain.core.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.selftrain.BoxesTarget;
import io.selftrain.Prediction;
import io.selftrain.PseudoLabel;
import io.selftrain.PseudoLabeler;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BoxPseudoLabelerTest {
  private static Prediction<BoxesTarget> detections(float... scores) {
    float[] boxes = new float[4 * scores.length];
    int[] classes = new int[scores.length];
    for (int i = 0; i < scores.length; i++) {
      boxes[4 * i] = i;
      boxes[4 * i + 1] = i;
      boxes[4 * i + 2] = i + 10;
      boxes[4 * i + 3] = i + 12;
      classes[i] = i % 3;
    }
    float[] ones = new float[scores.length];
    java.util.Arrays.fill(ones, 1f);
    float best = 0;
    for (float s : scores) {
      best = Math.max(best, s);
    }
    return new Prediction<>(BoxesTarget.of(boxes, classes, scores, ones), best);
  }

  @Test
  void select_keepsBoxesAtOrAboveTheThreshold_dropsImagesWithoutOne() {
    PseudoLabeler<BoxesTarget> labeler = PseudoLabelers.detection(BoxPseudoLabelConfig.paper());
    List<PseudoLabel<BoxesTarget>> labels =
        labeler.select(
            List.of(detections(0.9f, 0.5f, 0.49f), detections(0.3f, 0.2f), detections()),
            new SplittableRandom(1));
    assertThat(labels).hasSize(1);
    PseudoLabel<BoxesTarget> kept = labels.get(0);
    assertThat(kept.poolIndex()).isZero();
    assertThat(kept.target().scores()).containsExactly(0.9f, 0.5f);
    assertThat(kept.target().classes()).containsExactly(0, 1);
    assertThat(kept.target().boxes()).containsExactly(0, 0, 10, 12, 1, 1, 11, 13);
    assertThat(kept.target().weights()).containsExactly(1f, 1f);
    assertThat(kept.confidence()).isCloseTo(0.7f, within(1e-6f));
  }

  @Test
  void select_keepEmpty_trainsImagesWithoutABoxAsBackground() {
    PseudoLabeler<BoxesTarget> labeler =
        PseudoLabelers.detection(
            BoxPseudoLabelConfig.paper().withScoreThreshold(0.6).withKeepEmpty(true));
    List<PseudoLabel<BoxesTarget>> labels =
        labeler.select(List.of(detections(0.55f, 0.2f), detections(0.8f)), new SplittableRandom(1));
    assertThat(labels).extracting(PseudoLabel::poolIndex).containsExactly(0, 1);
    assertThat(labels.get(0).target().size()).isZero();
    assertThat(labels.get(0).confidence()).isCloseTo(0.45f, within(1e-6f));
    assertThat(labels.get(1).target().scores()).containsExactly(0.8f);
  }

  @Test
  void select_crossClassNms_keepsTheBestClassOfAnObject() {
    // One object reported as class 0 (0.40) and class 1 (0.35); a separate object of class 1 (0.3).
    BoxesTarget detections =
        BoxesTarget.of(
            new float[] {0, 0, 10, 10, 0, 0, 10, 9, 20, 20, 30, 30},
            new int[] {0, 1, 1},
            new float[] {0.40f, 0.35f, 0.3f},
            new float[] {1, 1, 1});
    List<Prediction<BoxesTarget>> predictions = List.of(new Prediction<>(detections, 0.4f));
    BoxPseudoLabelConfig rules = BoxPseudoLabelConfig.paper().withScoreThreshold(0.2);
    assertThat(
            PseudoLabelers.detection(rules)
                .select(predictions, new SplittableRandom(1))
                .get(0)
                .target()
                .classes())
        .containsExactly(0, 1, 1);
    BoxesTarget kept =
        PseudoLabelers.detection(rules.withCrossClassNms(true))
            .select(predictions, new SplittableRandom(1))
            .get(0)
            .target();
    assertThat(kept.classes()).containsExactly(0, 1);
    assertThat(kept.scores()).containsExactly(0.40f, 0.3f);
    assertThat(PseudoLabelers.detection(rules.withCrossClassNms(true)).describe())
        .isEqualTo("boxes(score>=0.200, empty=dropped, cross-class NMS)");
  }

  @Test
  void select_ignoreBand_keepsUncertainBoxesAsIgnoredRegions() {
    BoxPseudoLabelConfig rules =
        BoxPseudoLabelConfig.paper().withScoreThreshold(0.5).withIgnoreScore(0.2);
    List<PseudoLabel<BoxesTarget>> labels =
        PseudoLabelers.detection(rules)
            .select(
                List.of(detections(0.9f, 0.3f, 0.1f), detections(0.4f)), new SplittableRandom(1));
    // Image 1 has only an uncertain box: no positive, so it is dropped like an empty image.
    assertThat(labels).hasSize(1);
    BoxesTarget kept = labels.get(0).target();
    assertThat(kept.scores()).containsExactly(0.9f, 0.3f);
    assertThat(kept.weights()).containsExactly(1f, 0f);
    assertThat(labels.get(0).confidence()).isEqualTo(0.9f);
    assertThat(PseudoLabelers.detection(rules).describe())
        .isEqualTo("boxes(score>=0.500, empty=dropped, ignored>=0.200)");
    assertThatThrownBy(() -> rules.withIgnoreScore(0.6))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ignoreScore must be in [0, scoreThreshold = 0.5]: 0.6");
  }

  @Test
  void describe_namesThresholdAndEmptyRule() {
    assertThat(PseudoLabelers.detection(BoxPseudoLabelConfig.paper()).describe())
        .isEqualTo("boxes(score>=0.500, empty=dropped)");
  }

  @Test
  void config_rejectsAThresholdOutsideTheUnitInterval() {
    assertThatThrownBy(() -> BoxPseudoLabelConfig.paper().withScoreThreshold(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("scoreThreshold must be in (0, 1]: 0.0");
  }
}
