package io.selftrain.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selftrain.Image;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streamed pool reads the same images as the in-memory loaders, and names what it cannot read.
 */
class StreamedImagesTest {
  @TempDir Path tmp;

  private Path idx(int count) throws Exception {
    Path file = tmp.resolve("images-idx3-ubyte");
    Files.write(file, TestFiles.idxImages(count, 28, 28));
    return file;
  }

  @Test
  void idx_readsTheSameImagesAsIdxFiles_inOrder_fromAnyThread() throws Exception {
    Path file = idx(50);
    List<Image> expected = IdxFiles.readImages(file);
    StreamedImages pool = StreamedImages.idx(file);

    assertThat(pool).hasSize(50);
    assertThat(pool.shape()).containsExactly(28, 28, 1);
    assertThat(new ArrayList<>(pool)).isEqualTo(expected);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Image>> reads = new ArrayList<>();
      for (int i = 49; i >= 0; i--) {
        int index = i;
        reads.add(threads.submit(() -> pool.get(index)));
      }
      for (int i = 0; i < 50; i++) {
        assertThat(reads.get(i).get()).isEqualTo(expected.get(49 - i));
      }
    } finally {
      threads.shutdown();
    }
  }

  @Test
  void subset_mapsPositions_andComposes() throws Exception {
    Path file = idx(20);
    List<Image> all = IdxFiles.readImages(file);
    StreamedImages some = StreamedImages.idx(file).subset(new int[] {7, 3, 19, 3});
    assertThat(some).containsExactly(all.get(7), all.get(3), all.get(19), all.get(3));
    assertThat(some.subset(new int[] {2, 0})).containsExactly(all.get(19), all.get(7));
    assertThat(some.where(1)).isEqualTo(file.toAbsolutePath() + "#3");
    assertThatThrownBy(() -> some.subset(new int[] {4}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("position 0 of subset must be in [0, 4): 4");
  }

  @Test
  void describe_fromDescription_opensTheSamePool() throws Exception {
    Path file = idx(12);
    StreamedImages some = StreamedImages.idx(file).subset(new int[] {5, 1, 11});
    StreamedImages again = StreamedImages.fromDescription(some.describe());
    assertThat(new ArrayList<>(again)).isEqualTo(new ArrayList<>(some));

    Path folder = Files.createDirectories(tmp.resolve("folder"));
    PngFiles.writeImage(folder.resolve("a.png"), Image.filled(10, 20, 1, 200));
    StreamedImages pngs = StreamedImages.folder(folder, 32);
    assertThat(new ArrayList<>(StreamedImages.fromDescription(pngs.describe())))
        .isEqualTo(new ArrayList<>(pngs));
  }

  @Test
  void folder_readsTheSameImagesAsImageFolder() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("pool"));
    PngFiles.writeImage(folder.resolve("b.png"), Image.filled(30, 10, 3, 90));
    PngFiles.writeImage(folder.resolve("a.png"), Image.filled(16, 16, 3, 10));
    Files.writeString(folder.resolve("notes.txt"), "not an image");
    StreamedImages pool = StreamedImages.folder(folder, 16);

    assertThat(new ArrayList<>(pool)).isEqualTo(ImageFolder.load(folder, 16));
    assertThat(pool.shape()).containsExactly(16, 16, 3);
    assertThat(pool.where(1)).isEqualTo(folder.toAbsolutePath().resolve("b.png").toString());
  }

  @Test
  void get_damagedImage_namesItsFile() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("pool"));
    PngFiles.writeImage(folder.resolve("a.png"), Image.filled(8, 8, 1, 1));
    Path bad = folder.resolve("b.png");
    PngFiles.writeImage(bad, Image.filled(8, 8, 1, 2));
    byte[] bytes = Files.readAllBytes(bad);
    Files.write(bad, Arrays.copyOf(bytes, bytes.length / 2));
    StreamedImages pool = StreamedImages.folder(folder, 8);

    assertThat(pool.get(0)).isEqualTo(Image.filled(8, 8, 1, 1));
    assertThatThrownBy(() -> pool.get(1))
        .isInstanceOf(UnreadableImageException.class)
        .hasMessageStartingWith("unreadable image " + bad.toAbsolutePath() + ": ")
        .satisfies(
            e ->
                assertThat(((UnreadableImageException) e).where())
                    .isEqualTo(bad.toAbsolutePath().toString()));
  }

  @Test
  void idx_fileShortenedAfterOpening_namesTheImage() throws Exception {
    Path file = idx(10);
    List<Image> before = IdxFiles.readImages(file);
    StreamedImages pool = StreamedImages.idx(file);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, 16 + 5 * 784));
    assertThat(pool.get(4)).isEqualTo(before.get(4));
    assertThatThrownBy(() -> pool.get(7))
        .isInstanceOf(UnreadableImageException.class)
        .hasMessage(
            "unreadable image "
                + file.toAbsolutePath()
                + "#7: file ends before image 7 (changed since opened?)");
  }

  @Test
  void idx_badFiles_areRefusedWithTheFileAndTheProblem() throws Exception {
    Path file = idx(10);
    byte[] bytes = Files.readAllBytes(file);
    Path gz = tmp.resolve("gz");
    Files.write(gz, TestFiles.gzip(bytes));
    assertThatThrownBy(() -> StreamedImages.idx(gz))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(gz.toString())
        .hasMessageContaining("must be raw, not gzipped: gunzip it first");
    Path shortFile = tmp.resolve("short");
    Files.write(shortFile, Arrays.copyOf(bytes, bytes.length - 1));
    assertThatThrownBy(() -> StreamedImages.idx(shortFile))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(shortFile.toString())
        .hasMessageContaining("file length must be 7856 bytes for 10 images of 28x28: 7855");
    assertThatThrownBy(() -> StreamedImages.idx(tmp.resolve("none")))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessage("IDX image file not found: " + tmp.resolve("none"));
  }

  @Test
  void equals_isIdentity_neverReadsThePool() throws Exception {
    Path file = idx(3);
    StreamedImages a = StreamedImages.idx(file);
    StreamedImages b = StreamedImages.idx(file);
    assertThat(a).isNotEqualTo(b);
    assertThat(a).isEqualTo(a);
    assertThat(a.toString())
        .isEqualTo("StreamedImages(3 images from " + file.toAbsolutePath() + "#0)");
  }
}
