package io.selftrain.augment;

import io.selftrain.Augmenter;
import io.selftrain.Example;
import io.selftrain.Target;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An augmenter whose random draw is separate from applying it: {@link #sample} makes every random
 * choice for one example and returns it as data, {@link #apply} replays such a draw, moving image,
 * boxes and mask together. {@code augment(e, rng)} is {@code apply(e, sample(e, rng))}. A draw can
 * be logged, stored, and replayed to reproduce an augmented example exactly.
 *
 * <p>Instances come from {@link Augmenters}; they are immutable and safe to share between threads.
 *
 * @param <T> the target type
 */
public sealed interface PolicyAugmenter<T extends Target> extends Augmenter<T>
    permits PolicyPipeline {
  /**
   * Draws this augmenter's parameters for one example.
   *
   * @param example the example (its size and boxes shape the draw; it is not modified)
   * @param rng this example's generator
   * @return the steps, in order
   */
  List<AugmentStep> sample(Example<T> example, SplittableRandom rng);

  /**
   * Applies a draw.
   *
   * @param example the input (not modified)
   * @param draw steps from {@link #sample} on the same example (or any list of steps)
   * @return the augmented example with the same origin
   */
  Example<T> apply(Example<T> example, List<AugmentStep> draw);

  @Override
  default Example<T> augment(Example<T> example, SplittableRandom rng) {
    return apply(example, sample(example, rng));
  }
}
