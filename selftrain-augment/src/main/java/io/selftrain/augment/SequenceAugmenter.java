package io.selftrain.augment;

import io.selftrain.Augmenter;
import io.selftrain.Example;
import io.selftrain.Target;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Augmenters applied one after the other with the example's generator (see {@link
 * Augmenters#sequence}).
 */
final class SequenceAugmenter<T extends Target> implements Augmenter<T> {
  private final List<Augmenter<T>> parts;

  SequenceAugmenter(List<Augmenter<T>> parts) {
    this.parts = List.copyOf(parts);
  }

  @Override
  public Example<T> augment(Example<T> example, SplittableRandom rng) {
    Example<T> out = example;
    for (Augmenter<T> part : parts) {
      out = part.augment(out, rng);
    }
    return out;
  }

  @Override
  public String describe() {
    return parts.stream().map(Augmenter::describe).collect(Collectors.joining(" + "));
  }
}
