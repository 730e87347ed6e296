package io.selftrain.models.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NmsTest {

  @Test
  void nms_handExample() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      float[] boxes = {
        0, 0, 10, 10, // 0: score 0.9
        1, 1, 11, 11, // 1: IoU with 0 = 81 / 119 = 0.68 -> removed
        20, 20, 30, 30, // 2: separate
        0, 0, 10, 5 // 3: IoU with 0 = 0.5, not more than 0.5 -> kept
      };
      float[] scores = {0.9f, 0.8f, 0.7f, 0.6f};
      int[] kept =
          Nms.nms(manager.create(boxes, new Shape(4, 4)), manager.create(scores), 0.5f, 100);
      assertThat(kept).containsExactly(0, 2, 3);
      assertThat(Nms.nms(manager.create(boxes, new Shape(4, 4)), manager.create(scores), 0.5f, 2))
          .containsExactly(0, 2);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4})
  void nms_randomBoxes_matchesBruteForce(int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int n = 300;
    float[] boxes = new float[n * 4];
    float[] scores = new float[n];
    for (int i = 0; i < n; i++) {
      float x = (float) random.nextDouble(0, 100);
      float y = (float) random.nextDouble(0, 100);
      boxes[i * 4] = x;
      boxes[i * 4 + 1] = y;
      boxes[i * 4 + 2] = x + (float) random.nextDouble(2, 40);
      boxes[i * 4 + 3] = y + (float) random.nextDouble(2, 40);
      scores[i] = (float) random.nextDouble();
    }
    float threshold = 0.3f + 0.1f * seed;
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      int[] kept =
          Nms.nms(manager.create(boxes, new Shape(n, 4)), manager.create(scores), threshold, 1000);
      assertThat(kept).containsExactly(bruteForce(boxes, scores, null, threshold));
    }
  }

  @Test
  void nmsPerClass_randomBoxes_matchesBruteForcePerClass() {
    SplittableRandom random = new SplittableRandom(9);
    int n = 200;
    float[] boxes = new float[n * 4];
    float[] scores = new float[n];
    float[] classes = new float[n];
    for (int i = 0; i < n; i++) {
      float x = (float) random.nextDouble(0, 50);
      float y = (float) random.nextDouble(0, 50);
      boxes[i * 4] = x;
      boxes[i * 4 + 1] = y;
      boxes[i * 4 + 2] = x + (float) random.nextDouble(5, 30);
      boxes[i * 4 + 3] = y + (float) random.nextDouble(5, 30);
      scores[i] = (float) random.nextDouble();
      classes[i] = random.nextInt(3);
    }
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      int[] kept =
          Nms.nmsPerClass(
              manager.create(boxes, new Shape(n, 4)),
              manager.create(scores),
              manager.create(classes),
              0.5f,
              1000);
      assertThat(kept).containsExactly(bruteForce(boxes, scores, classes, 0.5f));
    }
  }

  @Test
  void iou_batchOfBoxes_equalsIouPerImage() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      float[] anchors = {0, 0, 10, 10, 5, 5, 15, 15, 0, 0, 4, 20};
      float[] boxes = {1, 1, 9, 9, 0, 0, 30, 30, 5, 0, 15, 10, 2, 2, 3, 3};
      float[] batched =
          Nms.iou(
                  manager.create(anchors, new Shape(3, 4)),
                  manager.create(boxes, new Shape(2, 2, 4)))
              .toFloatArray();
      for (int b = 0; b < 2; b++) {
        float[] single =
            Nms.iou(
                    manager.create(anchors, new Shape(3, 4)),
                    manager.create(
                        java.util.Arrays.copyOfRange(boxes, b * 8, b * 8 + 8), new Shape(2, 4)))
                .toFloatArray();
        assertThat(java.util.Arrays.copyOfRange(batched, b * 6, b * 6 + 6)).containsExactly(single);
      }
      // anchor 0 against box (1, 1, 9, 9): 64 / 100
      assertThat(batched[0]).isEqualTo(0.64f);
    }
  }

  @Test
  void nms_scoresOfWrongLength() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      assertThatThrownBy(
              () -> Nms.nms(manager.zeros(new Shape(3, 4)), manager.zeros(new Shape(2)), 0.5f, 10))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("scores")
          .hasMessageContaining("(2)");
    }
  }

  /**
   * Plain loops in double precision: sort by score, keep a box unless a kept box of its class
   * overlaps it.
   */
  private static int[] bruteForce(float[] boxes, float[] scores, float[] classes, float threshold) {
    List<Integer> order = new ArrayList<>();
    IntStream.range(0, scores.length).forEach(order::add);
    order.sort(Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
    List<Integer> kept = new ArrayList<>();
    for (int i : order) {
      boolean keep = true;
      for (int k : kept) {
        if ((classes == null || classes[k] == classes[i]) && iou(boxes, i, k) > threshold) {
          keep = false;
          break;
        }
      }
      if (keep) {
        kept.add(i);
      }
    }
    return kept.stream().mapToInt(Integer::intValue).toArray();
  }

  private static double iou(float[] b, int i, int j) {
    double w = Math.max(0, Math.min(b[i * 4 + 2], b[j * 4 + 2]) - Math.max(b[i * 4], b[j * 4]));
    double h =
        Math.max(0, Math.min(b[i * 4 + 3], b[j * 4 + 3]) - Math.max(b[i * 4 + 1], b[j * 4 + 1]));
    double inter = w * h;
    double areaI = (b[i * 4 + 2] - b[i * 4]) * (double) (b[i * 4 + 3] - b[i * 4 + 1]);
    double areaJ = (b[j * 4 + 2] - b[j * 4]) * (double) (b[j * 4 + 3] - b[j * 4 + 1]);
    return inter / (areaI + areaJ - inter);
  }
}
