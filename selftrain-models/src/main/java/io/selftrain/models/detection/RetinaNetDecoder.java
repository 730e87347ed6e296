package io.selftrain.models.detection;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.selftrain.BoxesTarget;
import io.selftrain.Prediction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RetinaNet's inference post-processing (Lin et al. 2017, Sec. 4 "Inference"; torchvision {@code
 * RetinaNet.postprocess_detections}), per image: on every pyramid level, the sigmoid scores of all
 * (anchor, class) pairs above {@code scoreThreshold}, at most {@code preNmsTopK} of them by score;
 * their boxes decoded with {@link BoxCoder} (width and height codes clamped at {@code
 * log(1000/16)}, torchvision's {@code bbox_xform_clip}) and clipped to the image; boxes left
 * without area dropped; then per-class NMS ({@link Nms#nmsPerClass}) keeping at most {@code
 * maxDetections}. The prediction's confidence is the highest kept score (0 for an image without
 * detections).
 */
final class RetinaNetDecoder {
  /** Largest width or height code before decoding: boxes at most 1000/16 times their anchor. */
  static final float MAX_SIZE_CODE = (float) Math.log(1000.0 / 16);

  private RetinaNetDecoder() {}

  /**
   * Decodes a batch.
   *
   * @param config anchors, image size and decoding settings
   * @param logits class logits (batch, anchors, numClasses)
   * @param codes box codes (batch, anchors, 4)
   * @return one prediction per image, boxes by decreasing score
   * @throws IllegalArgumentException if the shapes do not match the configuration
   */
  static List<Prediction<BoxesTarget>> decode(
      RetinaNetConfig config, NDArray logits, NDArray codes) {
    int[] levelCounts = new int[config.maxLevel() - config.minLevel() + 1];
    int total = 0;
    for (int level = config.minLevel(); level <= config.maxLevel(); level++) {
      levelCounts[level - config.minLevel()] =
          Anchors.count(config.anchors(), level, config.inputSize(), config.inputSize());
      total += levelCounts[level - config.minLevel()];
    }
    Shape shape = logits.getShape();
    checkArgument(
        shape.dimension() == 3 && shape.get(1) == total && shape.get(2) == config.numClasses(),
        "logits must have shape (batch, %s, %s) for %s px inputs: %s",
        total,
        config.numClasses(),
        config.inputSize(),
        shape);
    checkArgument(
        codes.getShape().equals(new Shape(shape.get(0), total, 4)),
        "codes must have shape %s: %s",
        new Shape(shape.get(0), total, 4),
        codes.getShape());
    int batch = (int) shape.get(0);
    int numClasses = config.numClasses();
    List<Prediction<BoxesTarget>> out = new ArrayList<>(batch);
    try (NDManager scope = logits.getManager().newSubManager()) {
      logits.tempAttach(scope);
      codes.tempAttach(scope);
      NDArray anchors =
          Anchors.generate(scope, config.anchors(), config.inputSize(), config.inputSize());
      NDArray probabilities = Activation.sigmoid(logits);
      for (int i = 0; i < batch; i++) {
        NDArray p = probabilities.get(i);
        Candidates candidates = new Candidates();
        int offset = 0;
        for (int count : levelCounts) {
          NDArray flat = p.get(new NDIndex("{}:{}", offset, offset + count)).reshape(-1);
          NDArray index = flat.gt(config.scoreThreshold()).nonzero().reshape(-1);
          if (index.getShape().get(0) > 0) {
            NDArray values = flat.get(index);
            if (values.getShape().get(0) > config.preNmsTopK()) {
              NDList top = values.topK(config.preNmsTopK(), 0, true, true);
              values = top.get(0);
              index = index.get(top.get(1));
            }
            long[] pairs = index.toLongArray();
            float[] scores = values.toFloatArray();
            for (int j = 0; j < pairs.length; j++) {
              candidates.add(
                  offset + (int) (pairs[j] / numClasses), (int) (pairs[j] % numClasses), scores[j]);
            }
          }
          offset += count;
        }
        out.add(detections(config, candidates, codes.get(i), anchors, scope));
      }
    }
    return out;
  }

  private static Prediction<BoxesTarget> detections(
      RetinaNetConfig config,
      Candidates candidates,
      NDArray codes,
      NDArray anchors,
      NDManager scope) {
    int n = candidates.size;
    if (n == 0) {
      return new Prediction<>(BoxesTarget.of(new float[0], new int[0]), 0f);
    }
    NDArray index = scope.create(Arrays.copyOf(candidates.anchors, n));
    NDArray selected = codes.get(index);
    NDArray clamped =
        NDArrays.concat(
            new NDList(
                selected.get(new NDIndex(":, 0:2")),
                selected.get(new NDIndex(":, 2:4")).minimum(MAX_SIZE_CODE)),
            1);
    float[] decoded =
        BoxCoder.decode(clamped, anchors.get(index)).clip(0, config.inputSize()).toFloatArray();
    // Boxes clipped to nothing cannot be targets (BoxesTarget needs x1 < x2, y1 < y2).
    float[] boxes = new float[n * 4];
    float[] scores = new float[n];
    float[] classes = new float[n];
    int m = 0;
    for (int j = 0; j < n; j++) {
      if (decoded[j * 4] < decoded[j * 4 + 2] && decoded[j * 4 + 1] < decoded[j * 4 + 3]) {
        System.arraycopy(decoded, j * 4, boxes, m * 4, 4);
        scores[m] = candidates.scores[j];
        classes[m] = candidates.classes[j];
        m++;
      }
    }
    if (m == 0) {
      return new Prediction<>(BoxesTarget.of(new float[0], new int[0]), 0f);
    }
    int[] kept =
        Nms.nmsPerClass(
            scope.create(Arrays.copyOf(boxes, m * 4), new Shape(m, 4)),
            scope.create(Arrays.copyOf(scores, m)),
            scope.create(Arrays.copyOf(classes, m)),
            config.nmsIouThreshold(),
            config.maxDetections());
    float[] keptBoxes = new float[kept.length * 4];
    int[] keptClasses = new int[kept.length];
    float[] keptScores = new float[kept.length];
    float[] weights = new float[kept.length];
    for (int k = 0; k < kept.length; k++) {
      System.arraycopy(boxes, kept[k] * 4, keptBoxes, k * 4, 4);
      keptClasses[k] = (int) classes[kept[k]];
      keptScores[k] = scores[kept[k]];
      weights[k] = 1f;
    }
    return new Prediction<>(
        BoxesTarget.of(keptBoxes, keptClasses, keptScores, weights), keptScores[0]);
  }

  /** Growing parallel arrays of (anchor, class, score). */
  private static final class Candidates {
    long[] anchors = new long[64];
    int[] classes = new int[64];
    float[] scores = new float[64];
    int size;

    void add(int anchor, int cls, float score) {
      if (size == anchors.length) {
        anchors = Arrays.copyOf(anchors, size * 2);
        classes = Arrays.copyOf(classes, size * 2);
        scores = Arrays.copyOf(scores, size * 2);
      }
      anchors[size] = anchor;
      classes[size] = cls;
      scores[size] = score;
      size++;
    }
  }
}
