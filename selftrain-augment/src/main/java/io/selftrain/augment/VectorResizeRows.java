package io.selftrain.augment;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ResizeRows} with the JDK's Vector API ({@code jdk.incubator.vector}, JDK 17): a source row
 * is widened to ints, interpolated along x with gathers over per-value column tables, and two rows
 * are blended and narrowed back to bytes 8 values at a time. The arithmetic is {@link
 * ResizeRows}'s, value for value. Loaded by name only when the module is present ({@link
 * ResizeRows#choose}).
 */
final class VectorResizeRows extends ResizeRows {
  private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_256;
  private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_64;
  private static final int LANES = INTS.length();
  private static final int HALF = 1 << (2 * Warps.WEIGHT_BITS - 1);

  /**
   * Per output value: source offsets (within a row) of the left and right samples, and the weight.
   */
  private final int[] left;

  private final int[] right;
  private final int[] weight;

  /** A source row widened to ints. */
  private final int[] row;

  /** The module-presence probe's instance (no column tables). */
  VectorResizeRows() {
    left = right = weight = row = null;
  }

  private VectorResizeRows(int[] x0, int[] x1, int[] wx, int channels, int width) {
    int n = x0.length * channels;
    left = new int[n];
    right = new int[n];
    weight = new int[n];
    for (int x = 0, i = 0; x < x0.length; x++) {
      for (int k = 0; k < channels; k++, i++) {
        left[i] = x0[x] + k;
        right[i] = x1[x] + k;
        weight[i] = wx[x];
      }
    }
    row = new int[width * channels];
  }

  @Override
  String describe() {
    return ResizeRows.MODULE;
  }

  @Override
  ResizeRows forColumns(int[] x0, int[] x1, int[] wx, int channels, int width) {
    return new VectorResizeRows(x0, x1, wx, channels, width);
  }

  @Override
  void horizontal(byte[] src, int rowStart, int[] x0, int[] x1, int[] wx, int channels, int[] out) {
    int n = row.length;
    int i = 0;
    for (; i <= n - LANES; i += LANES) {
      ((IntVector)
              ByteVector.fromArray(BYTES, src, rowStart + i)
                  .convertShape(VectorOperators.B2I, INTS, 0))
          .and(0xFF)
          .intoArray(row, i);
    }
    for (; i < n; i++) {
      row[i] = src[rowStart + i] & 0xFF;
    }
    int m = left.length;
    int j = 0;
    for (; j <= m - LANES; j += LANES) {
      IntVector a = IntVector.fromArray(INTS, row, 0, left, j);
      IntVector b = IntVector.fromArray(INTS, row, 0, right, j);
      IntVector f = IntVector.fromArray(INTS, weight, j);
      a.lanewise(VectorOperators.LSHL, Warps.WEIGHT_BITS).add(b.sub(a).mul(f)).intoArray(out, j);
    }
    for (; j < m; j++) {
      out[j] = interpolate(row[left[j]], row[right[j]], weight[j]);
    }
  }

  @Override
  void vertical(int[] upper, int[] lower, int wy, byte[] dst, int offset, int span) {
    int i = 0;
    for (; i <= span - LANES; i += LANES) {
      IntVector top = IntVector.fromArray(INTS, upper, i);
      IntVector bottom = IntVector.fromArray(INTS, lower, i);
      top.lanewise(VectorOperators.LSHL, Warps.WEIGHT_BITS)
          .add(bottom.sub(top).mul(wy))
          .add(HALF)
          .lanewise(VectorOperators.ASHR, 2 * Warps.WEIGHT_BITS)
          .convertShape(VectorOperators.I2B, BYTES, 0)
          .reinterpretAsBytes()
          .intoArray(dst, offset + i);
    }
    for (; i < span; i++) {
      dst[offset + i] = (byte) blend(upper[i], lower[i], wy);
    }
  }
}
