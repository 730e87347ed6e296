package io.selftrain.models.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.selftrain.BoxesTarget;
import io.selftrain.Prediction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetinaNetDecoderTest {
  /** 765 anchors on P3 to P6, 3 classes; small top-k and detection limits so that both cut. */
  private static final RetinaNetConfig CONFIG =
      RetinaNet.tiny64()
          .withNumClasses(3)
          .withPreNmsTopK(10)
          .withMaxDetections(8)
          .withScoreThreshold(0.3f);

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void decode_randomOutputs_matchesBruteForce(int seed) {
    Engine.getEngine("PyTorch").setRandomSeed(seed);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      int n = RetinaNet.numAnchors(CONFIG);
      NDArray logits =
          manager.randomNormal(
              -1f, 1.5f, new Shape(2, n, 3), ai.djl.ndarray.types.DataType.FLOAT32);
      NDArray codes =
          manager.randomNormal(0f, 1.5f, new Shape(2, n, 4), ai.djl.ndarray.types.DataType.FLOAT32);
      float[] anchors = Anchors.generate(manager, CONFIG.anchors(), 64, 64).toFloatArray();
      int arrays = manager.getManagedArrays().size();
      List<Prediction<BoxesTarget>> predictions = RetinaNetDecoder.decode(CONFIG, logits, codes);
      assertThat(manager.getManagedArrays()).as("arrays left behind by decoding").hasSize(arrays);
      assertThat(predictions).hasSize(2);
      for (int i = 0; i < 2; i++) {
        List<Detection> expected =
            bruteForce(logits.get(i).toFloatArray(), codes.get(i).toFloatArray(), anchors, CONFIG);
        BoxesTarget actual = predictions.get(i).target();
        assertThat(actual.size()).isEqualTo(expected.size()).isEqualTo(8);
        float[] boxes = actual.boxes();
        for (int k = 0; k < expected.size(); k++) {
          Detection e = expected.get(k);
          assertThat(actual.classes()[k]).isEqualTo(e.cls);
          assertThat((double) actual.scores()[k]).isCloseTo(e.score, within(1e-5));
          for (int c = 0; c < 4; c++) {
            assertThat((double) boxes[k * 4 + c]).isCloseTo(e.box[c], within(1e-3));
          }
        }
        assertThat((double) predictions.get(i).confidence())
            .isCloseTo(expected.get(0).score, within(1e-5));
      }
    }
  }

  @Test
  void decode_nothingAboveThreshold_noBoxesAndZeroConfidence() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      int n = RetinaNet.numAnchors(CONFIG);
      List<Prediction<BoxesTarget>> predictions =
          RetinaNetDecoder.decode(
              CONFIG, manager.full(new Shape(1, n, 3), -5f), manager.zeros(new Shape(1, n, 4)));
      assertThat(predictions.get(0).target().size()).isZero();
      assertThat(predictions.get(0).confidence()).isZero();
    }
  }

  @Test
  void decode_encodedTargets_recoverTheBoxes() {
    RetinaNetConfig config = RetinaNet.tiny64();
    float[] boxes = {4.5f, 6f, 30f, 28f, 36f, 30f, 62f, 60f};
    BoxesTarget target = BoxesTarget.of(boxes, new int[] {1, 0});
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray assigned = RetinaNetLabeler.assign(config, List.of(target), manager);
      NDArray label = assigned.get(new NDIndex("..., 4:5"));
      // logit +8 for the assigned class of positives, -8 elsewhere; codes from the assignment
      NDArray logits =
          label
              .eq(manager.create(new float[] {0f, 1f}))
              .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
              .mul(16f)
              .sub(8f);
      NDArray codes = assigned.get(new NDIndex("..., 0:4"));
      BoxesTarget decoded = RetinaNetDecoder.decode(config, logits, codes).get(0).target();
      assertThat(decoded.size()).isEqualTo(2);
      float[] out = decoded.boxes();
      int first = decoded.classes()[0] == 1 ? 0 : 1;
      for (int c = 0; c < 4; c++) {
        assertThat(out[first * 4 + c]).isCloseTo(boxes[c], within(1e-3f));
        assertThat(out[(1 - first) * 4 + c]).isCloseTo(boxes[4 + c], within(1e-3f));
      }
    }
  }

  @Test
  void decode_wrongAnchorCount() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      assertThatThrownBy(
              () ->
                  RetinaNetDecoder.decode(
                      CONFIG, manager.zeros(new Shape(1, 7, 3)), manager.zeros(new Shape(1, 7, 4))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("765")
          .hasMessageContaining("(1, 7, 3)");
    }
  }

  private record Detection(int cls, double score, double[] box) {}

  /** Sigmoid, per-level top-k, decoding, clipping and greedy per-class NMS in plain loops. */
  private static List<Detection> bruteForce(
      float[] logits, float[] codes, float[] anchors, RetinaNetConfig config) {
    int k = config.numClasses();
    int size = config.inputSize();
    double maxCode = Math.log(1000.0 / 16);
    List<Detection> candidates = new ArrayList<>();
    int offset = 0;
    for (int level = config.minLevel(); level <= config.maxLevel(); level++) {
      int count = Anchors.count(config.anchors(), level, size, size);
      List<double[]> level0 = new ArrayList<>(); // (anchor, class, score)
      for (int a = offset; a < offset + count; a++) {
        for (int c = 0; c < k; c++) {
          double score = 1 / (1 + Math.exp(-logits[a * k + c]));
          if (score > config.scoreThreshold()) {
            level0.add(new double[] {a, c, score});
          }
        }
      }
      level0.sort(Comparator.comparingDouble((double[] d) -> d[2]).reversed());
      for (double[] d : level0.subList(0, Math.min(config.preNmsTopK(), level0.size()))) {
        int a = (int) d[0];
        double aw = anchors[a * 4 + 2] - anchors[a * 4];
        double ah = anchors[a * 4 + 3] - anchors[a * 4 + 1];
        double cx = anchors[a * 4] + aw / 2 + codes[a * 4] * aw;
        double cy = anchors[a * 4 + 1] + ah / 2 + codes[a * 4 + 1] * ah;
        double w = Math.exp(Math.min(codes[a * 4 + 2], maxCode)) * aw;
        double h = Math.exp(Math.min(codes[a * 4 + 3], maxCode)) * ah;
        double[] box = {
          clip(cx - w / 2, size),
          clip(cy - h / 2, size),
          clip(cx + w / 2, size),
          clip(cy + h / 2, size)
        };
        if (box[0] < box[2] && box[1] < box[3]) {
          candidates.add(new Detection((int) d[1], d[2], box));
        }
      }
      offset += count;
    }
    candidates.sort(Comparator.comparingDouble(Detection::score).reversed());
    List<Detection> kept = new ArrayList<>();
    for (Detection d : candidates) {
      if (kept.size() == config.maxDetections()) {
        break;
      }
      boolean keep = true;
      for (Detection e : kept) {
        if (e.cls == d.cls && iou(e.box, d.box) > config.nmsIouThreshold()) {
          keep = false;
          break;
        }
      }
      if (keep) {
        kept.add(d);
      }
    }
    return kept;
  }

  private static double clip(double v, int size) {
    return Math.max(0, Math.min(size, v));
  }

  private static double iou(double[] a, double[] b) {
    double w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
    double h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
    double inter = w * h;
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
  }
}
