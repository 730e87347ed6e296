package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.Origin;
import io.selftrain.core.label.MaskPseudoLabelConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pseudo rows' prior correction: offsets from pixel counts, applied to pseudo rows only. */
class PseudoPriorCorrectionTest {
  private static Example<MaskTarget> mask(Origin origin, int... classes) {
    byte[] values = new byte[classes.length];
    for (int i = 0; i < classes.length; i++) {
      values[i] = (byte) classes[i];
    }
    return new Example<>(
        Image.of(1, classes.length, 1, new byte[classes.length]),
        MaskTarget.of(1, classes.length, values),
        origin);
  }

  @Test
  void offsets_areTheLogRatioOfSmoothedPixelPriors_ignoredPixelsSkipped() {
    // human: class 0 x4, class 1 x4, class 2 x2 (10 pixels); pseudo: 0 x6, 1 x1, 2 x0, two ignored
    List<Example<MaskTarget>> human =
        List.of(mask(Origin.HUMAN, 0, 0, 1, 1, 2), mask(Origin.HUMAN, 0, 0, 1, 1, 2));
    List<Example<MaskTarget>> pseudo =
        List.of(mask(Origin.PSEUDO, 0, 0, 0, 255, 1), mask(Origin.PSEUDO, 0, 0, 0, 255, 255));
    float[] offsets = PseudoPriorCorrection.offsets(human, pseudo, 3, 1.0);
    double[] h = {5.0 / 13, 5.0 / 13, 3.0 / 13};
    double[] p = {7.0 / 10, 2.0 / 10, 1.0 / 10};
    for (int c = 0; c < 3; c++) {
      assertThat((double) offsets[c]).isCloseTo(Math.log(p[c] / h[c]), within(1e-6));
    }
    float[] half = PseudoPriorCorrection.offsets(human, pseudo, 3, 0.5);
    assertThat(half[1]).isCloseTo(offsets[1] / 2, within(1e-6f));
    assertThat(offsets[1])
        .isNegative(); // class 1 is rarer in the pseudo masks: its logit is lowered
  }

  @Test
  void batch_addsTheOffsetsToPseudoRowsOnly() {
    float[] offsets = {0.5f, -1.25f};
    List<MaskTarget> masks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      masks.add(MaskTarget.of(2, 2, new byte[4]));
    }
    PriorCorrectedMaskBatch batch = new PriorCorrectedMaskBatch(null, masks, 1, offsets);
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] values = new float[3 * 2 * 2 * 2];
      for (int i = 0; i < values.length; i++) {
        values[i] = i * 0.1f;
      }
      NDArray logits = manager.create(values, new Shape(3, 2, 2, 2));
      float[] adjusted =
          batch.lossInputs(new NDList(logits), manager).singletonOrThrow().toFloatArray();
      for (int i = 0; i < values.length; i++) {
        int row = i / 8;
        int c = (i / 4) % 2;
        float expected = values[i] + (row == 0 ? 0f : offsets[c]);
        assertThat(adjusted[i]).as("value %s", i).isCloseTo(expected, within(1e-6f));
      }
    }
  }

  @Test
  void encoder_correctsStudentBatchesOnly_andKeysTheStudent() {
    SegmentationSupport task =
        new SegmentationSupport(MaskPseudoLabelConfig.paper(), 0, 1.0, 3, null, List.of());
    List<Example<MaskTarget>> human = List.of(mask(Origin.HUMAN, 0, 1, 2));
    List<Example<MaskTarget>> pseudo = List.of(mask(Origin.PSEUDO, 0, 0, 1));
    List<MaskTarget> targets = List.of(human.get(0).target(), pseudo.get(0).target());
    float[] inputs = new float[6];
    assertThat(task.encoder(null, null, true, human, pseudo).encode(inputs, targets, 1, 0, 0))
        .isInstanceOfSatisfying(
            PriorCorrectedMaskBatch.class,
            b ->
                assertThat(b.offsets())
                    .containsExactly(PseudoPriorCorrection.offsets(human, pseudo, 3, 1.0)));
    assertThat(task.encoder(null, null, false, human, List.of()).encode(inputs, targets, 2, 0, 0))
        .isInstanceOf(EncodedTargetBatch.class);
    assertThat(task.pseudoOnlyNoise()).containsExactly("priorCorrection=1.0");
  }

  @Test
  void builder_rejectsNegativeOrNaNStrength() {
    assertThatThrownBy(() -> SelfTraining.segmentation().pseudoPriorCorrection(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pseudoPriorCorrection must be a finite non-negative number: -1.0");
    assertThatThrownBy(() -> SelfTraining.segmentation().pseudoPriorCorrection(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pseudoPriorCorrection");
  }
}
