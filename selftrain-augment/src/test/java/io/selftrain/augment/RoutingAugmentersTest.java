package io.selftrain.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selftrain.Augmenter;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Origin;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoutingAugmentersTest {
  /**
   * Adds {@code delta} to every pixel (mod 256), so the order and the route of a call are visible.
   */
  private static Augmenter<ClassTarget> add(int delta) {
    return new Augmenter<>() {
      @Override
      public Example<ClassTarget> augment(Example<ClassTarget> e, SplittableRandom rng) {
        byte[] p = e.image().pixels();
        for (int i = 0; i < p.length; i++) {
          p[i] = (byte) (p[i] + delta);
        }
        return new Example<>(
            Image.of(e.image().height(), e.image().width(), e.image().channels(), p),
            e.target(),
            e.origin());
      }

      @Override
      public String describe() {
        return "add" + delta;
      }
    };
  }

  private static Example<ClassTarget> example(Origin origin) {
    return new Example<>(
        Image.of(2, 2, 1, new byte[] {1, 2, 3, 4}), ClassTarget.index(0, 2), origin);
  }

  @Test
  void byOrigin_routesHumanAndPseudoExamples() {
    Augmenter<ClassTarget> routed = Augmenters.byOrigin(add(10), add(100));
    assertThat(routed.augment(example(Origin.HUMAN), new SplittableRandom(0)).image().pixels())
        .containsExactly(11, 12, 13, 14);
    assertThat(routed.augment(example(Origin.PSEUDO), new SplittableRandom(0)).image().pixels())
        .containsExactly(101, 102, 103, 104);
    assertThat(routed.augment(example(Origin.PSEUDO), new SplittableRandom(0)).origin())
        .isEqualTo(Origin.PSEUDO);
    assertThat(routed.describe()).isEqualTo("human: add10; pseudo: add100");
  }

  @Test
  void sequence_appliesInOrder_withOneGenerator() {
    Augmenter<ClassTarget> flipThenRand =
        Augmenters.sequence(
            Augmenters.flipCrop(FlipCropConfig.builder().padding(0).build()), add(1));
    Example<ClassTarget> in = example(Origin.HUMAN);
    byte[] a = flipThenRand.augment(in, new SplittableRandom(5)).image().pixels();
    byte[] b =
        add(1)
            .augment(
                Augmenters.flipCrop(FlipCropConfig.builder().padding(0).build())
                    .augment(in, new SplittableRandom(5)),
                null)
            .image()
            .pixels();
    assertThat(a).containsExactly(b);
    assertThat(flipThenRand.describe()).endsWith(" + add1");
  }

  @Test
  void badArguments() {
    assertThatThrownBy(() -> Augmenters.<ClassTarget>sequence())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parts");
    assertThatThrownBy(() -> Augmenters.byOrigin(add(1), null)).hasMessageContaining("pseudo");
  }
}
