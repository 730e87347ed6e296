package io.selftrain.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A classification batch's target distributions, row-major (examples x classes).
 *
 * @param probabilities one distribution per example
 * @param numClasses the classes per row
 */
record ClassTargetBatch(float[] probabilities, int numClasses) implements TargetBatch {
  @Override
  public NDArray toArray(NDManager manager) {
    return manager.create(probabilities, new Shape(probabilities.length / numClasses, numClasses));
  }
}
