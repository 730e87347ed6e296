package io.selftrain.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.selftrain.Prediction;
import io.selftrain.Student;
import io.selftrain.Target;
import java.util.List;

/**
 * A student trained with {@link JointTraining}: the task student in everything (name, input,
 * targets, loss, decoding), but its block is a {@link JointBlock} with the auxiliary head.
 *
 * @param <T> the task's target type
 */
final class JointStudent<T extends Target> implements Student<T> {
  private final Student<T> task;
  private final int auxiliaryClasses;

  JointStudent(Student<T> task, int auxiliaryClasses) {
    this.task = task;
    this.auxiliaryClasses = auxiliaryClasses;
  }

  @Override
  public String name() {
    return task.name();
  }

  @Override
  public Shape inputShape() {
    return task.inputShape();
  }

  @Override
  public Block newBlock() {
    return new JointBlock(task.newBlock(), auxiliaryClasses);
  }

  @Override
  public NDArray encodeTargets(List<T> targets, NDManager manager) {
    return task.encodeTargets(targets, manager);
  }

  @Override
  public NDArray lossPerExample(NDList predictions, NDArray targets) {
    return task.lossPerExample(predictions, targets);
  }

  @Override
  public boolean reproducibleNoise() {
    return task.reproducibleNoise();
  }

  @Override
  public List<Prediction<T>> decode(NDList predictions) {
    return task.decode(predictions);
  }
}
