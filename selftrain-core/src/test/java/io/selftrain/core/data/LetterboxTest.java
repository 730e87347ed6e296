package io.selftrain.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LetterboxTest {
  @Test
  void fit_scaleIsSizeOverTheLongerSide() {
    Letterbox wide = Letterbox.fit(40, 80, 64);
    Letterbox tall = Letterbox.fit(300, 7, 640);

    assertThat(wide.scale()).isCloseTo(0.8, within(1e-12));
    assertThat(wide.scaledHeight()).isEqualTo(32);
    assertThat(wide.scaledWidth()).isEqualTo(64);
    assertThat(tall.scale()).isCloseTo(640.0 / 300.0, within(1e-12));
    assertThat(tall.scaledHeight()).isEqualTo(640);
    assertThat(tall.scaledWidth()).isEqualTo(15); // 7 * 2.1333 = 14.93
    assertThat(Letterbox.fit(64, 64, 64).scale()).isEqualTo(1.0);
  }

  @Test
  void fit_tinyShortSide_keepsOnePixel() {
    Letterbox line = Letterbox.fit(1, 1000, 64);

    assertThat(line.scaledHeight()).isEqualTo(1);
    assertThat(line.scaledWidth()).isEqualTo(64);
  }

  @Test
  void toInput_multipliesByTheScale() {
    Letterbox wide = Letterbox.fit(40, 80, 64);

    assertThat(wide.toInput(new float[] {10f, 5f, 40f, 25f, 0f, 0f, 80f, 40f}))
        .containsExactly(new float[] {8f, 4f, 32f, 20f, 0f, 0f, 64f, 32f}, within(1e-4f));
  }

  @Test
  void toInput_boxEmptiedByRounding_keepsAPositiveSize() {
    Letterbox wide = Letterbox.fit(40, 80, 64);
    // Two neighbouring floats whose products with 0.8 round to the same float.
    float x1 = 0.0012207034f;
    float x2 = Math.nextUp(x1);
    assertThat((float) (x1 * wide.scale())).isEqualTo((float) (x2 * wide.scale()));

    float[] box = wide.toInput(new float[] {x1, 10f, x2, 20f});

    assertThat(box[0]).isEqualTo((float) (x1 * wide.scale()));
    assertThat(box[2]).isEqualTo(Math.nextUp(box[0]));
    assertThat(box[1]).isEqualTo(8f);
    assertThat(box[3]).isEqualTo(16f);
  }

  @Test
  void toInput_doesNotClip() {
    Letterbox wide = Letterbox.fit(40, 80, 64);

    assertThat(wide.toInput(new float[] {-10f, -5f, 100f, 50f}))
        .containsExactly(new float[] {-8f, -4f, 80f, 40f}, within(1e-4f));
  }

  @Test
  void toOriginal_dividesAndClips() {
    Letterbox tall = Letterbox.fit(100, 50, 64);

    // / 0.64: [16, 32, 32, 64] -> [25, 50, 50, 100]; [-3.2, 0, 40, 70] -> [-5, 0, 62.5, 109.375]
    // clipped.
    assertThat(tall.toOriginal(new float[] {16f, 32f, 32f, 64f, -3.2f, 0f, 40f, 70f}))
        .containsExactly(new float[] {25f, 50f, 50f, 100f, 0f, 0f, 50f, 100f}, within(1e-4f));
  }

  @Test
  void toOriginal_ofToInput_isTheBox() {
    Letterbox odd = Letterbox.fit(333, 517, 640);
    float[] boxes = {
      0f, 0f, 517f, 333f, 12.34f, 56.78f, 100.01f, 300.5f, 516.5f, 332.5f, 517f, 333f
    };

    assertThat(odd.toOriginal(odd.toInput(boxes))).containsExactly(boxes, within(1e-4f));
  }

  @Test
  void boxes_lengthNotAMultipleOfFour() {
    Letterbox box = Letterbox.fit(10, 10, 20);
    assertThatThrownBy(() -> box.toOriginal(new float[6]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("xyxyBoxes")
        .hasMessageContaining("6");
    assertThatThrownBy(() -> box.toInput(new float[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("xyxyBoxes")
        .hasMessageContaining("3");
  }

  @Test
  void new_badArguments() {
    assertThatThrownBy(() -> new Letterbox(0, 10, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scale")
        .hasMessageContaining("0.0");
    assertThatThrownBy(() -> new Letterbox(Double.NaN, 10, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scale")
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> new Letterbox(1, -2, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("originalHeight")
        .hasMessageContaining("-2");
    assertThatThrownBy(() -> Letterbox.fit(10, 10, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size")
        .hasMessageContaining("0");
  }
}
