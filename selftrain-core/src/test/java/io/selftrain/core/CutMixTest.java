package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.selftrain.Augmenter;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Origin;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CutMixTest {
  private static final Augmenter<ClassTarget> NONE = io.selftrain.augment.Augmenters.none();
  private static final int SIDE = 10;

  /**
   * Uniform grey images, a distinct value per example; pseudo targets alternate between two
   * distributions.
   */
  private static List<Example<ClassTarget>> examples(int n, int firstValue, Origin origin) {
    List<Example<ClassTarget>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] pixels = new byte[SIDE * SIDE];
      Arrays.fill(pixels, (byte) (firstValue + 3 * i));
      ClassTarget target =
          origin == Origin.HUMAN
              ? ClassTarget.index(i % 3, 3)
              : ClassTarget.probabilities(
                  i % 2 == 0 ? new float[] {0.9f, 0.05f, 0.05f} : new float[] {0.1f, 0.1f, 0.8f});
      out.add(new Example<>(Image.of(SIDE, SIDE, 1, pixels), target, origin));
    }
    return out;
  }

  @Test
  void batch_pastesOneRectangleOfTheNextPseudoSlot_targetsMixedByArea_humanSlotsUntouched() {
    List<Example<ClassTarget>> human = examples(6, 5, Origin.HUMAN);
    List<Example<ClassTarget>> pseudo = examples(40, 60, Origin.PSEUDO);
    MixedBatches.Batch a = MixedBatches.mixed(human, pseudo, NONE, 8, 1, 0f, 0, 0, 5).batch(0, 3);
    MixedBatches.Batch b = MixedBatches.mixed(human, pseudo, NONE, 8, 1, 0f, 0, 1.0, 5).batch(0, 3);
    int size = SIDE * SIDE;
    assertThat(Arrays.copyOfRange(b.inputs(), 0, 4 * size))
        .containsExactly(Arrays.copyOfRange(a.inputs(), 0, 4 * size));
    assertThat(Arrays.copyOfRange(((ClassTargetBatch) b.targets()).probabilities(), 0, 12))
        .containsExactly(
            Arrays.copyOfRange(((ClassTargetBatch) a.targets()).probabilities(), 0, 12));
    int cut = 0;
    for (int j = 0; j < 4; j++) {
      int slot = 4 + j;
      int partner = 4 + (j + 1) % 4;
      float own = a.inputs()[slot * size];
      float other = a.inputs()[partner * size];
      assertThat(own).isNotEqualTo(other);
      // the partner's pixels form one axis-aligned rectangle: its bounding box holds only partner
      // pixels
      int top = SIDE, bottom = -1, left = SIDE, right = -1, pasted = 0;
      for (int r = 0; r < SIDE; r++) {
        for (int c = 0; c < SIDE; c++) {
          float v = b.inputs()[slot * size + r * SIDE + c];
          assertThat(v).isIn(own, other);
          if (v == other) {
            pasted++;
            top = Math.min(top, r);
            bottom = Math.max(bottom, r);
            left = Math.min(left, c);
            right = Math.max(right, c);
          }
        }
      }
      if (pasted > 0) {
        assertThat(pasted).isEqualTo((bottom - top + 1) * (right - left + 1));
        cut++;
      }
      assertThat(pasted).isLessThanOrEqualTo(size / 2);
      float weight = 1f - pasted / (float) size;
      for (int k = 0; k < 3; k++) {
        float expected =
            weight * ((ClassTargetBatch) a.targets()).probabilities()[slot * 3 + k]
                + (1 - weight) * ((ClassTargetBatch) a.targets()).probabilities()[partner * 3 + k];
        assertThat(((ClassTargetBatch) b.targets()).probabilities()[slot * 3 + k])
            .isCloseTo(expected, within(1e-5f));
      }
    }
    assertThat(cut).isPositive();
    MixedBatches.Batch again =
        MixedBatches.mixed(human, pseudo, NONE, 8, 1, 0f, 0, 1.0, 5).batch(0, 3);
    assertThat(again.inputs()).containsExactly(b.inputs());
    assertThat(((ClassTargetBatch) again.targets()).probabilities())
        .containsExactly(((ClassTargetBatch) b.targets()).probabilities());
  }

  @Test
  void pastedArea_followsTheFoldedBeta() {
    // mean pasted fraction against 1 - E[max(l, 1 - l)] from the sampler, allowing for rounding to
    // whole pixels
    float[] inputs = new float[2 * 28 * 28];
    float[] targets = new float[2 * 2];
    SplittableRandom rng = new SplittableRandom(3);
    SplittableRandom reference = new SplittableRandom(4);
    double pasted = 0;
    double expected = 0;
    int n = 4000;
    for (int i = 0; i < n; i++) {
      Arrays.fill(inputs, 0, 28 * 28, 0f);
      Arrays.fill(inputs, 28 * 28, inputs.length, 1f);
      CutMix.mixPseudo(inputs, targets, 0, 2, 1, 28, 28, 2, 2.0, rng);
      double sum = 0;
      for (int p = 0; p < 28 * 28; p++) {
        sum += inputs[p];
      }
      pasted += sum / (28 * 28);
      expected += 1 - Mixup.foldedBeta(2.0, reference);
    }
    assertThat(pasted / n).isCloseTo(expected / n, within(0.01));
  }

  @Test
  void builder_rejectsNegativeOrNaNAlpha() {
    assertThatThrownBy(() -> SelfTraining.classification().pseudoCutMix(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pseudoCutMix")
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> SelfTraining.classification().pseudoCutMix(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pseudoCutMix");
  }
}
