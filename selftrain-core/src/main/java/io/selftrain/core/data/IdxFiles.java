package io.selftrain.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import io.selftrain.Image;
import io.selftrain.internal.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: a big-endian header (magic number, then
 * one 32-bit size per dimension) followed by the unsigned bytes. Images have magic {@code
 * 0x00000803} and the sizes count, rows, columns; labels have magic {@code 0x00000801} and the size
 * count.
 *
 * <p>Files may be raw or gzipped; gzip is recognized by its first two bytes ({@code 0x1f 0x8b}),
 * not by the file name. Each file is read in one bulk read, so the 60,000 Fashion-MNIST training
 * images load in well under a second. A file whose header and length disagree raises {@link
 * CorruptDataException}.
 */
public final class IdxFiles {
  /** Magic number of an IDX file of unsigned bytes with three dimensions (images). */
  static final int IMAGES_MAGIC = 0x00000803;

  /** Magic number of an IDX file of unsigned bytes with one dimension (labels). */
  static final int LABELS_MAGIC = 0x00000801;

  /** Largest accepted image side; larger headers are corrupt rather than real images. */
  static final int MAX_SIDE = 1 << 16;

  private static final int IMAGES_HEADER = 16;
  private static final int LABELS_HEADER = 8;
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  private IdxFiles() {}

  /**
   * Reads an IDX image file ({@code *-images-idx3-ubyte}, raw or gzipped) as single-channel images.
   *
   * @param file the file
   * @return the images, in file order, each {@code rows x cols x 1} (unmodifiable)
   * @throws CorruptDataException if the magic number, a dimension or the file length is wrong
   * @throws IOException if the file cannot be read
   */
  public static List<Image> readImages(Path file) throws IOException {
    checkNotNull(file, "file");
    byte[] bytes = readAll(file);
    checkHeader(file, bytes, IMAGES_MAGIC, "IDX images", IMAGES_HEADER);
    int count = dimension(file, bytes, 0, "image count", Integer.MAX_VALUE);
    int rows = dimension(file, bytes, 1, "rows", MAX_SIDE);
    int cols = dimension(file, bytes, 2, "columns", MAX_SIDE);
    // In long: 65536 x 65536 overflows an int to 0, which would make a 16-byte file "complete".
    long pixelsPerImage = (long) rows * cols;
    checkLength(
        file,
        bytes.length,
        IMAGES_HEADER + (long) count * pixelsPerImage,
        count + " images of " + rows + "x" + cols);
    int pixels = (int) pixelsPerImage;
    Image[] images = new Image[count];
    int offset = IMAGES_HEADER;
    for (int i = 0; i < count; i++) {
      images[i] = Image.of(rows, cols, 1, Arrays.copyOfRange(bytes, offset, offset + pixels));
      offset += pixels;
    }
    return Collections.unmodifiableList(Arrays.asList(images));
  }

