package io.selftrain.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.selftrain.BoxesTarget;
import io.selftrain.Student;
import java.util.List;

/**
 * A detection batch's boxes, assigned to the student's anchors ({@link Student#encodeTargets}) on the
 * training thread.
 *
 * @param student the detector, which owns the anchor matching
 * @param boxes one target per example, in batch order
 */
record BoxesTargetBatch(Student<BoxesTarget> student, List<BoxesTarget> boxes) implements TargetBatch {
  @Override
  public NDArray toArray(NDManager manager) {
    return student.encodeTargets(boxes, manager);
  }
}
