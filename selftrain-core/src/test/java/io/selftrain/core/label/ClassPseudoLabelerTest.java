package io.selftrain.core.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.selftrain.ClassTarget;
import io.selftrain.Prediction;
import io.selftrain.PseudoLabel;
import io.selftrain.PseudoLabeler;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClassPseudoLabelerTest {
  private static Prediction<ClassTarget> prediction(float... p) {
    ClassTarget t = ClassTarget.probabilities(p);
    return new Prediction<>(t, t.confidence());
  }

  private static List<PseudoLabel<ClassTarget>> select(
      PseudoLabelConfig config, List<Prediction<ClassTarget>> predictions) {
    return PseudoLabelers.classification(config).select(predictions, new SplittableRandom(7));
  }

  @Test
  void soft_keepsTeacherDistribution() {
    List<PseudoLabel<ClassTarget>> out =
        select(PseudoLabelConfig.soft(), List.of(prediction(0.7f, 0.2f, 0.1f)));
    assertThat(out).hasSize(1);
    assertThat(out.get(0).target().probabilities()).containsExactly(0.7f, 0.2f, 0.1f);
    assertThat(out.get(0).target().isHard()).isFalse();
  }

  @Test
  void soft_temperature_equalsSoftmaxOfScaledLogits() {
    float[] p = {0.6f, 0.3f, 0.1f};
    double t = 2.0;
    // Independent computation: logits = log p, softmax(logits / T).
    double[] e = new double[3];
    double sum = 0;
    for (int k = 0; k < 3; k++) {
      e[k] = Math.exp(Math.log(p[k]) / t);
      sum += e[k];
    }
    float[] got =
        select(PseudoLabelConfig.soft().withTemperature(t), List.of(prediction(p)))
            .get(0)
            .target()
            .probabilities();
    for (int k = 0; k < 3; k++) {
      assertThat((double) got[k]).isCloseTo(e[k] / sum, within(1e-6));
    }
  }

  @Test
  void hard_isArgMaxOneHot() {
    ClassTarget t =
        select(PseudoLabelConfig.hard(), List.of(prediction(0.2f, 0.5f, 0.3f))).get(0).target();
    assertThat(t.isHard()).isTrue();
    assertThat(t.classIndex()).isEqualTo(1);
    assertThat(t.probabilities()).containsExactly(0f, 1f, 0f);
  }

  @Test
  void minConfidence_dropsLessConfidentImages() {
    List<Prediction<ClassTarget>> predictions =
        List.of(prediction(0.9f, 0.1f), prediction(0.55f, 0.45f), prediction(0.2f, 0.8f));
    List<PseudoLabel<ClassTarget>> out =
        select(PseudoLabelConfig.soft().withMinConfidence(0.6), predictions);
    assertThat(out).extracting(PseudoLabel::poolIndex).containsExactly(0, 2);
    assertThat(out).extracting(PseudoLabel::confidence).containsExactly(0.9f, 0.8f);
  }

  @Test
  void balance_downSamplesToMostConfidentAndDuplicatesSmallClasses() {
    List<Prediction<ClassTarget>> predictions = new ArrayList<>();
    // Class 0: four images with confidences 0.6, 0.9, 0.7, 0.8; class 1: one image.
    predictions.add(prediction(0.6f, 0.4f));
    predictions.add(prediction(0.9f, 0.1f));
    predictions.add(prediction(0.7f, 0.3f));
    predictions.add(prediction(0.8f, 0.2f));
    predictions.add(prediction(0.3f, 0.7f));
    List<PseudoLabel<ClassTarget>> out =
        select(PseudoLabelConfig.hard().withPerClass(2), predictions);
    assertThat(out).extracting(PseudoLabel::poolIndex).containsExactly(1, 3, 4, 4);
  }

  @Test
  void balance_fractionalCopiesAverageToTarget() {
    List<Prediction<ClassTarget>> predictions = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      predictions.add(prediction(0.2f, 0.8f));
    }
    predictions.add(prediction(0.9f, 0.1f));
    // 2500 / 1000 = 2.5 copies of each class-1 image; class 0 gets 2500 copies of its one image.
    List<PseudoLabel<ClassTarget>> out =
        select(PseudoLabelConfig.hard().withPerClass(2500), predictions);
    long ones = out.stream().filter(p -> p.target().classIndex() == 1).count();
    long zeros = out.stream().filter(p -> p.target().classIndex() == 0).count();
    assertThat(zeros).isEqualTo(2500);
    assertThat(ones).isBetween(2400L, 2600L);
  }

  @Test
  void autoBalance_usesMeanPerClass() {
    List<Prediction<ClassTarget>> predictions =
        List.of(
            prediction(0.9f, 0.1f),
            prediction(0.8f, 0.2f),
            prediction(0.7f, 0.3f),
            prediction(0.1f, 0.9f));
    List<PseudoLabel<ClassTarget>> out =
        select(PseudoLabelConfig.hard().withPerClass(PseudoLabelConfig.AUTO_BALANCE), predictions);
    assertThat(out).extracting(PseudoLabel::poolIndex).containsExactly(0, 1, 3, 3);
  }

  @Test
  void select_sameSeedSameResult() {
    List<Prediction<ClassTarget>> predictions = new ArrayList<>();
    SplittableRandom data = new SplittableRandom(1);
    for (int i = 0; i < 200; i++) {
      float a = (float) data.nextDouble();
      predictions.add(prediction(a, 1 - a));
    }
    PseudoLabeler<ClassTarget> labeler =
        PseudoLabelers.classification(PseudoLabelConfig.hard().withPerClass(150));
    assertThat(labeler.select(predictions, new SplittableRandom(3)))
        .isEqualTo(labeler.select(predictions, new SplittableRandom(3)));
  }

  @Test
  void minConfidence_outsideUnitInterval() {
    assertThatThrownBy(() -> PseudoLabelConfig.soft().withMinConfidence(1.5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("minConfidence")
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> PseudoLabelConfig.soft().withMinConfidence(-0.1))
        .hasMessageContaining("minConfidence")
        .hasMessageContaining("-0.1");
  }

  @Test
  void temperature_notPositive() {
    assertThatThrownBy(() -> PseudoLabelConfig.soft().withTemperature(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("temperature")
        .hasMessageContaining("0.0");
  }
}
