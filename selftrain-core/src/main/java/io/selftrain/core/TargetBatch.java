package io.selftrain.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * The targets of one training batch, prepared off the training thread and turned into the array the
 * student's {@link io.selftrain.Student#lossPerExample} reads on it (class distributions for
 * classification, per-anchor classes and box codes for detection).
 */
interface TargetBatch {
  /**
   * The targets as the student's loss reads them.
   *
   * @param manager the step's scope, which owns the array
   * @return one row per example of the batch, in batch order
   */
  NDArray toArray(NDManager manager);

  /**
   * The predictions the student's loss compares with these targets: the model's own, unless the
   * batch adjusts them (segmentation's prior correction of pseudo rows, {@link
   * PriorCorrectedMaskBatch}).
   *
   * @param predictions the model's outputs for the batch
   * @param manager the step's scope, which owns any new array
   * @return the loss's inputs
   */
  default NDList lossInputs(NDList predictions, NDManager manager) {
    return predictions;
  }
}
