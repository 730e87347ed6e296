package io.selftrain.augment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * The resampling kernels of the device path, batched over examples with per-example parameters as
 * tensors: the nearest-neighbour affine warp of {@link Warps#nearest} and the bilinear
 * resize-and-crop of {@link Warps#resizeCrop} ({@link Warps#resizeCropNearest} for masks), built
 * from {@code gather} so they run on any DJL engine and device.
 *
 * <p>Images are float32 {@code (k, C, H, W)} holding integers in [0, 255]; masks float32 {@code (k,
 * 1, H, W)}. Sample coordinates are computed in float64 with the same operations, in the same
 * order, as the CPU kernels (IEEE arithmetic is exact-rounded on both sides), so every example
 * reads the same source pixels and the bilinear weights are the same float32 values: results agree
 * with the CPU path bit for bit.
 */
final class DeviceWarps {
  /** {@link OpKernels#FILL} as a float. */
  static final float FILL = OpKernels.FILL & 0xFF;

  /** {@link OpKernels#MASK_FILL} as a float. */
  static final float MASK_FILL = OpKernels.MASK_FILL & 0xFF;

  private DeviceWarps() {}

  /**
   * Output pixel centre {@code (x + 0.5, y + 0.5)} of example i reads the input pixel containing
   * {@code inverses[i](x + 0.5, y + 0.5)}; outside the input it takes 128 (image) or 255 (mask).
   *
   * @param images {@code (k, C, H, W)}
   * @param masks {@code (k, 1, H, W)}, or null
   * @param inverses k output-to-input maps
   * @return the warped images, and the warped masks when given
   */
  static NDList affine(NDArray images, NDArray masks, List<Affine> inverses) {
    NDManager m = images.getManager();
    Shape shape = images.getShape();
    int k = (int) shape.get(0);
    int h = (int) shape.get(2);
    int w = (int) shape.get(3);
    double[] maps = new double[6 * k];
    for (int i = 0; i < k; i++) {
      Affine t = inverses.get(i);
      System.arraycopy(new double[] {t.a, t.b, t.c, t.d, t.e, t.f}, 0, maps, 6 * i, 6);
    }
    // the (k, 2, 3) matrices [[a, b, c], [d, e, f]], one coefficient at a time as (k, 1, 1)
    NDArray matrices = m.create(maps, new Shape(k, 2, 3));
    NDArray a = coefficient(matrices, 0, 0);
    NDArray b = coefficient(matrices, 0, 1);
    NDArray c = coefficient(matrices, 0, 2);
    NDArray d = coefficient(matrices, 1, 0);
    NDArray e = coefficient(matrices, 1, 1);
    NDArray f = coefficient(matrices, 1, 2);
    NDArray v = m.arange(0f, h, 1f, DataType.FLOAT64).add(0.5).reshape(1, h, 1);
    NDArray x = m.arange(0f, w, 1f, DataType.FLOAT64).reshape(1, 1, w);
    // Warps.nearest: u0 = a * 0.5 + b * v + c, then u = u0 + a * x (likewise v with d, e, f)
    NDArray us = a.mul(0.5).add(b.mul(v)).add(c).add(a.mul(x));
    NDArray vs = d.mul(0.5).add(e.mul(v)).add(f).add(d.mul(x));
    NDArray sx = us.floor();
    NDArray sy = vs.floor();
    NDArray inside =
        sx.gte(0)
            .logicalAnd(sx.lt(w))
            .logicalAnd(sy.gte(0))
            .logicalAnd(sy.lt(h))
            .reshape(k, 1, h, w);
    NDArray flat =
        sy.clip(0, h - 1)
            .mul(w)
            .add(sx.clip(0, w - 1))
            .toType(DataType.INT64, false)
            .reshape(k, 1, (long) h * w);
    NDList out = new NDList(gatherFlat(images, flat, inside, FILL));
    if (masks != null) {
      out.add(gatherFlat(masks, flat, inside, MASK_FILL));
    }
    return out;
  }

  /**
   * Scale jitter's resample: the bilinear resize-and-crop of {@link Warps#resizeCrop} for images
   * (fill 128 where the crop runs past the scaled image) and the nearest one of {@link
   * Warps#resizeCropNearest} for masks (fill 255). All steps have the same output size.
   *
   * @param images {@code (k, C, H, W)}
   * @param masks {@code (k, 1, H, W)}, or null
   * @param steps k steps
   * @return the resized images, and the resized masks when given
   */
  static NDList resizeCrop(NDArray images, NDArray masks, List<ResizeCrop> steps) {
    NDManager m = images.getManager();
    Shape shape = images.getShape();
    int k = (int) shape.get(0);
    int channels = (int) shape.get(1);
    int h = (int) shape.get(2);
    int w = (int) shape.get(3);
    int outH = steps.get(0).outputHeight();
    int outW = steps.get(0).outputWidth();
    double[] scaleY = new double[k];
    double[] scaleX = new double[k];
    double[] offsetY = new double[k];
    double[] offsetX = new double[k];
    double[] scaledH = new double[k];
    double[] scaledW = new double[k];
    boolean[] flip = new boolean[k];
    for (int i = 0; i < k; i++) {
      ResizeCrop r = steps.get(i);
      scaleY[i] = (double) h / r.scaledHeight();
      scaleX[i] = (double) w / r.scaledWidth();
      offsetY[i] = r.offsetY();
      offsetX[i] = r.offsetX();
      scaledH[i] = r.scaledHeight();
      scaledW[i] = r.scaledWidth();
      flip[i] = r.flip();
    }
    // resized rows and columns each output pixel shows, (k, outH) and (k, outW)
    NDArray ys = m.arange(0f, outH, 1f, DataType.FLOAT64).reshape(1, outH).add(pair(m, offsetY));
    NDArray xs = m.arange(0f, outW, 1f, DataType.FLOAT64).reshape(1, outW).add(pair(m, offsetX));
    NDArray rowInside = ys.lt(pair(m, scaledH)).reshape(k, 1, outH, 1);
    NDArray colInside = xs.lt(pair(m, scaledW)).reshape(k, 1, 1, outW);
    NDArray inside = rowInside.logicalAnd(colInside);
    NDArray sy = pair(m, scaleY);
    NDArray sx = pair(m, scaleX);
    NDArray flipped = m.create(flip).reshape(k, 1).broadcast(k, outW);

    // bilinear image: u = (xs + 0.5) * sx - 0.5, mirrored as width - 1 - u, clamped to the edge
    // pixels
    NDArray u = xs.add(0.5).mul(sx).sub(0.5);
    u = NDArrays.where(flipped, u.neg().add(w - 1), u).clip(0, w - 1);
    NDArray v = ys.add(0.5).mul(sy).sub(0.5).clip(0, h - 1);
    NDArray x0 = u.floor();
    NDArray y0 = v.floor();
    // Warps.weight: floor(fraction * 256 + 0.5) from the float64 fraction, then exact integer
    // arithmetic in
    // float32 (every intermediate is an integer below 2^24)
    float one = Warps.WEIGHT_ONE;
    NDArray wx =
        u.sub(x0).mul(one).add(0.5).floor().toType(DataType.FLOAT32, false).reshape(k, 1, 1, outW);
    NDArray wy =
        v.sub(y0).mul(one).add(0.5).floor().toType(DataType.FLOAT32, false).reshape(k, 1, outH, 1);
    NDArray x1 = x0.add(1).minimum(w - 1);
    NDArray y1 = y0.add(1).minimum(h - 1);
    NDArray top = rows(images, y0, channels, w);
    NDArray bottom = rows(images, y1, channels, w);
    NDArray notWx = wx.neg().add(one);
    // Warps.resizeCrop: row = a (256 - wx) + b wx, out = (top (256 - wy) + bottom wy + 2^15) >> 16
    NDArray t = cols(top, x0, channels, outH).mul(notWx).add(cols(top, x1, channels, outH).mul(wx));
    NDArray bt =
        cols(bottom, x0, channels, outH).mul(notWx).add(cols(bottom, x1, channels, outH).mul(wx));
    float half = 1 << (2 * Warps.WEIGHT_BITS - 1);
    float unit = one * one;
    NDArray resized = t.mul(wy.neg().add(one)).add(bt.mul(wy)).add(half).div(unit).floor();
    NDList out = new NDList(select(inside, resized, FILL));
    if (masks != null) {
      // nearest mask: column min(width - 1, floor((xs + 0.5) * sx)), mirrored as width - 1 - column
      NDArray col = xs.add(0.5).mul(sx).floor().minimum(w - 1);
      col = NDArrays.where(flipped, col.neg().add(w - 1), col);
      NDArray row = ys.add(0.5).mul(sy).floor().minimum(h - 1);
      NDArray picked = cols(rows(masks, row, 1, w), col, 1, outH);
      out.add(select(inside, picked, MASK_FILL));
    }
    return out;
  }

  /** Rows {@code index (k, outH)} of every channel: {@code (k, C, H, W) -> (k, C, outH, W)}. */
  private static NDArray rows(NDArray x, NDArray index, int channels, int width) {
    Shape s = index.getShape();
    NDArray i =
        index
            .toType(DataType.INT64, false)
            .reshape(s.get(0), 1, s.get(1), 1)
            .broadcast(s.get(0), channels, s.get(1), width);
    return x.gather(i, 2);
  }

  /**
   * Columns {@code index (k, outW)} of every channel and row: {@code (k, C, R, W) -> (k, C, R,
   * outW)}.
   */
  private static NDArray cols(NDArray x, NDArray index, int channels, int rows) {
    Shape s = index.getShape();
    NDArray i =
        index
            .toType(DataType.INT64, false)
            .reshape(s.get(0), 1, 1, s.get(1))
            .broadcast(s.get(0), channels, rows, s.get(1));
    return x.gather(i, 3);
  }

  /**
   * Pixel {@code flat (k, 1, H*W)} of every channel where {@code inside (k, 1, H, W)}, else {@code
   * fill}.
   */
  private static NDArray gatherFlat(NDArray x, NDArray flat, NDArray inside, float fill) {
    Shape s = x.getShape();
    long k = s.get(0);
    long channels = s.get(1);
    long plane = s.get(2) * s.get(3);
    NDArray picked =
        x.reshape(k, channels, plane).gather(flat.broadcast(k, channels, plane), 2).reshape(s);
    return select(inside, picked, fill);
  }

  /** {@code condition ? value : fill}, with the condition broadcast to the value's shape first. */
  static NDArray select(NDArray condition, NDArray value, float fill) {
    Shape s = value.getShape();
    return NDArrays.where(
        condition.broadcast(s), value, value.getManager().full(s, fill, value.getDataType()));
  }

  /**
   * Entry (row, col) of every example's 2x3 matrix, shaped {@code (k, 1, 1)} to broadcast over rows
   * and columns.
   */
  private static NDArray coefficient(NDArray matrices, int row, int col) {
    return matrices.get(":, {}:{}, {}:{}", row, row + 1, col, col + 1);
  }

  /**
   * One float64 value per example, shaped {@code (k, 1)} to broadcast over a row or column index.
   */
  private static NDArray pair(NDManager m, double[] values) {
    return m.create(values).reshape(values.length, 1);
  }
}
