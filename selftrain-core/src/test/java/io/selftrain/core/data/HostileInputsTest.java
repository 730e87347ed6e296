package io.selftrain.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random bytes, truncations, huge declared sizes and deep nesting in IDX, PNG mask and COCO JSON
 * files: each gives an {@link IOException} naming the file, within seconds, and never an {@link
 * OutOfMemoryError} or any other {@link Error} or unchecked exception. Fixed seeds: the same cases
 * on every run.
 */
class HostileInputsTest {
  @TempDir Path tmp;

  private static final Duration BOUND = Duration.ofSeconds(20);

  /** What reading one file must do: throw an IOException whose message names the file. */
  private interface Reader {
    void read(Path file) throws IOException;
  }

  private static void assertRejected(Path file, Reader reader) {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          try {
            reader.read(file);
            throw new AssertionError("accepted a hostile file: " + file);
          } catch (IOException e) {
            assertThat(e.getMessage()).as("message of %s", e).contains(file.toString());
          }
        },
        () -> "reading " + file + " took longer than " + BOUND);
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path file = tmp.resolve(name);
    Files.write(file, bytes);
    return file;
  }

  private static byte[] idxImagesHeader(int count, int rows, int cols) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x00000803);
    out.writeInt(count);
    out.writeInt(rows);
    out.writeInt(cols);
    return bytes.toByteArray();
  }

  @Test
  void idx_randomBytesTruncationsAndHugeDeclaredSizes_rejected() throws IOException {
    SplittableRandom random = new SplittableRandom(17);
    for (int i = 0; i < 50; i++) {
      byte[] bytes = new byte[random.nextInt(0, 64)];
      for (int j = 0; j < bytes.length; j++) {
        bytes[j] = (byte) random.nextInt(256);
      }
      assertRejected(write("random-" + i + "-idx3-ubyte", bytes), IdxFiles::readImages);
      assertRejected(write("random-" + i + "-idx1-ubyte", bytes), IdxFiles::readLabels);
    }
    byte[] valid = new byte[16 + 3 * 28 * 28];
    System.arraycopy(idxImagesHeader(3, 28, 28), 0, valid, 0, 16);
    for (int cut : new int[] {0, 3, 15, 16, 17, 16 + 28 * 28, valid.length - 1}) {
      assertRejected(
          write("cut-" + cut + "-idx3-ubyte", Arrays.copyOf(valid, cut)), IdxFiles::readImages);
    }
    // 2^31 - 1 images, or 65536 x 65536 pixels each, declared in a 16-byte file: refused before
    // allocating.
    assertRejected(
        write("huge-count-idx3-ubyte", idxImagesHeader(Integer.MAX_VALUE, 28, 28)),
        IdxFiles::readImages);
    assertRejected(
        write("huge-pixels-idx3-ubyte", idxImagesHeader(1, 65536, 65536)), IdxFiles::readImages);
    assertRejected(write("negative-idx3-ubyte", idxImagesHeader(-1, 28, 28)), IdxFiles::readImages);
  }

  private static byte[] chunk(String type, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(data.length);
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    out.write(name);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeInt((int) crc.getValue());
    return bytes.toByteArray();
  }

  /**
   * A PNG signature and an IHDR chunk declaring a gray 8-bit image of {@code width x height}, and
   * no data.
   */
  private static byte[] pngHeader(int width, int height) throws IOException {
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(ihdr);
    out.writeInt(width);
    out.writeInt(height);
    out.write(new byte[] {8, 0, 0, 0, 0});
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    png.write(chunk("IHDR", ihdr.toByteArray()));
    return png.toByteArray();
  }

  @Test
  void pngMask_randomBytesTruncationsAndHugeDeclaredSizes_rejected() throws IOException {
    SplittableRandom random = new SplittableRandom(23);
    for (int i = 0; i < 30; i++) {
      byte[] bytes = new byte[random.nextInt(0, 200)];
      for (int j = 0; j < bytes.length; j++) {
        bytes[j] = (byte) random.nextInt(256);
      }
      assertRejected(write("random-" + i + ".png", bytes), MaskPngs::read);
    }
    Path valid = tmp.resolve("valid.png");
    MaskPngs.write(valid, io.selftrain.MaskTarget.of(16, 16, new byte[256]));
    byte[] whole = Files.readAllBytes(valid);
    for (int cut = 0; cut < whole.length; cut += Math.max(1, whole.length / 12)) {
      assertRejected(write("cut-" + cut + ".png", Arrays.copyOf(whole, cut)), MaskPngs::read);
    }
    byte[] flipped = whole.clone();
    flipped[whole.length / 2] ^= (byte) 0xff;
    assertRejected(write("flipped.png", flipped), MaskPngs::read);
    // 100,000 x 100,000 pixels (10 GB) declared in a 33-byte file: refused before allocating.
    assertRejected(write("huge.png", pngHeader(100_000, 100_000)), MaskPngs::read);
  }

  @Test
  void cocoJson_randomBytesTruncationAndDeepNesting_rejected() throws IOException {
    Path images = Files.createDirectories(tmp.resolve("images"));
    Reader coco = file -> CocoDataset.load(file, images);
    SplittableRandom random = new SplittableRandom(29);
    for (int i = 0; i < 30; i++) {
      byte[] bytes = new byte[random.nextInt(0, 300)];
      for (int j = 0; j < bytes.length; j++) {
        bytes[j] = (byte) random.nextInt(256);
      }
      assertRejected(write("random-" + i + ".json", bytes), coco);
    }
    String valid =
        "{\"images\": [{\"id\": 1, \"file_name\": \"a.png\", \"width\": 8, \"height\": 8}], \"categories\":"
            + " [{\"id\": 1, \"name\": \"x\"}], \"annotations\": [{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 4, 4]}]}";
    for (int cut = 0; cut < valid.length(); cut += 7) {
      assertRejected(
          write("cut-" + cut + ".json", valid.substring(0, cut).getBytes(StandardCharsets.UTF_8)),
          coco);
    }
    int depth = 100_000;
    String deep = "{\"images\": " + "[".repeat(depth) + "]".repeat(depth) + "}";
    assertRejected(write("deep.json", deep.getBytes(StandardCharsets.UTF_8)), coco);
    String deepObjects = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    assertRejected(write("deep-objects.json", deepObjects.getBytes(StandardCharsets.UTF_8)), coco);
  }
}
