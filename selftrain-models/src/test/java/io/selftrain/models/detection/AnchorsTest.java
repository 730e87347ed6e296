package io.selftrain.models.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class AnchorsTest {
  private static final AnchorConfig RETINA = AnchorConfig.retinaNet();

  @Test
  void count_640x640_perLevel() {
    // 640 / 8 = 80 -> 80 * 80 * 9 anchors on P3, down to 5 * 5 * 9 on P7
    assertThat(Anchors.count(RETINA, 3, 640, 640)).isEqualTo(80 * 80 * 9);
    assertThat(Anchors.count(RETINA, 4, 640, 640)).isEqualTo(40 * 40 * 9);
    assertThat(Anchors.count(RETINA, 5, 640, 640)).isEqualTo(20 * 20 * 9);
    assertThat(Anchors.count(RETINA, 6, 640, 640)).isEqualTo(10 * 10 * 9);
    assertThat(Anchors.count(RETINA, 7, 640, 640)).isEqualTo(5 * 5 * 9);
  }

  @Test
  void count_sizeNotDivisibleByStride_roundsUpLikeRange() {
    // range(64, 100, 128) has one centre; range(4, 100, 8) has 12 (4 .. 92); range(4, 60, 8) has 7
    assertThat(Anchors.count(RETINA, 7, 100, 100)).isEqualTo(9);
    assertThat(Anchors.count(RETINA, 3, 100, 60)).isEqualTo(12 * 7 * 9);
    // range(64, 64, 128) is empty: a 64-pixel image has no P7 anchors
    assertThat(Anchors.count(RETINA, 7, 64, 64)).isZero();
  }

  @Test
  void generate_firstAnchorsOfP3_matchScalesAndRatios() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray anchors = Anchors.generate(manager, RETINA, 128, 128);
      int total = 0;
      for (int level = 3; level <= 7; level++) {
        total += Anchors.count(RETINA, level, 128, 128);
      }
      assertThat(anchors.getShape()).isEqualTo(new Shape(total, 4));
      float[] a = anchors.toFloatArray();
      // centre (4, 4); scale 0 ratio 1: 32 x 32
      assertThat(a[0]).isCloseTo(-12f, within(1e-4f));
      assertThat(a[1]).isCloseTo(-12f, within(1e-4f));
      assertThat(a[2]).isCloseTo(20f, within(1e-4f));
      assertThat(a[3]).isCloseTo(20f, within(1e-4f));
      // scale 0 ratio 2 (wide): 32 sqrt 2 x 32 / sqrt 2
      double w = 32 * Math.sqrt(2);
      double h = 32 / Math.sqrt(2);
      assertThat((double) (a[6] - a[4])).isCloseTo(w, within(1e-4));
      assertThat((double) (a[7] - a[5])).isCloseTo(h, within(1e-4));
      // scale 2 ratio 1: 32 * 2^(2/3)
      int s2 = 6 * 4;
      assertThat((double) (a[s2 + 2] - a[s2])).isCloseTo(32 * Math.pow(2, 2 / 3.0), within(1e-4));
      // second location is one stride to the right
      assertThat(a[9 * 4]).isCloseTo(-12f + 8f, within(1e-4f));
      // every anchor has area base^2 on its level (ratios preserve area); the last is P7, scale 2:
      // 512 * 2^(2/3)
      int last = (total - 1) * 4;
      double area = (a[last + 2] - a[last]) * (double) (a[last + 3] - a[last + 1]);
      assertThat(area).isCloseTo(Math.pow(512 * Math.pow(2, 2 / 3.0), 2), within(1.0));
    }
  }

  @Test
  void config_maxLevelBelowMinLevel() {
    assertThatThrownBy(() -> AnchorConfig.builder().minLevel(5).maxLevel(4).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maxLevel")
        .hasMessageContaining("4");
  }

  @Test
  void count_levelOutsideConfig() {
    assertThatThrownBy(() -> Anchors.count(RETINA, 2, 64, 64))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("level")
        .hasMessageContaining("2");
  }
}
