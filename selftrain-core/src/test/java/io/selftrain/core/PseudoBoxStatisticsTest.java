package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.selftrain.BoxesTarget;
import io.selftrain.Prediction;
import io.selftrain.PseudoLabel;
import java.util.List;
import org.junit.jupiter.api.Test;

class PseudoBoxStatisticsTest {
  private static BoxesTarget boxes(float[] xyxy, int[] classes, float[] scores) {
    float[] ones = new float[classes.length];
    java.util.Arrays.fill(ones, 1f);
    return BoxesTarget.of(xyxy, classes, scores, ones);
  }

  @Test
  void matches_greedyByScore_eachTrueBoxOnce_sameClassOnly() {
    BoxesTarget truth =
        BoxesTarget.of(new float[] {0, 0, 10, 10, 20, 20, 30, 30}, new int[] {0, 1});
    // Two boxes on the first true box (the better-scored one takes it), one of the wrong class on
    // the second,
    // and one with IoU 25/175 < 0.5.
    BoxesTarget pseudo =
        boxes(
            new float[] {0, 0, 10, 10, 0, 0, 10, 11, 20, 20, 30, 30, 5, 5, 15, 15},
            new int[] {0, 0, 0, 0},
            new float[] {0.6f, 0.9f, 0.8f, 0.7f});
    assertThat(PseudoBoxStatistics.matches(pseudo, truth)).isEqualTo(1);
    // IoU of [0,0,10,11] with [0,0,10,10] is 100/110 >= 0.5; of [5,5,15,15] with it 25/175.
    assertThat(
            io.selftrain.internal.BoxIou.of(
                new float[] {0, 0, 10, 11}, 0, new float[] {0, 0, 10, 10}, 0))
        .isCloseTo(100.0 / 110, within(1e-9));
    assertThat(
            io.selftrain.internal.BoxIou.of(
                new float[] {5, 5, 15, 15}, 0, new float[] {0, 0, 10, 10}, 0))
        .isCloseTo(25.0 / 175, within(1e-9));
  }

  @Test
  void of_countsHistogramsAndPrecisionRecallOverThePool() {
    BoxesTarget truth0 =
        BoxesTarget.of(new float[] {0, 0, 10, 10, 20, 20, 30, 30}, new int[] {0, 1});
    BoxesTarget truth1 = BoxesTarget.of(new float[] {5, 5, 25, 25}, new int[] {2});
    BoxesTarget found =
        boxes(
            new float[] {0, 0, 10, 10, 40, 40, 50, 50},
            new int[] {0, 1},
            new float[] {0.9f, 0.55f});
    BoxesTarget teacher0 =
        boxes(
            new float[] {0, 0, 10, 10, 40, 40, 50, 50, 1, 1, 3, 3},
            new int[] {0, 1, 2},
            new float[] {0.9f, 0.55f, 0.07f});
    BoxesTarget teacher1 = boxes(new float[] {5, 5, 25, 25}, new int[] {2}, new float[] {0.3f});
    List<Prediction<BoxesTarget>> predictions =
        List.of(new Prediction<>(teacher0, 0.9f), new Prediction<>(teacher1, 0.3f));
    List<PseudoLabel<BoxesTarget>> labels = List.of(new PseudoLabel<>(0, found, 0.725f));
    PseudoBoxStats stats = PseudoBoxStatistics.of(predictions, labels, List.of(truth0, truth1), 3);
    assertThat(stats.pool()).isEqualTo(2);
    assertThat(stats.kept()).isEqualTo(1);
    assertThat(stats.imagesWithBoxes()).isEqualTo(1);
    assertThat(stats.boxes()).isEqualTo(2);
    assertThat(stats.perClass()).containsExactly(1, 1, 0);
    assertThat(stats.scoreHistogram()).containsExactly(1, 0, 0, 1, 0, 1, 0, 0, 0, 1);
    assertThat(stats.meanScore()).isCloseTo((0.9 + 0.55) / 2, within(1e-6));
    assertThat(stats.precision50()).isEqualTo(0.5);
    assertThat(stats.recall50()).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(stats.asMap())
        .containsKeys("images", "boxes", "boxesPerImage", "meanScore", "precision50", "recall50");
  }

  @Test
  void of_ignoredRegions_areCountedApartFromBoxes() {
    BoxesTarget truth = BoxesTarget.of(new float[] {0, 0, 10, 10}, new int[] {0});
    BoxesTarget label =
        BoxesTarget.of(
            new float[] {0, 0, 10, 10, 20, 20, 30, 30},
            new int[] {0, 1},
            new float[] {0.8f, 0.3f},
            new float[] {1, 0});
    PseudoBoxStats stats =
        PseudoBoxStatistics.of(
            List.of(new Prediction<>(label, 0.8f)),
            List.of(new PseudoLabel<>(0, label, 0.8f)),
            List.of(truth),
            2);
    assertThat(stats.boxes()).isEqualTo(1);
    assertThat(stats.ignored()).isEqualTo(1);
    assertThat(stats.perClass()).containsExactly(1, 0);
    assertThat(stats.precision50()).isEqualTo(1.0);
    assertThat(stats.recall50()).isEqualTo(1.0);
    assertThat(stats.meanScore()).isCloseTo(0.8, within(1e-6));
  }

  @Test
  void of_withoutTruth_reportsMinusOne() {
    BoxesTarget found = boxes(new float[] {0, 0, 10, 10}, new int[] {0}, new float[] {0.9f});
    PseudoBoxStats stats =
        PseudoBoxStatistics.of(
            List.of(new Prediction<>(found, 0.9f)),
            List.of(new PseudoLabel<>(0, found, 0.9f)),
            null,
            1);
    assertThat(stats.precision50()).isEqualTo(-1);
    assertThat(stats.recall50()).isEqualTo(-1);
  }
}
