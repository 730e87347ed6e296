package io.selftrain.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.selftrain.Student;
import io.selftrain.Target;
import java.util.List;

/**
 * A batch's targets as the student itself encodes them ({@link Student#encodeTargets}), on the
 * training thread: detection boxes assigned to the anchors, segmentation masks as class maps.
 *
 * @param student the model, which owns the encoding
 * @param targets one target per example, in batch order
 * @param <T> the target type
 */
record EncodedTargetBatch<T extends Target>(Student<T> student, List<T> targets)
    implements TargetBatch {
  @Override
  public NDArray toArray(NDManager manager) {
    return student.encodeTargets(targets, manager);
  }
}
