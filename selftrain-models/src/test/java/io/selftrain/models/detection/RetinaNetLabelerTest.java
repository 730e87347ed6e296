package io.selftrain.models.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.selftrain.BoxesTarget;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetinaNetLabelerTest {
  private static final RetinaNetConfig CONFIG = RetinaNet.tiny64().withNumClasses(4);

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void assign_randomBoxes_matchesBruteForce(int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<BoxesTarget> targets =
        List.of(randomTarget(random, 3), randomTarget(random, 0), randomTarget(random, 6));
    int forced = 0;
    int ignored = 0;
    int positives = 0;
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      float[] anchors = Anchors.generate(manager, CONFIG.anchors(), 64, 64).toFloatArray();
      int n = anchors.length / 4;
      int arrays = manager.getManagedArrays().size();
      NDArray assigned = RetinaNetLabeler.assign(CONFIG, targets, manager);
      assertThat(manager.getManagedArrays()).as("only the result is left").hasSize(arrays + 1);
      assertThat(assigned.getShape()).isEqualTo(new Shape(3, n, RetinaNetLabeler.COLUMNS));
      float[] a = assigned.toFloatArray();
      for (int i = 0; i < targets.size(); i++) {
        Reference ref =
            new Reference(
                anchors, targets.get(i), CONFIG.matchThreshold(), CONFIG.unmatchedThreshold());
        float[] boxes = targets.get(i).boxes();
        for (int j = 0; j < n; j++) {
          int row = (i * n + j) * RetinaNetLabeler.COLUMNS;
          assertThat(a[row + RetinaNetLabeler.LABEL])
              .as("label of image %s anchor %s", i, j)
              .isEqualTo(ref.label[j]);
          assertThat(a[row + RetinaNetLabeler.WEIGHT])
              .as("weight of image %s anchor %s", i, j)
              .isEqualTo(ref.weight[j]);
          if (ref.label[j] >= 0) {
            double[] expected = encode(boxes, ref.matched[j], anchors, j);
            for (int c = 0; c < 4; c++) {
              assertThat((double) a[row + c])
                  .as("code %s of image %s anchor %s", c, i, j)
                  .isCloseTo(expected[c], within(1e-4));
            }
            positives++;
            forced += ref.forced[j] ? 1 : 0;
          } else {
            assertThat(new float[] {a[row], a[row + 1], a[row + 2], a[row + 3]}).containsOnly(0f);
            ignored += ref.label[j] == RetinaNetLabeler.IGNORED ? 1 : 0;
          }
        }
      }
    }
    // the random boxes exercise every rule
    assertThat(positives).isGreaterThan(forced);
    assertThat(forced).isPositive();
    assertThat(ignored).isPositive();
  }

  @Test
  void assign_noBoxes_allNegativesWithWeightOne() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray assigned =
          RetinaNetLabeler.assign(
              CONFIG, List.of(BoxesTarget.of(new float[0], new int[0])), manager);
      assertThat(assigned.get(new NDIndex("..., 4")).toFloatArray())
          .containsOnly(RetinaNetLabeler.NEGATIVE);
      assertThat(assigned.get(new NDIndex("..., 5")).toFloatArray()).containsOnly(1f);
      assertThat(assigned.get(new NDIndex("..., 0:4")).toFloatArray()).containsOnly(0f);
    }
  }

  @Test
  void assign_thenDecodeCodes_givesMatchedBoxes() {
    float[] boxes = {10.5f, 12f, 30f, 40.25f, 33f, 5f, 60f, 21f};
    BoxesTarget target =
        BoxesTarget.of(boxes, new int[] {1, 3}, new float[] {1f, 0.5f}, new float[] {1f, 0.25f});
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray anchors = Anchors.generate(manager, CONFIG.anchors(), 64, 64);
      NDArray assigned = RetinaNetLabeler.assign(CONFIG, List.of(target), manager).get(0);
      float[] decoded =
          BoxCoder.decode(assigned.get(new NDIndex(":, 0:4")), anchors).toFloatArray();
      float[] labels = assigned.get(new NDIndex(":, 4")).toFloatArray();
      float[] weights = assigned.get(new NDIndex(":, 5")).toFloatArray();
      int seen = 0;
      for (int j = 0; j < labels.length; j++) {
        if (labels[j] < 0) {
          continue;
        }
        int box = labels[j] == 1f ? 0 : 1;
        assertThat(labels[j]).isIn(1f, 3f);
        assertThat(weights[j]).isEqualTo(box == 0 ? 1f : 0.25f);
        for (int c = 0; c < 4; c++) {
          assertThat(decoded[j * 4 + c]).isCloseTo(boxes[box * 4 + c], within(1e-3f));
        }
        seen |= 1 << box;
      }
      assertThat(seen).isEqualTo(3);
    }
  }

  @Test
  void assign_classNotBelowNumClasses() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      List<BoxesTarget> targets = List.of(BoxesTarget.of(new float[] {0, 0, 8, 8}, new int[] {4}));
      assertThatThrownBy(() -> RetinaNetLabeler.assign(CONFIG, targets, manager))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("numClasses 4")
          .hasMessageContaining(": 4");
    }
  }

  /** Boxes from 3 to 40 px, so that some match no anchor at IoU 0.5 and must be forced. */
  private static BoxesTarget randomTarget(SplittableRandom random, int count) {
    float[] boxes = new float[count * 4];
    int[] classes = new int[count];
    float[] scores = new float[count];
    float[] weights = new float[count];
    for (int k = 0; k < count; k++) {
      float w = (float) random.nextDouble(3, 40);
      float h = (float) random.nextDouble(3, 40);
      float x = (float) random.nextDouble(-4, 64 - w + 4);
      float y = (float) random.nextDouble(-4, 64 - h + 4);
      boxes[k * 4] = x;
      boxes[k * 4 + 1] = y;
      boxes[k * 4 + 2] = x + w;
      boxes[k * 4 + 3] = y + h;
      classes[k] = random.nextInt(4);
      scores[k] = 1f;
      weights[k] = (float) random.nextDouble(0.1, 1);
    }
    return BoxesTarget.of(boxes, classes, scores, weights);
  }

  /** The matching rules in plain loops, IoU in the same float operations as {@link Nms#iou}. */
  private static final class Reference {
    final float[] label;
    final float[] weight;
    final int[] matched;
    final boolean[] forced;

    Reference(float[] anchors, BoxesTarget target, float match, float unmatched) {
      int n = anchors.length / 4;
      int g = target.size();
      float[] boxes = target.boxes();
      float[][] iou = new float[n][g];
      for (int j = 0; j < n; j++) {
        for (int k = 0; k < g; k++) {
          iou[j][k] = iou(anchors, j, boxes, k);
        }
      }
      label = new float[n];
      weight = new float[n];
      matched = new int[n];
      forced = new boolean[n];
      int[] forcedBy = new int[n];
      java.util.Arrays.fill(forcedBy, -1);
      for (int k = 0; k < g; k++) {
        int best = 0;
        for (int j = 1; j < n; j++) {
          if (iou[j][k] > iou[best][k]) {
            best = j;
          }
        }
        if (iou[best][k] > 0 && forcedBy[best] < 0) {
          forcedBy[best] = k;
        }
      }
      for (int j = 0; j < n; j++) {
        float bestIou = -1;
        int bestBox = 0;
        for (int k = 0; k < g; k++) {
          if (iou[j][k] > bestIou) {
            bestIou = iou[j][k];
            bestBox = k;
          }
        }
        if (forcedBy[j] >= 0 || bestIou >= match) {
          matched[j] = forcedBy[j] >= 0 ? forcedBy[j] : bestBox;
          forced[j] = forcedBy[j] >= 0 && bestIou < match;
          label[j] = target.classes()[matched[j]];
          weight[j] = target.weights()[matched[j]];
        } else if (bestIou < unmatched) {
          label[j] = RetinaNetLabeler.NEGATIVE;
          weight[j] = 1f;
        } else {
          label[j] = RetinaNetLabeler.IGNORED;
          weight[j] = 0f;
        }
      }
    }

    private static float iou(float[] a, int i, float[] b, int k) {
      float w = Math.max(Math.min(a[i * 4 + 2], b[k * 4 + 2]) - Math.max(a[i * 4], b[k * 4]), 0f);
      float h =
          Math.max(Math.min(a[i * 4 + 3], b[k * 4 + 3]) - Math.max(a[i * 4 + 1], b[k * 4 + 1]), 0f);
      float inter = w * h;
      float areaA = (a[i * 4 + 2] - a[i * 4]) * (a[i * 4 + 3] - a[i * 4 + 1]);
      float areaB = (b[k * 4 + 2] - b[k * 4]) * (b[k * 4 + 3] - b[k * 4 + 1]);
      float union = areaA + areaB - inter;
      return inter / Math.max(union, 1e-12f);
    }
  }

  /** The box coder in double precision. */
  private static double[] encode(float[] boxes, int k, float[] anchors, int j) {
    double aw = anchors[j * 4 + 2] - anchors[j * 4];
    double ah = anchors[j * 4 + 3] - anchors[j * 4 + 1];
    double ax = anchors[j * 4] + aw / 2;
    double ay = anchors[j * 4 + 1] + ah / 2;
    double w = boxes[k * 4 + 2] - boxes[k * 4];
    double h = boxes[k * 4 + 3] - boxes[k * 4 + 1];
    double x = boxes[k * 4] + w / 2;
    double y = boxes[k * 4 + 1] + h / 2;
    return new double[] {(x - ax) / aw, (y - ay) / ah, Math.log(w / aw), Math.log(h / ah)};
  }
}
