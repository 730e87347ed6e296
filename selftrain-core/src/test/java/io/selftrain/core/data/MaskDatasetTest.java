package io.selftrain.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selftrain.Image;
import io.selftrain.MaskTarget;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskDatasetTest {
  @TempDir Path tmp;
  private Path images;
  private Path masks;

  @BeforeEach
  void folders() throws IOException {
    images = Files.createDirectories(tmp.resolve("images"));
    masks = Files.createDirectories(tmp.resolve("masks"));
  }

  private static MaskTarget mask(int height, int width, int... values) {
    byte[] classes = new byte[height * width];
    for (int i = 0; i < classes.length; i++) {
      classes[i] = (byte) values[i % values.length];
    }
    return MaskTarget.of(height, width, classes);
  }

  @Test
  void load_pairsByBaseName_inNameOrder_keepsIgnore() throws IOException {
    PngFiles.writeImage(images.resolve("b.png"), Image.filled(4, 5, 1, 9));
    PngFiles.writeImage(images.resolve("a.png"), Image.filled(4, 5, 3, 200));
    Files.writeString(images.resolve("notes.txt"), "not an image");
    PngFiles.writeMask(masks.resolve("a.png"), mask(4, 5, 0, 1, 2, 255));
    PngFiles.writeMask(masks.resolve("b.png"), mask(4, 5, 2));

    MaskDataset dataset = MaskDataset.load(images, masks, 3);

    assertThat(dataset.fileNames()).containsExactly("a.png", "b.png");
    assertThat(dataset.numClasses()).isEqualTo(3);
    assertThat(dataset.examples().get(0).image()).isEqualTo(Image.filled(4, 5, 3, 200));
    assertThat(dataset.examples().get(0).target()).isEqualTo(mask(4, 5, 0, 1, 2, 255));
    assertThat(dataset.examples().get(1).image()).isEqualTo(Image.filled(4, 5, 1, 9));
    assertThat(dataset.examples().get(1).target()).isEqualTo(mask(4, 5, 2));
  }

  @Test
  void load_paletteMask_indicesAreClasses() throws IOException {
    PngFiles.writeImage(images.resolve("voc.png"), Image.filled(2, 3, 3, 50));
    byte[] red = {0, (byte) 128, 0, (byte) 224};
    byte[] green = {0, 0, (byte) 128, (byte) 224};
    byte[] blue = {0, 0, 0, (byte) 192};
    BufferedImage palette =
        new BufferedImage(
            3, 2, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 4, red, green, blue));
    palette.getRaster().setPixels(0, 0, 3, 2, new int[] {0, 1, 2, 3, 1, 0});
    ImageIO.write(palette, "png", masks.resolve("voc.png").toFile());

    MaskDataset dataset = MaskDataset.load(images, masks, 4);

    assertThat(dataset.examples().get(0).target())
        .isEqualTo(MaskTarget.of(2, 3, new byte[] {0, 1, 2, 3, 1, 0}));
  }

  @Test
  void load_missingMask() throws IOException {
    PngFiles.writeImage(images.resolve("lonely.png"), Image.filled(4, 4, 1, 0));
    assertThatThrownBy(() -> MaskDataset.load(images, masks, 2))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining(masks.resolve("lonely.png").toString());
  }

  @Test
  void load_valueAboveClasses() throws IOException {
    PngFiles.writeImage(images.resolve("x.png"), Image.filled(2, 2, 1, 0));
    PngFiles.writeMask(masks.resolve("x.png"), mask(2, 2, 0, 0, 0, 12));
    assertThatThrownBy(() -> MaskDataset.load(images, masks, 11))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageStartingWith(masks.resolve("x.png").toString())
        .hasMessageContaining("(x 1, y 1)")
        .hasMessageContaining("below 11")
        .hasMessageEndingWith(": 12");
  }

  @Test
  void load_maskOfAnotherSize() throws IOException {
    PngFiles.writeImage(images.resolve("x.png"), Image.filled(4, 4, 1, 0));
    PngFiles.writeMask(masks.resolve("x.png"), mask(4, 3, 0));
    assertThatThrownBy(() -> MaskDataset.load(images, masks, 2))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageStartingWith(masks.resolve("x.png").toString())
        .hasMessageContaining(": 4x3");
  }

  @Test
  void load_rgbMask() throws IOException {
    PngFiles.writeImage(images.resolve("x.png"), Image.filled(4, 4, 1, 0));
    PngFiles.writeImage(masks.resolve("x.png"), Image.filled(4, 4, 3, 1));
    assertThatThrownBy(() -> MaskDataset.load(images, masks, 2))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageStartingWith(masks.resolve("x.png").toString())
        .hasMessageContaining("one band")
        .hasMessageContaining("3 bands");
  }

  @Test
  void load_emptyOrMissingFolders() {
    assertThatThrownBy(() -> MaskDataset.load(images, masks, 2))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining("imageDir must hold at least one image")
        .hasMessageContaining(images.toString());
    Path missing = tmp.resolve("absent");
    assertThatThrownBy(() -> MaskDataset.load(images, missing, 2))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining("maskDir")
        .hasMessageContaining(missing.toString());
  }

  @Test
  void load_numClassesOutOfRange() {
    assertThatThrownBy(() -> MaskDataset.load(images, masks, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("numClasses")
        .hasMessageContaining("0");
  }

  @Test
  void load_extraMask_isNamed() throws IOException {
    PngFiles.writeImage(images.resolve("a.png"), Image.filled(2, 2, 1, 0));
    PngFiles.writeMask(masks.resolve("a.png"), mask(2, 2, 0));
    PngFiles.writeMask(masks.resolve("orphan.png"), mask(2, 2, 0));
    assertThatThrownBy(() -> MaskDataset.load(images, masks, 2))
        .isInstanceOf(java.io.FileNotFoundException.class)
        .hasMessage(
            "mask "
                + masks.resolve("orphan.png")
                + " must have an image of the same base name in "
                + images
                + ": none");
  }

  @Test
  void fitted_letterboxesImages_masksByNearestPixel_paddingIgnored() throws IOException {
    // A 2x4 (height x width) mask into 8x8: scale 2, the 4x8 result at the top, rows 4..7 ignored.
    PngFiles.writeImage(images.resolve("wide.png"), Image.filled(2, 4, 3, 100));
    PngFiles.writeMask(masks.resolve("wide.png"), mask(2, 4, 0, 1, 2, 3, 4, 5, 6, 7));
    PngFiles.writeImage(images.resolve("square.png"), Image.filled(8, 8, 3, 7));
    PngFiles.writeMask(masks.resolve("square.png"), mask(8, 8, 1));
    MaskDataset loaded = MaskDataset.load(images, masks, 8);
    MaskDataset fitted = loaded.fitted(8);
    assertThat(fitted.fileNames()).isEqualTo(loaded.fileNames());
    assertThat(fitted.numClasses()).isEqualTo(8);
    // Already 8x8: the very same example.
    assertThat(fitted.examples().get(0)).isSameAs(loaded.examples().get(0));
    MaskTarget m = fitted.examples().get(1).target();
    assertThat(m.height()).isEqualTo(8);
    assertThat(m.width()).isEqualTo(8);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        // source pixel under the centre: (floor((y + 0.5) / 2), floor((x + 0.5) / 2)); rows 4.. are
        // padding
        int expected = y < 4 ? (y / 2) * 4 + x / 2 : MaskTarget.IGNORE;
        assertThat(m.get(y, x)).as("(%s, %s)", y, x).isEqualTo(expected);
      }
    }
    Image image = fitted.examples().get(1).image();
    assertThat(image.height()).isEqualTo(8);
    assertThat(image.pixels()[0] & 0xFF).isEqualTo(100);
    assertThat(image.pixels()[(7 * 8 + 7) * 3] & 0xFF).isZero();
    assertThatThrownBy(() -> loaded.fitted(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("size must be positive: 0");
  }
}
