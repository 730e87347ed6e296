package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.selftrain.Augmenter;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Origin;
import io.selftrain.augment.Augmenters;
import io.selftrain.augment.FlipCropConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Batches are a pure function of (seed, epoch, step): any order of access, any instance, the same
 * pixels.
 */
class MixedBatchesTest {
  private static final int SIDE = 6;

  /** {@code count} 6x6 images, image i filled with the value {@code offset + i}, class i % 10. */
  private static List<Example<ClassTarget>> examples(int count, int offset, Origin origin) {
    List<Example<ClassTarget>> examples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] pixels = new byte[SIDE * SIDE];
      Arrays.fill(pixels, (byte) (offset + i));
      examples.add(
          new Example<>(Image.of(SIDE, SIDE, 1, pixels), ClassTarget.index(i % 10, 10), origin));
    }
    return examples;
  }

  private static final List<Example<ClassTarget>> HUMAN = examples(20, 0, Origin.HUMAN);
  private static final List<Example<ClassTarget>> PSEUDO = examples(30, 100, Origin.PSEUDO);

  private static MixedBatches<ClassTarget> batches(Augmenter<ClassTarget> augmenter, long seed) {
    return MixedBatches.mixed(
        HUMAN, PSEUDO, augmenter, 8, 1, 0f, 0, 0, seed); // 4 human + 4 pseudo per batch
  }

  /** The example whose (unaugmented) image fills the slot. */
  private static int identity(float[] inputs, int slot) {
    float first = inputs[slot * SIDE * SIDE];
    for (List<Example<ClassTarget>> list : List.of(HUMAN, PSEUDO)) {
      for (Example<ClassTarget> e : list) {
        float[] pixels = new float[SIDE * SIDE];
        e.image().copyChwTo(pixels, 0);
        if (pixels[0] == first
            && Arrays.equals(
                pixels,
                0,
                pixels.length,
                inputs,
                slot * pixels.length,
                (slot + 1) * pixels.length)) {
          return (e.image().pixels()[0] & 0xFF);
        }
      }
    }
    throw new AssertionError("slot " + slot + " holds no example");
  }

  @Test
  void batch_sameSeed_samePixels_inAnyAccessOrder() {
    Augmenter<ClassTarget> noisy = Augmenters.flipCrop(FlipCropConfig.builder().build());
    MixedBatches<ClassTarget> forward = batches(noisy, 11);
    MixedBatches<ClassTarget> backward = batches(noisy, 11);
    int steps = forward.stepsPerEpoch();
    List<float[]> inOrder = new ArrayList<>();
    for (int epoch = 0; epoch < 3; epoch++) {
      for (int step = 0; step < steps; step++) {
        inOrder.add(forward.batch(epoch, step).inputs());
      }
    }
    for (int epoch = 2; epoch >= 0; epoch--) {
      for (int step = steps - 1; step >= 0; step--) {
        assertThat(backward.batch(epoch, step).inputs())
            .as("epoch %s step %s", epoch, step)
            .isEqualTo(inOrder.get(epoch * steps + step));
      }
    }
    assertThat(batches(noisy, 12).batch(0, 0).inputs()).isNotEqualTo(inOrder.get(0));
  }

  @Test
  void batch_everyPseudoExampleOncePerEpoch_everyHumanExampleOncePerPass() {
    MixedBatches<ClassTarget> batches = batches(Augmenters.none(), 5);
    assertThat(batches.stepsPerEpoch()).isEqualTo(8); // ceil(30 pseudo / 4 per batch)
    for (int epoch = 0; epoch < 2; epoch++) {
      Set<Integer> pseudo = new HashSet<>();
      List<Integer> firstPasses = new ArrayList<>();
      for (int step = 0; step < batches.stepsPerEpoch(); step++) {
        float[] inputs = batches.batch(epoch, step).inputs();
        for (int slot = 0; slot < 4; slot++) {
          firstPasses.add(identity(inputs, slot));
        }
        for (int slot = 4; slot < 8; slot++) {
          pseudo.add(identity(inputs, slot));
        }
      }
      assertThat(pseudo).as("epoch %s", epoch).hasSize(30).allMatch(id -> id >= 100 && id < 130);
      if (epoch == 0) {
        // 8 steps x 4 human slots = 32 draws: the first 20 are a permutation of the 20 human
        // examples.
        assertThat(new HashSet<>(firstPasses.subList(0, 20))).hasSize(20).allMatch(id -> id < 20);
      }
    }
  }

  @Test
  void pseudoOnTop_fullHumanBatchPlusRatioTimesAsManyPseudo_sameHumanStreamAsTheControl() {
    // Batch size 4, ratio 2: 4 human + 8 pseudo a step, an epoch ceil(30 / 8) = 4 steps.
    MixedBatches<ClassTarget> onTop =
        MixedBatches.mixed(
            HUMAN,
            PSEUDO,
            Augmenters.none(),
            new ClassTargetEncoder(0f, 0, 0, HUMAN.get(0).image(), 10),
            StudentBatch.of(4, 2, true),
            5);
    assertThat(onTop.humanPerBatch()).isEqualTo(4);
    assertThat(onTop.pseudoPerBatch()).isEqualTo(8);
    assertThat(onTop.stepsPerEpoch()).isEqualTo(4);
    MixedBatches<ClassTarget> control =
        MixedBatches.humanOnly(
            HUMAN,
            Augmenters.none(),
            new ClassTargetEncoder(0f, 0, 0, HUMAN.get(0).image(), 10),
            4,
            4,
            5);
    Set<Integer> pseudo = new HashSet<>();
    for (int step = 0; step < onTop.stepsPerEpoch(); step++) {
      MixedBatches.Batch batch = onTop.batch(0, step);
      float[] human = control.batch(0, step).inputs();
      assertThat(batch.human()).isEqualTo(4);
      assertThat(batch.pseudo()).isEqualTo(8);
      // The student's human rows are the control's batch, row for row.
      assertThat(Arrays.copyOf(batch.inputs(), human.length)).isEqualTo(human);
      for (int slot = 4; slot < 12; slot++) {
        pseudo.add(identity(batch.inputs(), slot));
      }
    }
    assertThat(pseudo).hasSize(30).allMatch(id -> id >= 100 && id < 130);
    // Without pseudo labels, batches of the batch size, as the split layout's.
    MixedBatches<ClassTarget> none =
        MixedBatches.mixed(
            HUMAN,
            List.of(),
            Augmenters.none(),
            new ClassTargetEncoder(0f, 0, 0, HUMAN.get(0).image(), 10),
            StudentBatch.of(4, 2, true),
            5);
    assertThat(none.humanPerBatch()).isEqualTo(4);
    assertThat(none.pseudoPerBatch()).isZero();
    assertThat(none.stepsPerEpoch()).isEqualTo(5);
  }

  @Test
  void studentBatch_splitOrOnTop() {
    // Split: the batch size divided at the ratio, at least one of each.
    assertThat(StudentBatch.of(128, 1, false)).isEqualTo(new StudentBatch(128, 64, 64));
    assertThat(StudentBatch.of(128, 3, false)).isEqualTo(new StudentBatch(128, 32, 96));
    assertThat(StudentBatch.of(16, 1, false)).isEqualTo(new StudentBatch(16, 8, 8));
    assertThat(StudentBatch.of(2, 3, false)).isEqualTo(new StudentBatch(2, 1, 1));
    // On top: the whole batch size of human examples, ratio times as many pseudo.
    assertThat(StudentBatch.of(16, 1, true)).isEqualTo(new StudentBatch(16, 16, 16));
    assertThat(StudentBatch.of(16, 3, true)).isEqualTo(new StudentBatch(16, 16, 48));
    assertThat(StudentBatch.of(16, 3, true).describe()).isEqualTo("16 human + 48 pseudo");
    // 51,000 pseudo labels at 64 a step: 797 steps; 100 passes over 4,000 labels at 64: 6,250.
    assertThat(StudentBatch.of(128, 1, false).stepsPerPass(51000)).isEqualTo(797);
    assertThat(StudentBatch.of(128, 1, false).stepsForHumanPasses(100, 4000)).isEqualTo(6250);
    assertThat(StudentBatch.of(128, 1, true).stepsForHumanPasses(100, 4000)).isEqualTo(3125);
  }

  @Test
  void withStepsPerEpoch_pseudoExamplesInSeededPasses_acrossEpochBoundaries() {
    MixedBatches<ClassTarget> passes = batches(Augmenters.none(), 5);
    assertThat(passes.withStepsPerEpoch(passes.stepsPerEpoch())).isSameAs(passes);
    // 3 steps an epoch x 4 pseudo slots: 12 draws an epoch, a pass of 30 spans epochs.
    MixedBatches<ClassTarget> batches = passes.withStepsPerEpoch(3);
    assertThat(batches.stepsPerEpoch()).isEqualTo(3);
    List<Integer> pseudo = new ArrayList<>();
    List<Integer> human = new ArrayList<>();
    for (int epoch = 0; epoch < 10; epoch++) {
      for (int step = 0; step < 3; step++) {
        float[] inputs = batches.batch(epoch, step).inputs();
        for (int slot = 0; slot < 4; slot++) {
          human.add(identity(inputs, slot));
        }
        for (int slot = 4; slot < 8; slot++) {
          pseudo.add(identity(inputs, slot));
        }
      }
    }
    // 120 draws = 4 whole passes over the 30 pseudo examples, each a permutation, not all alike.
    List<Set<Integer>> pseudoPasses = new ArrayList<>();
    for (int pass = 0; pass < 4; pass++) {
      List<Integer> drawn = pseudo.subList(pass * 30, pass * 30 + 30);
      assertThat(new HashSet<>(drawn))
          .as("pass %s", pass)
          .hasSize(30)
          .allMatch(id -> id >= 100 && id < 130);
      pseudoPasses.add(new HashSet<>(drawn));
    }
    assertThat(pseudo.subList(0, 30)).isNotEqualTo(pseudo.subList(30, 60));
    // Human examples: the same positional passes as in pass-length epochs.
    for (int pass = 0; pass < 6; pass++) {
      assertThat(new HashSet<>(human.subList(pass * 20, pass * 20 + 20)))
          .as("human pass %s", pass)
          .hasSize(20)
          .allMatch(id -> id < 20);
    }
    // A pure function of (seed, epoch, step), in any order.
    MixedBatches<ClassTarget> again = batches(Augmenters.none(), 5).withStepsPerEpoch(3);
    assertThat(again.batch(7, 2).inputs()).isEqualTo(batches.batch(7, 2).inputs());
  }

  @Test
  void schedule_inSteps_splitsItsStepsIntoEpochs_andSaysSo() {
    TrainingSchedule epochs = TrainingSchedule.builder().epochs(4).batchSize(8).build();
    assertThat(epochs.stepsPerEpoch(17)).isEqualTo(17);
    assertThat(epochs.describe()).doesNotContain("steps");
    TrainingSchedule steps = epochs.withSteps(10);
    assertThat(steps.stepsPerEpoch(17)).isEqualTo(3); // ceil(10 / 4)
    assertThat(steps.stepsPerEpoch(1)).isEqualTo(3);
    assertThat(steps.describe()).isEqualTo(epochs.describe() + " steps=10");
    assertThat(epochs.withSteps(4).stepsPerEpoch(99)).isEqualTo(1);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> epochs.withSteps(3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("steps must be at least epochs (4): 3");
  }
}
