package io.selftrain.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Numbers for arithmetic that autograd records, as arrays in the engine's own memory.
 *
 * <p>Why: DJL's {@code NDArray.mul(Number)}, {@code div}, {@code pow}, {@code maximum} and {@code
 * minimum} wrap the number in a temporary array over a Java direct buffer and close it as soon as
 * the operation returns. When the other operand is differentiable, PyTorch's autograd keeps that
 * array for the backward pass (the factor of a product, the divisor, the bound of an extremum), but
 * nothing keeps the Java buffer: a garbage collection between the forward and the backward pass
 * frees memory that backward then reads. Seen as a detection teacher whose parameters came out
 * differently in 1-3 of 40 fresh processes, and with NaN gradients in 2 of about 250 (none with a
 * collector that never frees). An array from {@link #like} is allocated by the engine (libtorch's
 * allocator for PyTorch) and lives as long as any tensor refers to it, whatever happens to its Java
 * handle. Sums and differences with a number keep no operand and need no such care.
 */
public final class Scalars {
  private Scalars() {}

  /**
   * A scalar array of {@code array}'s data type, attached to its manager.
   *
   * @param array the array the number will be combined with
   * @param value the number
   * @return a 0-dimensional array holding {@code value}
   */
  public static NDArray like(NDArray array, float value) {
    return array.getManager().full(new Shape(), value, array.getDataType());
  }
}
