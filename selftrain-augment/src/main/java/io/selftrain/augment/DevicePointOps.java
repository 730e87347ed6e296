package io.selftrain.augment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * The colour ops and Cutout of the device path, batched over examples with per-example arguments as
 * {@code (k, 1, 1, 1)} tensors, with the semantics of {@link PointOps} (the TF AutoAugment
 * reference, {@code autoaugment_utils.py}; reference/paper-spec.md Sec. 4.3-4.4).
 *
 * <p>Images are float32 {@code (k, C, H, W)} holding integers in [0, 255]. Each op repeats the
 * float32 arithmetic of its CPU lookup table operation by operation (TF {@code blend}, grayscale
 * weights, autocontrast's scale and offset), and integer steps (posterize, solarize, Sharpness' 3x3
 * sum divided by 13, Equalize's table) are exact in floating point, so the results equal the CPU
 * path's. Divisions use a tensor divisor, never a host scalar, because CUDA turns division by a
 * host scalar into multiplication by its reciprocal, which rounds differently.
 */
final class DevicePointOps {
  private DevicePointOps() {}

  /**
   * @param op a colour op ({@link AugmentOp#AUTO_CONTRAST} ... {@link AugmentOp#SHARPNESS})
   * @param x the images
   * @param arguments the op's argument per image
   * @return the changed images
   */
  static NDArray apply(AugmentOp op, NDArray x, double[] arguments) {
    return switch (op) {
      case IDENTITY -> x.duplicate();
      case AUTO_CONTRAST -> autoContrast(x);
      case EQUALIZE -> equalize(x);
      case INVERT -> x.neg().add(255f);
      case POSTERIZE -> posterize(x, arguments);
      case SOLARIZE -> {
        NDArray threshold = perImage(x, arguments, a -> (int) a);
        yield NDArrays.where(x.gte(threshold), x.neg().add(255f), x);
      }
      case SOLARIZE_ADD -> {
        NDArray added = x.add(perImage(x, arguments, a -> (int) a)).clip(0, 255);
        yield NDArrays.where(x.lt(128f), added, x);
      }
      case BRIGHTNESS -> blend(x.zerosLike(), x, factors(x, arguments));
      case COLOR ->
          x.getShape().get(1) == 3 ? blend(gray(x), x, factors(x, arguments)) : x.duplicate();
      case CONTRAST -> blend(meanGray(x), x, factors(x, arguments));
      case SHARPNESS -> sharpness(x, factors(x, arguments));
      default -> throw new IllegalArgumentException("op must be a colour op: " + op);
    };
  }

  /**
   * TF cutout on a batch: rows {@code [y0, y1)} and columns {@code [x0, x1)} of image i, given as
   * {@code rects[4i..4i+3]}, set to 128 (an empty rectangle changes nothing).
   */
  static NDArray fill(NDArray x, int[] rects) {
    NDManager m = x.getManager();
    Shape s = x.getShape();
    int k = (int) s.get(0);
    int h = (int) s.get(2);
    int w = (int) s.get(3);
    float[][] bounds = new float[4][k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < 4; j++) {
        bounds[j][i] = rects[4 * i + j];
      }
    }
    NDArray rows = m.arange(0f, h, 1f, DataType.FLOAT32).reshape(1, 1, h, 1);
    NDArray cols = m.arange(0f, w, 1f, DataType.FLOAT32).reshape(1, 1, 1, w);
    NDArray inRows = rows.gte(column(m, bounds[0])).logicalAnd(rows.lt(column(m, bounds[1])));
    NDArray inCols = cols.gte(column(m, bounds[2])).logicalAnd(cols.lt(column(m, bounds[3])));
    return NDArrays.where(
        inRows.logicalAnd(inCols).broadcast(s), m.full(s, DeviceWarps.FILL, x.getDataType()), x);
  }

  /**
   * TF {@code blend(degenerate, image, factor)}: {@code degenerate + factor * (image - degenerate)}
   * in float32, clipped to [0, 255] and truncated (the clip changes nothing when the factor is in
   * [0, 1]).
   */
  private static NDArray blend(NDArray degenerate, NDArray x, NDArray factor) {
    return degenerate.add(factor.mul(x.sub(degenerate))).clip(0, 255).floor();
  }

  /**
   * TF grayscale ({@link PointOps#gray}): {@code (r/255 * 0.2989 + g/255 * 0.587 + b/255 * 0.114) *
   * 255.5}, truncated.
   */
  private static NDArray gray(NDArray x) {
    float inv = 1f / 255f;
    NDArray r = x.get(":, 0:1").mul(inv).mul(0.2989f);
    NDArray g = x.get(":, 1:2").mul(inv).mul(0.5870f);
    NDArray b = x.get(":, 2:3").mul(inv).mul(0.1140f);
    return r.add(g).add(b).mul(255.5f).floor().minimum(255f);
  }

  /**
   * {@link PointOps#meanGray}: the integer sum of grey values over float32 pixel count, truncated;
   * {@code (k, 1, 1, 1)}.
   */
  private static NDArray meanGray(NDArray x) {
    Shape s = x.getShape();
    NDArray grey = s.get(1) == 3 ? gray(x) : x;
    // sum one axis at a time (several axes at once throw on PyTorch), in integers so that the sum
    // is exact
    NDArray sum =
        grey.toType(DataType.INT32, false).sum(new int[] {3}).sum(new int[] {2}).sum(new int[] {1});
    NDArray count = x.getManager().create((float) (s.get(2) * s.get(3) * grey.getShape().get(1)));
    NDArray mean = sum.toType(DataType.FLOAT32, false).div(count);
    return mean.clip(0, 255).floor().reshape(s.get(0), 1, 1, 1);
  }

  /**
   * TF posterize with {@link PointOps#posterize}'s shift clamp: {@code floor(x / 2^s) * 2^s}, exact
   * in float32.
   */
  private static NDArray posterize(NDArray x, double[] bits) {
    NDArray up = perImage(x, bits, b -> 1 << Math.max(0, Math.min(7, 8 - (int) b)));
    NDArray down = perImage(x, bits, b -> 1.0 / (1 << Math.max(0, Math.min(7, 8 - (int) b))));
    return x.mul(down).floor().mul(up);
  }

  /**
   * TF sharpness ({@link PointOps#sharpness}): the interior's degenerate value is the 3x3 sum with
   * kernel {@code [[1,1,1],[1,5,1],[1,1,1]]} (a depthwise conv2d) divided by 13 and truncated,
   * border pixels are their own degenerate value; then blend. Images under 3x3 are copied.
   */
  private static NDArray sharpness(NDArray x, NDArray factor) {
    Shape s = x.getShape();
    long k = s.get(0);
    long channels = s.get(1);
    long h = s.get(2);
    long w = s.get(3);
    if (h < 3 || w < 3) {
      return x.duplicate();
    }
    NDManager m = x.getManager();
    NDArray kernel = m.create(new float[] {1, 1, 1, 1, 5, 1, 1, 1, 1}, new Shape(1, 1, 3, 3));
    NDArray sums = Conv2d.conv2d(x.reshape(k * channels, 1, h, w), kernel).singletonOrThrow();
    NDArray smooth = sums.div(m.create(13f)).floor().reshape(k, channels, h - 2, w - 2);
    NDArray degenerate = x.duplicate();
    degenerate.set(new NDIndex(":, :, 1:{}, 1:{}", h - 1, w - 1), smooth);
    return blend(degenerate, x, factor);
  }

  /**
   * Per-channel TF autocontrast ({@link PointOps#autoContrast}): {@code x * (255 / (hi - lo)) +
   * (-lo * scale)}, truncated; flat channels unchanged.
   */
  private static NDArray autoContrast(NDArray x) {
    NDArray lo = x.min(new int[] {3}, true).min(new int[] {2}, true);
    NDArray hi = x.max(new int[] {3}, true).max(new int[] {2}, true);
    NDArray range = hi.sub(lo);
    NDArray scale = x.getManager().full(range.getShape(), 255f).div(range.maximum(1f));
    NDArray offset = lo.neg().mul(scale);
    NDArray stretched = x.mul(scale).add(offset).clip(0, 255).floor();
    return NDArrays.where(range.gt(0f).broadcast(x.getShape()), stretched, x);
  }

  /**
   * Per-channel TF equalize ({@link PointOps#equalize}) without a histogram op: each channel's
   * values are sorted, and for every grey level v a branch-free binary search (one {@code gather}
   * per bit of H*W) counts the values below v, which is the exclusive cumulative histogram the TF
   * table needs; the count below the channel's maximum is {@code total - last}. The table is {@code
   * (cum[v] + step // 2) // step} with {@code step = (total - last) // 255}, computed in float64
   * (exact), and applied with a {@code gather}; channels with step 0 are unchanged.
   */
  private static NDArray equalize(NDArray x) {
    NDManager m = x.getManager();
    Shape s = x.getShape();
    long k = s.get(0);
    long channels = s.get(1);
    long n = s.get(2) * s.get(3);
    NDArray flat = x.reshape(k, channels, n);
    NDArray sorted = flat.sort(2);
    NDArray levels =
        m.arange(0f, 256f, 1f, DataType.FLOAT32).reshape(1, 1, 256).broadcast(k, channels, 256);
    NDArray targets = levels.concat(sorted.get(":, :, {}:", n - 1), 2);
    NDArray below = m.zeros(new Shape(k, channels, 257), DataType.INT64);
    for (long step = Long.highestOneBit(n); step >= 1; step >>= 1) {
      NDArray candidate = below.add(step);
      NDArray value = sorted.gather(candidate.sub(1).minimum(n - 1), 2);
      NDArray take = candidate.lte(n).logicalAnd(value.lt(targets));
      below = NDArrays.where(take, candidate, below);
    }
    NDArray cumulative = below.get(":, :, 0:256").toType(DataType.FLOAT64, false);
    NDArray step =
        below.get(":, :, 256:").toType(DataType.FLOAT64, false).div(m.create(255.0)).floor();
    NDArray half = step.div(m.create(2.0)).floor();
    NDArray table =
        cumulative
            .add(half)
            .div(step.maximum(1.0))
            .floor()
            .minimum(255.0)
            .mul(levels.gt(0f).toType(DataType.FLOAT64, false))
            .toType(DataType.FLOAT32, false);
    NDArray mapped = table.gather(flat.toType(DataType.INT64, false), 2).reshape(s);
    return NDArrays.where(step.gt(0.0).reshape(k, channels, 1, 1).broadcast(s), mapped, x);
  }

  /** TF enhance factors, one per image, as float32 (the CPU path casts the argument to float). */
  private static NDArray factors(NDArray x, double[] arguments) {
    return perImage(x, arguments, a -> (float) a);
  }

  /** One value per image, mapped on the host, shaped {@code (k, 1, 1, 1)}. */
  private static NDArray perImage(
      NDArray x, double[] arguments, java.util.function.DoubleUnaryOperator f) {
    float[] values = new float[arguments.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) f.applyAsDouble(arguments[i]);
    }
    return column(x.getManager(), values);
  }

  private static NDArray column(NDManager m, float[] values) {
    return m.create(values).reshape(values.length, 1, 1, 1);
  }
}