  /**
   * Reads an IDX label file ({@code *-labels-idx1-ubyte}, raw or gzipped).
   *
   * @param file the file
   * @return the labels, in file order, each in {@code [0, 255]}
   * @throws CorruptDataException if the magic number, the count or the file length is wrong
   * @throws IOException if the file cannot be read
   */
  public static int[] readLabels(Path file) throws IOException {
    checkNotNull(file, "file");
    byte[] bytes = readAll(file);
    checkHeader(file, bytes, LABELS_MAGIC, "IDX labels", LABELS_HEADER);
    int count = dimension(file, bytes, 0, "label count", Integer.MAX_VALUE);
    checkLength(file, bytes.length, LABELS_HEADER + (long) count, count + " labels");
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = bytes[LABELS_HEADER + i] & 0xFF;
    }
    return labels;
  }

  /**
   * Reads a matching pair of image and label files.
   *
   * @param name the name of the result, e.g. {@code fashion-mnist/train}
   * @param images the IDX image file
   * @param labels the IDX label file with one label per image
   * @param numClasses the number of classes, at least 2; every label must be below it
   * @return the labeled images
   * @throws IllegalArgumentException if {@code numClasses < 2}
   * @throws CorruptDataException if a file is malformed, the counts differ or a label is {@code >=
   *     numClasses}
   * @throws IOException if a file cannot be read
   */
  public static LabeledImages read(String name, Path images, Path labels, int numClasses)
      throws IOException {
    checkNotNull(name, "name");
    checkNotNull(images, "images");
    checkNotNull(labels, "labels");
    checkArgument(numClasses >= 2, "numClasses must be at least 2: %s", numClasses);
    List<Image> imageList = readImages(images);
    int[] labelArray = readLabels(labels);
    if (labelArray.length != imageList.size()) {
      throw new CorruptDataException(
          labels,
          "label count must equal the image count "
              + imageList.size()
              + " of "
              + images
              + ": "
              + labelArray.length);
    }
    for (int i = 0; i < labelArray.length; i++) {
      if (labelArray[i] >= numClasses) {
        throw new CorruptDataException(
            labels, "label " + i + " must be in [0, " + numClasses + "): " + labelArray[i]);
      }
    }
    return LabeledImages.trusted(name, imageList, labelArray, numClasses);
  }

  /**
   * Writes single-channel images of one size as a raw IDX image file, atomically (temporary file,
   * then rename): the format {@link StreamedImages#idx} reads in place.
   *
   * @param file the file to write
   * @param images at least one image, all {@code rows x cols x 1}; any list, read once in order
   * @throws IllegalArgumentException if an image has another shape or more than one channel
   * @throws IOException if the file cannot be written
   */
  public static void writeImages(Path file, List<Image> images) throws IOException {
    checkNotNull(file, "file");
    checkArgument(!images.isEmpty(), "images must not be empty");
    Image first = images.get(0);
    AtomicFiles.write(
        file,
        stream -> {
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream, 1 << 20));
          out.writeInt(IMAGES_MAGIC);
          out.writeInt(images.size());
          out.writeInt(first.height());
          out.writeInt(first.width());
          for (int i = 0; i < images.size(); i++) {
            Image image = images.get(i);
            checkArgument(
                image.channels() == 1
                    && image.height() == first.height()
                    && image.width() == first.width(),
                "image %s must be %sx%sx1 like the first: %sx%sx%s",
                i,
                first.height(),
                first.width(),
                image.height(),
                image.width(),
                image.channels());
            out.write(image.pixels());
          }
          out.flush();
        });
  }

  /**
   * The layout of a raw (not gzipped) IDX image file, for reading single images in place: its
   * header checked and its length matched against the header, like {@link #readImages} does.
   *
   * @return {count, rows, columns}
   */
  static int[] imageLayout(Path file) throws IOException {
    byte[] header = new byte[IMAGES_HEADER];
    int read;
    try (InputStream in = Files.newInputStream(file)) {
      read = in.readNBytes(header, 0, IMAGES_HEADER);
    }
    if (read >= 2 && (header[0] & 0xFF) == 0x1f && (header[1] & 0xFF) == 0x8b) {
      throw new CorruptDataException(
          file, "an IDX file read in place must be raw, not gzipped: gunzip it first");
    }
    checkHeader(file, Arrays.copyOf(header, read), IMAGES_MAGIC, "IDX images", IMAGES_HEADER);
    int count = dimension(file, header, 0, "image count", Integer.MAX_VALUE);
    int rows = dimension(file, header, 1, "rows", MAX_SIDE);
    int cols = dimension(file, header, 2, "columns", MAX_SIDE);
    long expected = IMAGES_HEADER + (long) count * rows * cols;
    long available = Files.size(file);
    if (available != expected) {
      throw new CorruptDataException(
          file,
          "file length must be "
              + expected
              + " bytes for "
              + count
              + " images of "
              + rows
              + "x"
              + cols
              + ": "
              + available);
    }
    return new int[] {count, rows, cols};
  }

  /** The byte offset of image {@code index} in a raw IDX image file of {@code rows x cols}. */
  static long imageOffset(int index, int rows, int cols) {
    return IMAGES_HEADER + (long) index * rows * cols;
  }

  /** Reads the whole file, gunzipping it if it starts with the gzip magic bytes. */
  static byte[] readAll(Path file) throws IOException {
    byte[] raw = Files.readAllBytes(file);
    if (raw.length < 2 || (raw[0] & 0xFF) != 0x1f || (raw[1] & 0xFF) != 0x8b) {
      return raw;
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 1 << 16)) {
      return in.readAllBytes();
    } catch (EOFException e) {
      throw new CorruptDataException(file, "gzip stream must be complete: it ends early", e);
    } catch (ZipException e) {
      throw new CorruptDataException(file, "gzip stream must be valid: " + e.getMessage(), e);
    }
  }

  private static void checkHeader(Path file, byte[] bytes, int magic, String kind, int headerLength)
      throws CorruptDataException {
    if (bytes.length < 4) {
      throw truncatedHeader(file, headerLength, bytes.length);
    }
    int found = readInt(bytes, 0);
    if (found != magic) {
      throw new CorruptDataException(
          file, "magic number must be " + hex(magic) + " (" + kind + "): " + hex(found));
    }
    if (bytes.length < headerLength) {
      throw truncatedHeader(file, headerLength, bytes.length);
    }
  }

  private static CorruptDataException truncatedHeader(Path file, int headerLength, int available) {
    return new CorruptDataException(
        file,
        "file is truncated: expected at least "
            + headerLength
            + " header bytes, available "
            + available);
  }

  private static int dimension(Path file, byte[] bytes, int index, String what, int max)
      throws CorruptDataException {
    int value = readInt(bytes, 4 + 4 * index);
    if (value <= 0 || value > max) {
      String range = max == Integer.MAX_VALUE ? "positive" : "in [1, " + max + "]";
      throw new CorruptDataException(
          file, what + " must be " + range + ": " + Integer.toUnsignedString(value));
    }
    return value;
  }

  private static void checkLength(Path file, int available, long expected, String what)
      throws CorruptDataException {
    if (expected > MAX_ARRAY) {
      throw new CorruptDataException(
          file,
          "header must describe at most " + MAX_ARRAY + " bytes: " + expected + " for " + what);
    }
    if (available < expected) {
      throw new CorruptDataException(
          file,
          "file is truncated: expected "
              + expected
              + " bytes for "
              + what
              + ", available "
              + available);
    }
    if (available > expected) {
      throw new CorruptDataException(
          file,
          "file has "
              + (available - expected)
              + " bytes of trailing garbage: expected "
              + expected
              + " bytes for "
              + what
              + ", found "
              + available);
    }
  }

  private static int readInt(byte[] bytes, int offset) {
    return (bytes[offset] & 0xFF) << 24
        | (bytes[offset + 1] & 0xFF) << 16
        | (bytes[offset + 2] & 0xFF) << 8
        | (bytes[offset + 3] & 0xFF);
  }

  static String hex(int value) {
    return String.format("0x%08x", value);
  }
}
