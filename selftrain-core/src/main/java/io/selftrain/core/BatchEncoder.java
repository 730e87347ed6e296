package io.selftrain.core;

import io.selftrain.Target;
import java.util.List;

/**
 * How one task turns a batch's augmented targets into a {@link TargetBatch}, with any batch-level
 * noise of its own applied to inputs and targets alike (classification's label smoothing, and Mixup
 * and CutMix between pseudo examples). The batch is a pure function of its arguments, so it is the
 * same on any thread.
 *
 * @param <T> the target type
 */
interface BatchEncoder<T extends Target> {
  /**
   * Encodes one batch.
   *
   * @param inputs the batch's images, NCHW in [0, 1]; may be modified by batch noise
   * @param targets the augmented targets, human examples first
   * @param human how many leading examples are human-labeled
   * @param stageSeed the stage's seed
   * @param step the global step (epoch * steps per epoch + step), which seeds batch noise
   * @return the targets
   */
  TargetBatch encode(float[] inputs, List<T> targets, int human, long stageSeed, long step);
}
