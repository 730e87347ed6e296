package io.selftrain.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.selftrain.MaskTarget;
import io.selftrain.Student;
import java.util.List;

/**
 * A segmentation batch whose pseudo rows are compared with their masks through prior-corrected
 * logits ({@link PseudoPriorCorrection}): the student's per-pixel logits plus one offset per class
 * on every pseudo row, the human rows untouched.
 *
 * @param student the model, which encodes the masks
 * @param targets one mask per example, human examples first
 * @param human how many leading examples are human-labeled
 * @param offsets one logit offset per class for the pseudo rows
 */
record PriorCorrectedMaskBatch(
    Student<MaskTarget> student, List<MaskTarget> targets, int human, float[] offsets)
    implements TargetBatch {
  @Override
  public NDArray toArray(NDManager manager) {
    return student.encodeTargets(targets, manager);
  }

  @Override
  public NDList lossInputs(NDList predictions, NDManager manager) {
    NDArray logits = predictions.singletonOrThrow();
    int rows = targets.size();
    int classes = offsets.length;
    float[] perRow = new float[rows * classes];
    for (int row = human; row < rows; row++) {
      System.arraycopy(offsets, 0, perRow, row * classes, classes);
    }
    NDArray shift =
        manager.create(perRow, new Shape(rows, classes, 1, 1)).toType(logits.getDataType(), false);
    return new NDList(logits.add(shift));
  }
}
