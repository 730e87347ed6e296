package io.selftrain;

import java.util.SplittableRandom;

/**
 * Maps an example to an augmented example. All randomness comes from the generator passed in, so
 * one seed per example gives the same output on any thread count; geometric operations move boxes
 * and masks with the pixels.
 *
 * @param <T> the task's target type
 */
public interface Augmenter<T extends Target> {
  /**
   * Augments one example.
   *
   * @param example the input (not modified)
   * @param rng this example's generator
   * @return the augmented example with the same origin
   */
  Example<T> augment(Example<T> example, SplittableRandom rng);

  /**
   * @return a description for reports, such as {@code "flip+crop(pad=2)"}
   */
  String describe();
}
