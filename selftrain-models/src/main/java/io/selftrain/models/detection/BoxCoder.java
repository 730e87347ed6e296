package io.selftrain.models.detection;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.index.NDIndex;

/**
 * The Faster R-CNN box coder without scale factors, as RetinaNet uses it (TF detection {@code
 * FasterRcnnBoxCoder()}; Girshick 2015): with centres, widths and heights of box and anchor, {@code
 * tx = (x - xa) / wa, ty = (y - ya) / ha, tw = log(w / wa), th = log(h / ha)}. Boxes are {@code
 * (x1, y1, x2, y2)}; codes are {@code (tx, ty, tw, th)} (the TF code orders them y first). Works on
 * any leading shape {@code (..., 4)} with broadcasting between boxes and anchors.
 */
public final class BoxCoder {
  private static final float EPSILON = 1e-8f;

  private BoxCoder() {}

  /**
   * Encodes boxes relative to anchors.
   *
   * @param boxes shape (..., 4), {@code x1, y1, x2, y2}
   * @param anchors shape (..., 4), broadcastable to {@code boxes}
   * @return shape (..., 4), {@code tx, ty, tw, th}
   */
  public static NDArray encode(NDArray boxes, NDArray anchors) {
    checkLastAxis(boxes, "boxes");
    checkLastAxis(anchors, "anchors");
    NDArray[] b = centreSize(boxes);
    NDArray[] a = centreSize(anchors);
    // Widths and heights are clamped at a tiny epsilon, as the TF coder does, so degenerate boxes
    // encode
    // to a large negative log instead of -infinity.
    NDArray wa = a[2].maximum(EPSILON);
    NDArray ha = a[3].maximum(EPSILON);
    NDArray tx = b[0].sub(a[0]).div(wa);
    NDArray ty = b[1].sub(a[1]).div(ha);
    NDArray tw = b[2].maximum(EPSILON).div(wa).log();
    NDArray th = b[3].maximum(EPSILON).div(ha).log();
    return NDArrays.stack(new ai.djl.ndarray.NDList(tx, ty, tw, th), -1);
  }

  /**
   * Decodes codes relative to anchors; the inverse of {@link #encode}.
   *
   * @param codes shape (..., 4), {@code tx, ty, tw, th}
   * @param anchors shape (..., 4), broadcastable to {@code codes}
   * @return shape (..., 4), {@code x1, y1, x2, y2}
   */
  public static NDArray decode(NDArray codes, NDArray anchors) {
    checkLastAxis(codes, "codes");
    checkLastAxis(anchors, "anchors");
    NDArray[] a = centreSize(anchors);
    NDArray cx = codes.get(new NDIndex("..., 0")).mul(a[2]).add(a[0]);
    NDArray cy = codes.get(new NDIndex("..., 1")).mul(a[3]).add(a[1]);
    NDArray halfW = codes.get(new NDIndex("..., 2")).exp().mul(a[2]).div(2f);
    NDArray halfH = codes.get(new NDIndex("..., 3")).exp().mul(a[3]).div(2f);
    return NDArrays.stack(
        new ai.djl.ndarray.NDList(cx.sub(halfW), cy.sub(halfH), cx.add(halfW), cy.add(halfH)), -1);
  }

  /**
   * @return centre x, centre y, width, height, each of shape (...)
   */
  private static NDArray[] centreSize(NDArray boxes) {
    NDArray x1 = boxes.get(new NDIndex("..., 0"));
    NDArray y1 = boxes.get(new NDIndex("..., 1"));
    NDArray x2 = boxes.get(new NDIndex("..., 2"));
    NDArray y2 = boxes.get(new NDIndex("..., 3"));
    return new NDArray[] {x1.add(x2).div(2f), y1.add(y2).div(2f), x2.sub(x1), y2.sub(y1)};
  }

  private static void checkLastAxis(NDArray array, String name) {
    long[] dims = array.getShape().getShape();
    checkArgument(
        dims.length >= 1 && dims[dims.length - 1] == 4,
        "%s must end in an axis of 4: %s",
        name,
        array.getShape());
  }
}
