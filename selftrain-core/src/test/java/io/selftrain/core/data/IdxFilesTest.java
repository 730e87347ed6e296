package io.selftrain.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selftrain.Image;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxFilesTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void readImages_roundTrip_exactPixels(boolean gzipped) throws IOException {
    byte[] bytes = TestFiles.idxImages(5, 3, 4);
    Path file = dir.resolve("images");
    Files.write(file, gzipped ? TestFiles.gzip(bytes) : bytes);

    List<Image> images = IdxFiles.readImages(file);

    assertThat(images).hasSize(5);
    for (int i = 0; i < 5; i++) {
      Image image = images.get(i);
      assertThat(image.height()).isEqualTo(3);
      assertThat(image.width()).isEqualTo(4);
      assertThat(image.channels()).isEqualTo(1);
      for (int y = 0; y < 3; y++) {
        for (int x = 0; x < 4; x++) {
          assertThat(image.get(y, x, 0))
              .as("image %s (%s, %s)", i, y, x)
              .isEqualTo(TestFiles.pixel(i, y * 4 + x));
        }
      }
    }
    assertThat(images.get(4).pixels())
        .containsExactly(Arrays.copyOfRange(bytes, 16 + 4 * 12, 16 + 5 * 12));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void readLabels_roundTrip_exactValues(boolean gzipped) throws IOException {
    byte[] bytes = TestFiles.idxLabels(7, 10);
    bytes[8 + 6] = (byte) 255;
    Path file = dir.resolve("labels");
    Files.write(file, gzipped ? TestFiles.gzip(bytes) : bytes);

    assertThat(IdxFiles.readLabels(file)).containsExactly(0, 3, 6, 9, 2, 5, 255);
  }

  @Test
  void read_pair_labeledImages() throws IOException {
    Path images = write("i.gz", TestFiles.gzip(TestFiles.idxImages(20, 28, 28)));
    Path labels = write("l", TestFiles.idxLabels(20, 10));

    LabeledImages set = IdxFiles.read("tiny", images, labels, 10);

    assertThat(set.name()).isEqualTo("tiny");
    assertThat(set.size()).isEqualTo(20);
    assertThat(set.numClasses()).isEqualTo(10);
    assertThat(set.label(7)).isEqualTo(TestFiles.label(7, 10));
    assertThat(set.image(7).get(1, 2, 0)).isEqualTo(TestFiles.pixel(7, 28 + 2));
  }

  @Test
  void readImages_badMagic_namesExpectedAndFound() throws IOException {
    Path file = write("images", TestFiles.idxLabels(3, 10));

    assertThatThrownBy(() -> IdxFiles.readImages(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("magic number")
        .hasMessageContaining("0x00000803")
        .hasMessageContaining("0x00000801");
  }

  @Test
  void readLabels_badMagic_namesExpectedAndFound() throws IOException {
    Path file = write("labels", TestFiles.idxImages(1, 2, 2));

    assertThatThrownBy(() -> IdxFiles.readLabels(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("0x00000801")
        .hasMessageContaining("0x00000803");
  }

  @Test
  void readImages_zeroRows_corrupt() throws IOException {
    byte[] bytes = TestFiles.idxImages(2, 3, 3);
    ByteBuffer.wrap(bytes).putInt(8, 0);
    Path file = write("images", bytes);

    assertThatThrownBy(() -> IdxFiles.readImages(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("rows")
        .hasMessageContaining(": 0");
  }

  @Test
  void readImages_zeroCount_corrupt() throws IOException {
    byte[] header =
        ByteBuffer.allocate(16)
            .putInt(IdxFiles.IMAGES_MAGIC)
            .putInt(0)
            .putInt(28)
            .putInt(28)
            .array();
    Path file = write("images", header);

    assertThatThrownBy(() -> IdxFiles.readImages(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("image count")
        .hasMessageContaining(": 0");
  }

  @Test
  void readImages_absurdColumns_corrupt() throws IOException {
    byte[] bytes = TestFiles.idxImages(1, 2, 2);
    ByteBuffer.wrap(bytes).putInt(12, 1_000_000);
    Path file = write("images", bytes);

    assertThatThrownBy(() -> IdxFiles.readImages(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("columns")
        .hasMessageContaining("1000000");
  }

  @Test
  void readImages_hugeCount_corruptNotOutOfMemory() throws IOException {
    byte[] bytes = TestFiles.idxImages(1, 28, 28);
    ByteBuffer.wrap(bytes).putInt(4, Integer.MAX_VALUE);
    Path file = write("images", bytes);

    assertThatThrownBy(() -> IdxFiles.readImages(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining(String.valueOf(16 + (long) Integer.MAX_VALUE * 784));
  }

  @Test
  void readImages_truncated_namesExpectedAndAvailableBytes() throws IOException {
    byte[] bytes = TestFiles.idxImages(4, 28, 28);
    Path file = write("images.gz", TestFiles.gzip(Arrays.copyOf(bytes, bytes.length - 100)));

    assertThatThrownBy(() -> IdxFiles.readImages(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("truncated")
        .hasMessageContaining(String.valueOf(bytes.length))
        .hasMessageContaining(String.valueOf(bytes.length - 100));
  }

  @Test
  void readImages_truncatedHeader_corrupt() throws IOException {
    Path file = write("images", Arrays.copyOf(TestFiles.idxImages(1, 2, 2), 10));

    assertThatThrownBy(() -> IdxFiles.readImages(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("truncated")
        .hasMessageContaining("16")
        .hasMessageContaining("10");
  }

  @Test
  void readLabels_emptyFile_corrupt() throws IOException {
    Path file = write("labels", new byte[0]);

    assertThatThrownBy(() -> IdxFiles.readLabels(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("truncated");
  }

  @Test
  void readLabels_trailingGarbage_corrupt() throws IOException {
    byte[] bytes = TestFiles.idxLabels(10, 10);
    Path file = write("labels", Arrays.copyOf(bytes, bytes.length + 3));

    assertThatThrownBy(() -> IdxFiles.readLabels(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("trailing")
        .hasMessageContaining("3 bytes")
        .hasMessageContaining(String.valueOf(bytes.length));
  }

  @Test
  void readImages_truncatedGzipStream_corrupt() throws IOException {
    byte[] gz = TestFiles.gzip(TestFiles.idxImages(50, 28, 28));
    Path file = write("images.gz", Arrays.copyOf(gz, gz.length / 2));

    assertThatThrownBy(() -> IdxFiles.readImages(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("gzip");
  }

  @Test
  void read_labelCountDiffers_namesBothFiles() throws IOException {
    Path images = write("images", TestFiles.idxImages(5, 2, 2));
    Path labels = write("labels", TestFiles.idxLabels(4, 10));

    assertThatThrownBy(() -> IdxFiles.read("x", images, labels, 10))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(labels.toString())
        .hasMessageContaining(images.toString())
        .hasMessageContaining("label count")
        .hasMessageContaining("5")
        .hasMessageContaining(": 4");
  }

  @Test
  void read_labelTooLarge_namesFileIndexAndValue() throws IOException {
    Path images = write("images", TestFiles.idxImages(5, 2, 2));
    byte[] labelBytes = TestFiles.idxLabels(5, 10);
    labelBytes[8 + 3] = 10;
    Path labels = write("labels", labelBytes);

    assertThatThrownBy(() -> IdxFiles.read("x", images, labels, 10))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(labels.toString())
        .hasMessageContaining("label 3")
        .hasMessageContaining("[0, 10)")
        .hasMessageContaining(": 10");
  }

  @Test
  void read_numClassesOne_illegalArgument() throws IOException {
    Path images = write("images", TestFiles.idxImages(1, 2, 2));
    Path labels = write("labels", TestFiles.idxLabels(1, 10));

    assertThatThrownBy(() -> IdxFiles.read("x", images, labels, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("numClasses")
        .hasMessageContaining("1");
  }

  @Test
  void corruptDataException_file_isTheFile() throws IOException {
    Path file = write("images", TestFiles.idxLabels(1, 10));

    assertThatThrownBy(() -> IdxFiles.readImages(file))
        .isInstanceOfSatisfying(
            CorruptDataException.class, e -> assertThat(e.file()).isEqualTo(file));
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return file;
  }

  @Test
  void writeImages_readBackByBothReaders_andRefusesMixedShapes() throws Exception {
    List<Image> images = IdxFiles.readImages(write("in", TestFiles.idxImages(7, 28, 28)));
    Path file = dir.resolve("out-idx3-ubyte");
    IdxFiles.writeImages(file, images);
    assertThat(IdxFiles.readImages(file)).isEqualTo(images);
    assertThat(new java.util.ArrayList<>(StreamedImages.idx(file))).isEqualTo(images);

    List<Image> mixed = List.of(images.get(0), Image.filled(28, 28, 3, 0));
    assertThatThrownBy(() -> IdxFiles.writeImages(dir.resolve("mixed"), mixed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("image 1 must be 28x28x1 like the first: 28x28x3");
    assertThat(dir.resolve("mixed")).doesNotExist();
  }
}
