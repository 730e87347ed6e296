package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.selftrain.BoxesTarget;
import io.selftrain.ClassTarget;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.PseudoLabel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PseudoLabelPicturesTest {
  /** A 2x2 grey image: 100, 100 / 100, 100. */
  private static final Image GREY = Image.filled(2, 2, 1, 100);

  @Test
  void masks_tintTheirClassesAndGreyTheIgnoredPixels_atAbout128Pixels() {
    MaskTarget mask = MaskTarget.of(2, 2, new byte[] {0, 1, (byte) 255, 2});

    BufferedImage picture = PseudoLabelPictures.draw(GREY, mask);

    assertThat(picture.getWidth()).isEqualTo(128);
    assertThat(picture.getHeight()).isEqualTo(128);
    assertThat(picture.getRGB(10, 10) & 0xFFFFFF).isEqualTo(0x646464); // background: the image
    // class 1 over grey 100: half of (100 + 0xf2), (100 + 0x8e), (100 + 0x2b) of Tableau's orange
    assertThat(picture.getRGB(64 + 10, 10) & 0xFFFFFF)
        .isEqualTo(((100 + 0xf2) / 2 << 16) | ((100 + 0x8e) / 2 << 8) | (100 + 0x2b) / 2);
    assertThat(picture.getRGB(10, 64 + 10) & 0xFFFFFF)
        .isEqualTo(((100 + 128) / 2 << 16) | ((100 + 128) / 2 << 8) | (100 + 128) / 2);
    assertThat(PseudoLabelPictures.describe(mask)).isEqualTo("75% of pixels labeled");
  }

  @Test
  void boxes_areOutlinedInTheirClassColour() {
    Image black = Image.filled(32, 32, 3, 0);
    BoxesTarget boxes = BoxesTarget.of(new float[] {4, 4, 20, 28}, new int[] {0});

    BufferedImage picture = PseudoLabelPictures.draw(black, boxes);

    assertThat(picture.getWidth()).isEqualTo(128); // 32 x 4
    assertThat(picture.getRGB(16, 60) & 0xFFFFFF).isEqualTo(0x4e79a7); // on the left edge, x 4 * 4
    assertThat(picture.getRGB(48, 60) & 0xFFFFFF).isZero(); // inside: the image
    assertThat(PseudoLabelPictures.describe(boxes)).isEqualTo("1 box");
  }

  @Test
  void of_drawsTheFirstLabelsOfARound_withCaptionsNamingThePoolImage() throws IOException {
    List<Image> pool = List.of(GREY, Image.filled(2, 2, 1, 7), Image.filled(2, 2, 1, 9));
    List<PseudoLabel<ClassTarget>> labels =
        List.of(
            new PseudoLabel<>(2, ClassTarget.index(3, 10), 0.75f),
            new PseudoLabel<>(0, ClassTarget.index(1, 10), 0.5f),
            new PseudoLabel<>(1, ClassTarget.index(4, 10), 0.5f));

    List<RunReport.Picture> pictures = PseudoLabelPictures.of(2, labels, pool, 2);

    assertThat(pictures)
        .extracting(RunReport.Picture::caption)
        .containsExactly(
            "round 2, pool image 2: class 3, confidence 0.75",
            "round 2, pool image 0: class 1, confidence 0.50");
    String uri = pictures.get(0).pngDataUri();
    assertThat(uri).startsWith("data:image/png;base64,");
    BufferedImage decoded =
        ImageIO.read(
            new ByteArrayInputStream(
                Base64.getDecoder().decode(uri.substring("data:image/png;base64,".length()))));
    assertThat(decoded.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x090909); // pool image 2's grey
  }
}
