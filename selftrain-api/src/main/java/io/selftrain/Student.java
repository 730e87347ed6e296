package io.selftrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.List;

/**
 * A trainable model description: it builds a fresh DJL {@link Block} for each round, owns its task
 * loss and decodes its outputs into predictions. Noise that lives in the model (dropout, stochastic
 * depth) is active only in training-mode forward passes, so the same block serves as an un-noised
 * teacher afterwards.
 *
 * <p>Engine-agnostic: a student names no engine; it runs on whichever DJL engine trains it.
 *
 * @param <T> the task's target type
 */
public interface Student<T extends Target> {
  /**
   * @return a short name for logs and reports, such as {@code "cnn28-d0.3"}
   */
  String name();

  /**
   * @return the shape of one input image, (channels, height, width)
   */
  Shape inputShape();

  /**
   * @return a new, uninitialised block with this student's architecture and noise
   */
  Block newBlock();

  /**
   * Encodes a batch of targets into the array {@link #lossPerExample} expects.
   *
   * @param targets one target per example
   * @param manager owner of the returned array
   * @return the encoded batch
   */
  NDArray encodeTargets(List<T> targets, NDManager manager);

  /**
   * The task loss of every example in a batch, not reduced, so that human and pseudo examples can
   * be weighted separately (loss normalization, Zoph et al. 2020, Appendix).
   *
   * @param predictions the block's outputs for the batch
   * @param targets the output of {@link #encodeTargets}
   * @return shape (batch)
   */
  NDArray lossPerExample(NDList predictions, NDArray targets);

  /**
   * Whether every random draw of the block's training-mode forward pass comes from {@link
   * TrainingNoise} (selftrain's own dropout and stochastic depth do). Only then can two stages
   * train on two threads at once and each stay reproducible, so a run trains such stages in
   * parallel only when this is true.
   *
   * @return false unless the implementation guarantees it
   */
  default boolean reproducibleNoise() {
    return false;
  }

  /**
   * Decodes the block's (inference-mode) outputs into predictions.
   *
   * @param predictions the block's outputs for a batch
   * @return one prediction per example
   */
  List<Prediction<T>> decode(NDList predictions);
}
