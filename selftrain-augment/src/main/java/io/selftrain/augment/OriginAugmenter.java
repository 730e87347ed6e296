package io.selftrain.augment;

import io.selftrain.Augmenter;
import io.selftrain.Example;
import io.selftrain.Origin;
import io.selftrain.Target;
import java.util.SplittableRandom;

/**
 * Routes human-labeled and pseudo-labeled examples to different augmenters (see {@link
 * Augmenters#byOrigin}).
 */
final class OriginAugmenter<T extends Target> implements Augmenter<T> {
  private final Augmenter<T> human;
  private final Augmenter<T> pseudo;

  OriginAugmenter(Augmenter<T> human, Augmenter<T> pseudo) {
    this.human = human;
    this.pseudo = pseudo;
  }

  @Override
  public Example<T> augment(Example<T> example, SplittableRandom rng) {
    return (example.origin() == Origin.PSEUDO ? pseudo : human).augment(example, rng);
  }

  @Override
  public String describe() {
    return "human: " + human.describe() + "; pseudo: " + pseudo.describe();
  }
}
