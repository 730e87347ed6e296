package io.selftrain.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.selftrain.Image;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * An unlabeled pool read from disk when an image is needed, never held in memory: a run's memory
 * stays flat however large the pool grows (Noisy Student pseudo-labels 300M images; Xie et al.
 * 2020). Works wherever a {@code List<Image>} does ({@code SelfTraining...unlabeled(pool)}); every
 * {@link #get} reads and decodes the image again, so pseudo-labeling walks the pool once and a
 * student reads only the images it trains on. Immutable and safe to read from several threads.
 *
 * <pre>{@code
 * StreamedImages pool = StreamedImages.idx(Path.of("train-images-idx3-ubyte"));   // in place
 * StreamedImages folder = StreamedImages.folder(Path.of("unlabeled"), 64);           // decoded as read
 * }</pre>
 *
 * <p>An image that cannot be read when it is needed raises {@link UnreadableImageException} naming
 * its file; a run either fails there (the default) or, when told to, skips it while pseudo-labeling
 * and reports it ({@code skipUnreadableImages}).
 */
public final class StreamedImages extends DiskBackedList<Image> {
  private final Source source;

  /** Positions in the source of this list's images, or null for all of them in order. */
  private final int[] positions;

  private StreamedImages(Source source, int[] positions) {
    this.source = source;
    this.positions = positions;
  }

  /**
   * A raw IDX image file (MNIST, Fashion-MNIST), each image read in place by its offset.
   *
   * @param file the file, not gzipped
   * @return its images, {@code rows x cols x 1}
   * @throws FileNotFoundException if the file does not exist
   * @throws CorruptDataException if the header is wrong, the file is gzipped, or its length does
   *     not match the header
   * @throws IOException if the file cannot be read
   */
  public static StreamedImages idx(Path file) throws IOException {
    checkNotNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw new FileNotFoundException("IDX image file not found: " + file);
    }
    int[] layout = IdxFiles.imageLayout(file);
    return new StreamedImages(new IdxSource(file.toAbsolutePath(), layout), null);
  }

  /**
   * Every image file of a folder (PNG, JPEG, BMP, GIF; file names sorted, as {@link
   * ImageFolder#load} orders them), each decoded and letterboxed to {@code size x size} when read.
   *
   * @param dir the folder
   * @param size the model's input side
   * @return its images
   * @throws FileNotFoundException if the folder does not exist
   * @throws IOException if the folder holds no image or cannot be listed
   */
  public static StreamedImages folder(Path dir, int size) throws IOException {
    checkNotNull(dir, "dir");
    checkArgument(size > 0, "size must be positive: %s", size);
    return new StreamedImages(new FolderSource(dir.toAbsolutePath(), size), null);
  }

  /**
   * The pool a {@link #describe()} wrote, for a process that reads the same pool elsewhere (a
   * cluster executor).
   *
   * @param description what {@link #describe()} returned
   * @return the same images in the same order
   * @throws IOException if the files cannot be opened
   * @throws IllegalArgumentException if the description is not one
   */
  public static StreamedImages fromDescription(JsonObject description) throws IOException {
    checkNotNull(description, "description");
    checkArgument(description.has("kind"), "a pool description has a kind: %s", description);
    String kind = description.get("kind").getAsString();
    StreamedImages all;
    switch (kind) {
      case "idx":
        all = idx(Path.of(description.get("file").getAsString()));
        break;
      case "folder":
        all =
            folder(
                Path.of(description.get("folder").getAsString()),
                description.get("size").getAsInt());
        break;
      default:
        throw new IllegalArgumentException("unknown pool kind: " + kind);
    }
    if (!description.has("positions")) {
      return all;
    }
    JsonArray array = description.getAsJsonArray("positions");
    int[] positions = new int[array.size()];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = array.get(i).getAsInt();
    }
    return all.subset(positions);
  }

  /**
   * Some images of this pool, in the given order (the unlabeled part of a training file, as {@link
   * SemiSupervisedSplit#unlabeledIndices()} lists it).
   *
   * @param indices positions in this list
   * @return a view reading the same files
   * @throws IllegalArgumentException if a position is out of range
   */
  public StreamedImages subset(int[] indices) {
    checkNotNull(indices, "indices");
    int[] mapped = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      checkArgument(
          indices[i] >= 0 && indices[i] < size(),
          "position %s of subset must be in [0, %s): %s",
          i,
          size(),
          indices[i]);
      mapped[i] = positions == null ? indices[i] : positions[indices[i]];
    }
    return new StreamedImages(source, mapped);
  }

  @Override
  public int size() {
    return positions == null ? source.size() : positions.length;
  }

  /**
   * Reads and decodes one image.
   *
   * @throws UnreadableImageException naming the file if it cannot be read or decoded
   */
  @Override
  public Image get(int index) {
    int position = positions == null ? checkIndex(index, source.size()) : positions[index];
    try {
      return source.read(position);
    } catch (IOException e) {
      throw new UnreadableImageException(source.where(position), e);
    }
  }

  /**
   * @param index a position in this list
   * @return the file the image is read from ({@code file#n} inside an IDX file)
   */
  public String where(int index) {
    return source.where(positions == null ? checkIndex(index, source.size()) : positions[index]);
  }

  /**
   * Identifies the pool without reading its images: the description, and the name, length and
   * modification time of every file it reads. A run's work directory records it, so the folder is
   * never resumed on another pool (reading a large pool's pixels to digest them would take as long
   * as labeling it).
   *
   * @return the fingerprint
   * @throws UncheckedIOException if a file's attributes cannot be read
   */
  public String fingerprint() {
    Hasher h = Hashing.murmur3_128().newHasher();
    h.putString(describe().toString(), StandardCharsets.UTF_8);
    try {
      for (Path file : source.files()) {
        h.putString(file.toString(), StandardCharsets.UTF_8)
            .putLong(Files.size(file))
            .putLong(Files.getLastModifiedTime(file).toMillis());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("pool " + this + ": " + e.getMessage(), e);
    }
    return "streamed:" + h.hash();
  }

  /**
   * @return {height, width, channels} of every image
   */
  public int[] shape() {
    return source.shape();
  }

  /**
   * @return a JSON description from which {@link #fromDescription} opens the same pool
   */
  public JsonObject describe() {
    JsonObject o = source.describe();
    if (positions != null) {
      JsonArray array = new JsonArray(positions.length);
      for (int p : positions) {
        array.add(p);
      }
      o.add("positions", array);
    }
    return o;
  }

  private static int checkIndex(int index, int size) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " of " + size + " images");
    }
    return index;
  }

  /** Where the images come from. */
  private interface Source {
    int size();

    Image read(int position) throws IOException;

    String where(int position);

    int[] shape();

    JsonObject describe();

    List<Path> files();
  }

  /** Images of a raw IDX file, read by offset (positional reads, safe from any thread). */
  private static final class IdxSource implements Source {
    private final Path file;
    private final int count;
    private final int rows;
    private final int cols;

    IdxSource(Path file, int[] layout) {
      this.file = file;
      this.count = layout[0];
      this.rows = layout[1];
      this.cols = layout[2];
    }

    @Override
    public int size() {
      return count;
    }

    @Override
    public Image read(int position) throws IOException {
      byte[] pixels = new byte[rows * cols];
      ByteBuffer buffer = ByteBuffer.wrap(pixels);
      long offset = IdxFiles.imageOffset(position, rows, cols);
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        while (buffer.hasRemaining()) {
          if (channel.read(buffer, offset + buffer.position()) < 0) {
            throw new IOException(
                "file ends before image " + position + " (changed since opened?)");
          }
        }
      }
      return Image.of(rows, cols, 1, pixels);
    }

    @Override
    public String where(int position) {
      return file + "#" + position;
    }

    @Override
    public int[] shape() {
      return new int[] {rows, cols, 1};
    }

    @Override
    public List<Path> files() {
      return List.of(file);
    }

    @Override
    public JsonObject describe() {
      JsonObject o = new JsonObject();
      o.addProperty("kind", "idx");
      o.addProperty("file", file.toString());
      return o;
    }
  }

  /** Image files of a folder, decoded and letterboxed when read. */
  private static final class FolderSource implements Source {
    private final Path dir;
    private final int size;
    private final String[] names;

    FolderSource(Path dir, int size) throws IOException {
      if (!Files.isDirectory(dir)) {
        throw new FileNotFoundException("image folder must be an existing folder: " + dir);
      }
      List<String> files;
      try (Stream<Path> listing = Files.list(dir)) {
        files =
            listing
                .filter(Files::isRegularFile)
                .filter(ImageFolder::isImage)
                .map(p -> p.getFileName().toString())
                .sorted()
                .toList();
      }
      if (files.isEmpty()) {
        throw new IOException("image folder holds no .png, .jpg, .jpeg, .bmp or .gif file: " + dir);
      }
      this.dir = dir;
      this.size = size;
      this.names = files.toArray(String[]::new);
    }

    @Override
    public int size() {
      return names.length;
    }

    @Override
    public Image read(int position) throws IOException {
      Image image = PngFiles.readImage(dir.resolve(names[position]));
      return LetterboxImages.fit(image, Letterbox.fit(image.height(), image.width(), size), size);
    }

    @Override
    public String where(int position) {
      return dir.resolve(names[position]).toString();
    }

    @Override
    public int[] shape() {
      // Letterboxing keeps the channels; the first image tells how many.
      try {
        return new int[] {size, size, read(0).channels()};
      } catch (IOException e) {
        throw new UnreadableImageException(where(0), e);
      }
    }

    @Override
    public List<Path> files() {
      List<Path> files = new ArrayList<>(names.length);
      for (String name : names) {
        files.add(dir.resolve(name));
      }
      return files;
    }

    @Override
    public JsonObject describe() {
      JsonObject o = new JsonObject();
      o.addProperty("kind", "folder");
      o.addProperty("folder", dir.toString());
      o.addProperty("size", size);
      return o;
    }
  }

  /** Size and first file, not the images. */
  @Override
  public String toString() {
    return "StreamedImages(" + size() + " images from " + source.where(0) + ")";
  }
}
