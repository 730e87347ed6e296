package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.Origin;
import io.selftrain.core.label.MaskPseudoLabelConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** CutMix between the pseudo examples of segmentation batches: images and masks cut alike. */
class MaskCutMixTest {
  private static final int HEIGHT = 8;
  private static final int WIDTH = 10;
  private static final int CHANNELS = 3;
  private static final int HUMAN = 2;
  private static final int SLOTS = 6;

  /** Slot s: every value of every channel is s + 0.5 (channel c adds 10 c). */
  private static float[] inputs() {
    int size = CHANNELS * HEIGHT * WIDTH;
    float[] x = new float[SLOTS * size];
    for (int s = 0; s < SLOTS; s++) {
      for (int c = 0; c < CHANNELS; c++) {
        Arrays.fill(
            x,
            s * size + c * HEIGHT * WIDTH,
            s * size + (c + 1) * HEIGHT * WIDTH,
            s + 0.5f + 10 * c);
      }
    }
    return x;
  }

  /** Slot s: class s everywhere, except an ignored first row in odd slots. */
  private static List<MaskTarget> masks() {
    List<MaskTarget> masks = new ArrayList<>();
    for (int s = 0; s < SLOTS; s++) {
      byte[] classes = new byte[HEIGHT * WIDTH];
      Arrays.fill(classes, (byte) s);
      if (s % 2 == 1) {
        Arrays.fill(classes, 0, WIDTH, (byte) MaskTarget.IGNORE);
      }
      masks.add(MaskTarget.of(HEIGHT, WIDTH, classes));
    }
    return masks;
  }

  @Test
  void mixPseudoMasks_eachPseudoSlotTakesOneRectangleOfTheNext_maskCutWhereTheImageIs() {
    List<MaskTarget> masks = masks();
    float[] x = inputs();
    int size = CHANNELS * HEIGHT * WIDTH;
    List<MaskTarget> mixed =
        CutMix.mixPseudoMasks(x, masks, HUMAN, SLOTS - HUMAN, 1.0, new SplittableRandom(11));
    assertThat(mixed.subList(0, HUMAN)).isEqualTo(masks.subList(0, HUMAN));
    float[] original = inputs();
    assertThat(Arrays.copyOfRange(x, 0, HUMAN * size))
        .containsExactly(Arrays.copyOfRange(original, 0, HUMAN * size));
    int cut = 0;
    for (int s = HUMAN; s < SLOTS; s++) {
      int partner = HUMAN + (s - HUMAN + 1) % (SLOTS - HUMAN);
      int top = HEIGHT, bottom = -1, left = WIDTH, right = -1, pasted = 0;
      for (int r = 0; r < HEIGHT; r++) {
        for (int col = 0; col < WIDTH; col++) {
          int p = r * WIDTH + col;
          boolean fromPartner = x[s * size + p] == partner + 0.5f;
          assertThat(x[s * size + p]).isIn(s + 0.5f, partner + 0.5f);
          for (int c = 1; c < CHANNELS; c++) {
            // every channel is cut by the same rectangle
            assertThat(x[s * size + c * HEIGHT * WIDTH + p])
                .isEqualTo((fromPartner ? partner : s) + 0.5f + 10 * c);
          }
          MaskTarget source = masks.get(fromPartner ? partner : s);
          assertThat(mixed.get(s).get(r, col)).isEqualTo(source.get(r, col));
          if (fromPartner) {
            pasted++;
            top = Math.min(top, r);
            bottom = Math.max(bottom, r);
            left = Math.min(left, col);
            right = Math.max(right, col);
          }
        }
      }
      if (pasted > 0) {
        assertThat(pasted).isEqualTo((bottom - top + 1) * (right - left + 1));
        cut++;
      }
      assertThat(pasted).isLessThanOrEqualTo(HEIGHT * WIDTH / 2);
    }
    assertThat(cut).isPositive();

    float[] again = inputs();
    assertThat(
            CutMix.mixPseudoMasks(
                again, masks, HUMAN, SLOTS - HUMAN, 1.0, new SplittableRandom(11)))
        .isEqualTo(mixed);
    assertThat(again).containsExactly(x);
  }

  @Test
  void mixPseudoMasks_onePseudoSlot_changesNothing() {
    float[] x = inputs();
    List<MaskTarget> masks = masks();
    assertThat(CutMix.mixPseudoMasks(x, masks, SLOTS - 1, 1, 1.0, new SplittableRandom(1)))
        .isEqualTo(masks);
    assertThat(x).containsExactly(inputs());
  }

  @Test
  void mixPseudoMasks_masksOfTwoSizes_areRefused() {
    List<MaskTarget> masks = new ArrayList<>(masks());
    masks.set(SLOTS - 1, MaskTarget.of(WIDTH, HEIGHT, new byte[HEIGHT * WIDTH]));
    assertThatThrownBy(
            () ->
                CutMix.mixPseudoMasks(
                    inputs(), masks, HUMAN, SLOTS - HUMAN, 1.0, new SplittableRandom(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("CutMix needs the pseudo masks of a batch at one size: 8x10 and 10x8");
  }

  @Test
  void segmentationEncoder_cutsStudentBatchesOnly_seededByStageAndStep() {
    SegmentationSupport task =
        new SegmentationSupport(MaskPseudoLabelConfig.paper(), 2.0, 0, SLOTS, null, List.of());
    Example<MaskTarget> first =
        new Example<>(
            Image.of(HEIGHT, WIDTH, CHANNELS, new byte[size()]), masks().get(0), Origin.HUMAN);
    BatchEncoder<MaskTarget> student = task.encoder(null, null, true, List.of(first), List.of());
    BatchEncoder<MaskTarget> control = task.encoder(null, null, false, List.of(first), List.of());

    float[] x = inputs();
    assertThat(targets(control.encode(x, masks(), HUMAN, 7, 3))).isEqualTo(masks());
    assertThat(x).containsExactly(inputs());

    float[] cut = inputs();
    List<MaskTarget> mixed = targets(student.encode(cut, masks(), HUMAN, 7, 3));
    assertThat(mixed).isNotEqualTo(masks());
    float[] expected = inputs();
    assertThat(mixed)
        .isEqualTo(
            CutMix.mixPseudoMasks(
                expected,
                masks(),
                HUMAN,
                SLOTS - HUMAN,
                2.0,
                new SplittableRandom(Seeds.mix(7, -4, 3))));
    assertThat(cut).containsExactly(expected);
    float[] otherStep = inputs();
    assertThat(targets(student.encode(otherStep, masks(), HUMAN, 7, 4))).isNotEqualTo(mixed);

    assertThat(task.pseudoOnlyNoise()).containsExactly("pseudoCutMix=2.0");
    assertThat(
            new SegmentationSupport(MaskPseudoLabelConfig.paper(), 0, 0, SLOTS, null, List.of())
                .pseudoOnlyNoise())
        .isEmpty();
  }

  @Test
  void builder_rejectsNegativeOrNaNAlpha() {
    assertThatThrownBy(() -> SelfTraining.segmentation().pseudoCutMix(-0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pseudoCutMix must be a finite non-negative number: -0.5");
    assertThatThrownBy(() -> SelfTraining.segmentation().pseudoCutMix(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pseudoCutMix");
  }

  private static int size() {
    return CHANNELS * HEIGHT * WIDTH;
  }

  @SuppressWarnings("unchecked")
  private static List<MaskTarget> targets(TargetBatch batch) {
    return ((EncodedTargetBatch<MaskTarget>) batch).targets();
  }
}
