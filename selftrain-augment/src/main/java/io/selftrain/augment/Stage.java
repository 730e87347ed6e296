package io.selftrain.augment;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One part of a policy: draws its steps for an input of the current size, and says how the size
 * changes.
 */
interface Stage {
  /**
   * Appends this stage's steps.
   *
   * @param size {height, width} of the stage's input; updated to its output size
   * @param rng the example's generator
   * @param out where the steps go
   */
  void sample(int[] size, SplittableRandom rng, List<AugmentStep> out);

  /**
   * @return a short description for reports
   */
  String describe();
}
