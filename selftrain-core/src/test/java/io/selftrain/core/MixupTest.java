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

class MixupTest {
  private static final Augmenter<ClassTarget> NONE = io.selftrain.augment.Augmenters.none();

  /**
   * Images whose pixels all equal a distinct grey value per example, with one-hot or soft targets.
   */
  private static List<Example<ClassTarget>> examples(int n, int firstValue, Origin origin) {
    List<Example<ClassTarget>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] pixels = new byte[4 * 4];
      Arrays.fill(pixels, (byte) (firstValue + 7 * i));
      ClassTarget target =
          origin == Origin.HUMAN
              ? ClassTarget.index(i % 3, 3)
              : ClassTarget.probabilities(new float[] {0.7f, 0.2f, 0.1f});
      out.add(new Example<>(Image.of(4, 4, 1, pixels), target, origin));
    }
    return out;
  }

  @Test
  void foldedBeta_liesInUpperHalf_withTheMeanOfMaxLambda() {
    // E[max(l, 1 - l)] for l ~ Beta(a, a), by midpoint integration of the density (independent of
    // the sampler)
    for (double alpha : new double[] {0.2, 1.0, 4.0}) {
      SplittableRandom rng = new SplittableRandom(1);
      double sum = 0;
      int n = 40_000;
      for (int i = 0; i < n; i++) {
        double v = Mixup.foldedBeta(alpha, rng);
        assertThat(v).isBetween(0.5, 1.0);
        sum += v;
      }
      assertThat(sum / n).as("alpha %s", alpha).isCloseTo(expectedFoldedMean(alpha), within(0.005));
    }
  }

  /**
   * {@code 1 - E[min(l, 1 - l)]}, with both integrals over [0, 0.5] taken in {@code y = x^alpha},
   * where {@code x^(alpha - 1) dx = dy / alpha} removes the density's singularity at 0.
   */
  private static double expectedFoldedMean(double alpha) {
    int steps = 200_000;
    double top = Math.pow(0.5, alpha);
    double mass = 0;
    double moment = 0;
    for (int i = 0; i < steps; i++) {
      double y = (i + 0.5) / steps * top;
      double x = Math.pow(y, 1 / alpha);
      double weight = Math.pow(1 - x, alpha - 1);
      mass += weight;
      moment += weight * x;
    }
    return 1 - moment / mass;
  }

  @Test
  void batch_mixesEachPseudoSlotWithTheNext_humanSlotsUntouched() {
    List<Example<ClassTarget>> human = examples(6, 10, Origin.HUMAN);
    List<Example<ClassTarget>> pseudo = new ArrayList<>(examples(40, 60, Origin.PSEUDO));
    // give the pseudo examples different targets so target mixing is visible
    for (int i = 0; i < pseudo.size(); i++) {
      float[] p = i % 2 == 0 ? new float[] {0.9f, 0.05f, 0.05f} : new float[] {0.1f, 0.1f, 0.8f};
      pseudo.set(
          i, new Example<>(pseudo.get(i).image(), ClassTarget.probabilities(p), Origin.PSEUDO));
    }
    MixedBatches<ClassTarget> plain = MixedBatches.mixed(human, pseudo, NONE, 8, 1, 0f, 0, 0, 5);
    MixedBatches<ClassTarget> mixed = MixedBatches.mixed(human, pseudo, NONE, 8, 1, 0f, 1.0, 0, 5);
    MixedBatches.Batch a = plain.batch(0, 2);
    MixedBatches.Batch b = mixed.batch(0, 2);
    assertThat(b.human()).isEqualTo(4);
    assertThat(b.pseudo()).isEqualTo(4);
    int size = 16;
    // human slots are the same
    assertThat(Arrays.copyOfRange(b.inputs(), 0, 4 * size))
        .containsExactly(Arrays.copyOfRange(a.inputs(), 0, 4 * size));
    assertThat(Arrays.copyOfRange(((ClassTargetBatch) b.targets()).probabilities(), 0, 12))
        .containsExactly(
            Arrays.copyOfRange(((ClassTargetBatch) a.targets()).probabilities(), 0, 12));
    boolean anyMixed = false;
    for (int j = 0; j < 4; j++) {
      int slot = 4 + j;
      int partner = 4 + (j + 1) % 4;
      float own = a.inputs()[slot * size];
      float other = a.inputs()[partner * size];
      float value = b.inputs()[slot * size];
      // every pixel of a slot is one value, so lambda follows from any pixel
      float lambda = own == other ? 1f : (value - other) / (own - other);
      assertThat(lambda).isBetween(0.5f - 1e-4f, 1f + 1e-4f);
      for (int k = 0; k < 3; k++) {
        float expected =
            lambda * ((ClassTargetBatch) a.targets()).probabilities()[slot * 3 + k]
                + (1 - lambda) * ((ClassTargetBatch) a.targets()).probabilities()[partner * 3 + k];
        assertThat(((ClassTargetBatch) b.targets()).probabilities()[slot * 3 + k])
            .isCloseTo(expected, within(1e-4f));
      }
      float total =
          ((ClassTargetBatch) b.targets()).probabilities()[slot * 3]
              + ((ClassTargetBatch) b.targets()).probabilities()[slot * 3 + 1]
              + ((ClassTargetBatch) b.targets()).probabilities()[slot * 3 + 2];
      assertThat(total).isCloseTo(1f, within(1e-5f));
      anyMixed |= lambda < 0.99f;
    }
    assertThat(anyMixed).isTrue();
    // same seed, same batch
    MixedBatches.Batch again =
        MixedBatches.mixed(human, pseudo, NONE, 8, 1, 0f, 1.0, 0, 5).batch(0, 2);
    assertThat(again.inputs()).containsExactly(b.inputs());
    assertThat(((ClassTargetBatch) again.targets()).probabilities())
        .containsExactly(((ClassTargetBatch) b.targets()).probabilities());
  }

  @Test
  void builder_rejectsNegativeOrInfiniteAlpha() {
    assertThatThrownBy(() -> SelfTraining.classification().pseudoMixup(-0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pseudoMixup")
        .hasMessageContaining("-0.5");
    assertThatThrownBy(() -> SelfTraining.classification().pseudoMixup(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pseudoMixup");
  }
}
