package io.selftrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ImageTest {

  @Test
  void copyChwTo_rgb_writesChannelPlanesScaledToUnit() {
    // 1x2 RGB: pixel 0 = (255, 0, 51), pixel 1 = (102, 204, 0)
    Image image = Image.of(1, 2, 3, new byte[] {(byte) 255, 0, 51, 102, (byte) 204, 0});
    float[] dest = new float[8];
    image.copyChwTo(dest, 1);
    assertThat(dest)
        .containsExactly(new float[] {0f, 1f, 0.4f, 0f, 0.8f, 0.2f, 0f, 0f}, within(1e-6f));
  }

  @Test
  void copyChwTo_grey_keepsRowMajorOrder() {
    Image image = Image.of(2, 2, 1, new byte[] {0, 51, (byte) 153, (byte) 255});
    float[] dest = new float[4];
    image.copyChwTo(dest, 0);
    assertThat(dest).containsExactly(new float[] {0f, 0.2f, 0.6f, 1f}, within(1e-6f));
  }

  @Test
  void copyChwTo_destinationTooShort() {
    Image image = Image.filled(2, 2, 3, 7);
    assertThatThrownBy(() -> image.copyChwTo(new float[12], 1))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("12")
        .hasMessageContaining("offset 1");
  }
}
