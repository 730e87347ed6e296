package io.selftrain.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.selftrain.ClassTarget;
import io.selftrain.Prediction;
import io.selftrain.Student;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A classifier as a student: its block outputs logits (batch, classes); the loss is the cross
 * entropy against soft or hard target distributions, {@code -sum_k q_k log softmax(z)_k} per
 * example (the loss of Noisy Student for soft pseudo labels, Xie et al. 2020, Sec. 2); decoding is
 * the softmax.
 */
final class ClassificationStudent implements Student<ClassTarget> {
  private final String name;
  private final Shape inputShape;
  private final int numClasses;
  private final Supplier<Block> blockFactory;

  ClassificationStudent(
      String name, Shape inputShape, int numClasses, Supplier<Block> blockFactory) {
    this.name = name;
    this.inputShape = inputShape;
    this.numClasses = numClasses;
    this.blockFactory = blockFactory;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Shape inputShape() {
    return inputShape;
  }

  /**
   * Every block this class builds is made of selftrain's layers, whose noise comes from
   * TrainingNoise.
   */
  @Override
  public boolean reproducibleNoise() {
    return true;
  }

  @Override
  public Block newBlock() {
    return blockFactory.get();
  }

  @Override
  public NDArray encodeTargets(List<ClassTarget> targets, NDManager manager) {
    float[] q = new float[targets.size() * numClasses];
    for (int i = 0; i < targets.size(); i++) {
      ClassTarget t = targets.get(i);
      if (t.numClasses() != numClasses) {
        throw new IllegalArgumentException(
            "targets[" + i + "] must have " + numClasses + " classes: " + t.numClasses());
      }
      t.copyProbabilitiesTo(q, i * numClasses);
    }
    return manager.create(q, new Shape(targets.size(), numClasses));
  }

  @Override
  public NDArray lossPerExample(NDList predictions, NDArray targets) {
    NDArray logProbabilities = predictions.singletonOrThrow().logSoftmax(1);
    return logProbabilities.mul(targets).sum(new int[] {1}).neg();
  }

  @Override
  public List<Prediction<ClassTarget>> decode(NDList predictions) {
    NDArray logits = predictions.singletonOrThrow();
    float[] p = logits.softmax(1).toFloatArray();
    int batch = (int) logits.getShape().get(0);
    List<Prediction<ClassTarget>> out = new ArrayList<>(batch);
    float[] row = new float[numClasses];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(p, i * numClasses, row, 0, numClasses);
      ClassTarget target = ClassTarget.probabilities(row);
      out.add(new Prediction<>(target, target.confidence()));
    }
    return out;
  }

  @Override
  public String toString() {
    return name;
  }
}
