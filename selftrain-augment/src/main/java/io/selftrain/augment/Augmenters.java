package io.selftrain.augment;

import static com.google.common.base.Preconditions.checkNotNull;

import io.selftrain.Augmenter;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Target;
import java.util.SplittableRandom;

/**
 * Factories for augmenters.
 *
 * <pre>{@code
 * Augmenter<ClassTarget> noise = Augmenters.flipCrop(FlipCropConfig.builder().padding(2).build());
 * Example<ClassTarget> out = noise.augment(example, new SplittableRandom(seed));
 * }</pre>
 */
public final class Augmenters {
  private Augmenters() {}

  /**
   * Pad + random crop + horizontal flip (+ optional Cutout) for classification.
   *
   * @param config the settings
   * @return the augmenter
   */
  public static Augmenter<ClassTarget> flipCrop(FlipCropConfig config) {
    return new FlipCropAugmenter(checkNotNull(config, "config"));
  }

  /**
   * The identity: returns every example unchanged (what an un-noised teacher trains with).
   *
   * @param <T> the target type
   * @return the augmenter
   */
  public static <T extends Target> Augmenter<T> none() {
    return new Augmenter<>() {
      @Override
      public Example<T> augment(Example<T> example, SplittableRandom rng) {
        return example;
      }

      @Override
      public String describe() {
        return "none";
      }
    };
  }
}
