package io.selftrain.models.detection;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;

/**
 * Greedy non-maximum suppression on tensors: boxes are sorted by score and their pairwise IoU
 * matrix is computed with batched array ops on the boxes' device; one host pass over that matrix
 * then keeps a box unless a kept, higher-scoring box overlaps it by more than the threshold (the
 * rule of {@code torchvision.ops.nms} and TF's {@code non_max_suppression}; IoU without the +1
 * pixel convention). Cost O(n^2) memory, meant for the top-k boxes per level (RetinaNet: 1000).
 */
public final class Nms {
  private Nms() {}

  /**
   * Non-maximum suppression over all boxes.
   *
   * @param boxes shape (n, 4), {@code x1, y1, x2, y2}
   * @param scores shape (n)
   * @param iouThreshold boxes overlapping a kept box by more than this are removed, in [0, 1]
   * @param maxOutput keep at most this many, positive
   * @return indices into {@code boxes} of the kept boxes, highest score first
   */
  public static int[] nms(NDArray boxes, NDArray scores, float iouThreshold, int maxOutput) {
    checkArgument(
        iouThreshold >= 0f && iouThreshold <= 1f,
        "iouThreshold must be in [0, 1]: %s",
        iouThreshold);
    checkArgument(maxOutput >= 1, "maxOutput must be positive: %s", maxOutput);
    checkArgument(
        boxes.getShape().dimension() == 2 && boxes.getShape().get(1) == 4,
        "boxes must have shape (n, 4): %s",
        boxes.getShape());
    long n = boxes.getShape().get(0);
    checkArgument(
        scores.getShape().dimension() == 1 && scores.getShape().get(0) == n,
        "scores must have shape (%s): %s",
        n,
        scores.getShape());
    if (n == 0) {
      return new int[0];
    }
    NDArray order = scores.argSort(0, false);
    NDArray sorted = boxes.get(order);
    boolean[] overlaps = iou(sorted, sorted).gt(iouThreshold).toBooleanArray();
    long[] index = order.toType(DataType.INT64, false).toLongArray();
    int count = (int) n;
    boolean[] removed = new boolean[count];
    int[] kept = new int[Math.min(count, maxOutput)];
    int k = 0;
    for (int i = 0; i < count && k < kept.length; i++) {
      if (removed[i]) {
        continue;
      }
      kept[k++] = (int) index[i];
      int row = i * count;
      for (int j = i + 1; j < count; j++) {
        if (overlaps[row + j]) {
          removed[j] = true;
        }
      }
    }
    return Arrays.copyOf(kept, k);
  }

  /**
   * Per-class non-maximum suppression: boxes of different classes never suppress each other (each
   * class is shifted to its own region of coordinates before one {@link #nms} call, the torchvision
   * {@code batched_nms} trick).
   *
   * @param boxes shape (n, 4), {@code x1, y1, x2, y2}
   * @param scores shape (n)
   * @param classes shape (n), class index per box
   * @param iouThreshold the IoU threshold, in [0, 1]
   * @param maxOutput keep at most this many, positive
   * @return indices of the kept boxes, highest score first
   */
  public static int[] nmsPerClass(
      NDArray boxes, NDArray scores, NDArray classes, float iouThreshold, int maxOutput) {
    if (boxes.getShape().get(0) == 0) {
      return new int[0];
    }
    float span = boxes.max().sub(boxes.min()).getFloat() + 1f;
    NDArray offset = classes.toType(boxes.getDataType(), false).mul(span).expandDims(1);
    return nms(boxes.add(offset), scores, iouThreshold, maxOutput);
  }

  /**
   * Pairwise intersection over union, broadcast over leading axes: {@code (n, 4)} against {@code
   * (m, 4)} gives {@code (n, m)}, and for instance anchors {@code (n, 4)} against a batch of boxes
   * {@code (batch, m, 4)} give {@code (batch, n, m)}. Boxes of zero area have IoU 0 with
   * everything.
   *
   * @param a shape (..., n, 4), {@code x1, y1, x2, y2}
   * @param b shape (..., m, 4), leading axes broadcastable with those of {@code a}
   * @return shape (..., n, m)
   */
  public static NDArray iou(NDArray a, NDArray b) {
    NDArray ax1 = a.get(new NDIndex("..., 0:1"));
    NDArray ay1 = a.get(new NDIndex("..., 1:2"));
    NDArray ax2 = a.get(new NDIndex("..., 2:3"));
    NDArray ay2 = a.get(new NDIndex("..., 3:4"));
    NDArray bx1 = row(b, 0);
    NDArray by1 = row(b, 1);
    NDArray bx2 = row(b, 2);
    NDArray by2 = row(b, 3);
    NDArray w = ax2.minimum(bx2).sub(ax1.maximum(bx1)).maximum(0f);
    NDArray h = ay2.minimum(by2).sub(ay1.maximum(by1)).maximum(0f);
    NDArray inter = w.mul(h);
    NDArray areaA = ax2.sub(ax1).mul(ay2.sub(ay1));
    NDArray areaB = bx2.sub(bx1).mul(by2.sub(by1));
    NDArray union = areaA.add(areaB).sub(inter);
    return inter.div(union.maximum(1e-12f));
  }

  /** Coordinate {@code c} of boxes (..., m, 4) as a row (..., 1, m). */
  private static NDArray row(NDArray boxes, int c) {
    NDArray column = boxes.get(new NDIndex("..., " + c));
    return column.expandDims(column.getShape().dimension() - 1);
  }
}
