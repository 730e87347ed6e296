package io.selftrain.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selftrain.Augmenter;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Origin;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FlipCropAugmenterTest {
  /** A 6x5 image whose every pixel differs: value = 10 * y + x + 1. */
  private static Image ramp(int channels) {
    int h = 6;
    int w = 5;
    byte[] p = new byte[h * w * channels];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < channels; c++) {
          p[(y * w + x) * channels + c] = (byte) (10 * y + x + 1 + 100 * c);
        }
      }
    }
    return Image.of(h, w, channels, p);
  }

  private static FlipCropAugmenter augmenter(int padding, boolean flip, int fill, int cutout) {
    return new FlipCropAugmenter(
        FlipCropConfig.builder()
            .padding(padding)
            .horizontalFlip(flip)
            .fill(fill)
            .cutout(cutout)
            .build());
  }

  @Test
  void apply_shift_matchesIndependentIndexing() {
    Image in = ramp(3);
    Image out = augmenter(2, false, 7, 0).apply(in, 1, -2, false, 0, 0);
    for (int y = 0; y < 6; y++) {
      for (int x = 0; x < 5; x++) {
        for (int c = 0; c < 3; c++) {
          int sy = y + 1;
          int sx = x - 2;
          int expected = sy < 6 && sx >= 0 ? in.get(sy, sx, c) : 7;
          assertThat(out.get(y, x, c)).as("(%s,%s,%s)", y, x, c).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void apply_flip_mirrorsColumns() {
    Image in = ramp(1);
    Image out = augmenter(0, true, 0, 0).apply(in, 0, 0, true, 0, 0);
    for (int y = 0; y < 6; y++) {
      for (int x = 0; x < 5; x++) {
        assertThat(out.get(y, x, 0)).isEqualTo(in.get(y, 4 - x, 0));
      }
    }
  }

  @Test
  void apply_flipTwice_isIdentity() {
    Image in = ramp(3);
    FlipCropAugmenter a = augmenter(0, true, 0, 0);
    assertThat(a.apply(a.apply(in, 0, 0, true, 0, 0), 0, 0, true, 0, 0)).isEqualTo(in);
  }

  @Test
  void apply_cutout_fillsSquareOnly() {
    Image in = ramp(1);
    Image out = augmenter(0, false, 0, 2).apply(in, 0, 0, false, 3, 2);
    for (int y = 0; y < 6; y++) {
      for (int x = 0; x < 5; x++) {
        boolean inside = y >= 2 && y < 4 && x >= 1 && x < 3;
        assertThat(out.get(y, x, 0)).isEqualTo(inside ? 0 : in.get(y, x, 0));
      }
    }
  }

  @Test
  void augment_sameSeedSameOutput_differentSeedsDiffer() {
    Augmenter<ClassTarget> a =
        Augmenters.flipCrop(FlipCropConfig.builder().padding(2).cutout(2).build());
    Example<ClassTarget> e = new Example<>(ramp(1), ClassTarget.index(3, 10), Origin.HUMAN);
    assertThat(a.augment(e, new SplittableRandom(11)).image())
        .isEqualTo(a.augment(e, new SplittableRandom(11)).image());
    Set<Image> seen = new HashSet<>();
    for (int seed = 0; seed < 20; seed++) {
      Example<ClassTarget> out = a.augment(e, new SplittableRandom(seed));
      assertThat(out.target()).isEqualTo(e.target());
      assertThat(out.origin()).isEqualTo(Origin.HUMAN);
      seen.add(out.image());
    }
    assertThat(seen).hasSizeGreaterThan(10);
  }

  @Test
  void augment_keepsShapeAndChangesInput() {
    Augmenter<ClassTarget> a = Augmenters.flipCrop(FlipCropConfig.builder().build());
    Image in = ramp(3);
    int changed = 0;
    for (int seed = 0; seed < 10; seed++) {
      Image out =
          a.augment(
                  new Example<>(in, ClassTarget.index(0, 2), Origin.PSEUDO),
                  new SplittableRandom(seed))
              .image();
      assertThat(out.height()).isEqualTo(6);
      assertThat(out.width()).isEqualTo(5);
      assertThat(out.channels()).isEqualTo(3);
      changed += out.equals(in) ? 0 : 1;
    }
    assertThat(changed).isGreaterThanOrEqualTo(8);
  }

  @Test
  void none_returnsInput() {
    Example<ClassTarget> e = new Example<>(ramp(1), ClassTarget.index(0, 2), Origin.HUMAN);
    assertThat(Augmenters.<ClassTarget>none().augment(e, new SplittableRandom(1))).isSameAs(e);
  }

  @Test
  void padding_negative() {
    assertThatThrownBy(() -> FlipCropConfig.builder().padding(-1).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("padding")
        .hasMessageContaining("-1");
  }

  @Test
  void describe_namesTheOps() {
    assertThat(Augmenters.flipCrop(FlipCropConfig.builder().cutout(8).build()).describe())
        .isEqualTo("flip+crop(pad=2)+cutout(8)");
  }
}
