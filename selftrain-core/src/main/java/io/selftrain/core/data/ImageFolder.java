package io.selftrain.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import io.selftrain.Image;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A folder of unlabeled images (PNG, JPEG, BMP, GIF; file names sorted), such as a pool to
 * pseudo-label, each fitted to a square model input the way {@link CocoDataset#fitted(int)} fits
 * labeled images.
 *
 * <pre>{@code
 * List<Image> pool = ImageFolder.load(Path.of("unlabeled"), 64);
 * }</pre>
 */
public final class ImageFolder {
  private ImageFolder() {}

  /**
   * Reads every image file of a folder (not its sub-folders), in file-name order.
   *
   * @param dir the folder
   * @param size the model's input side; each image is scaled by {@code size / max(height, width)}
   *     and padded with 0 to {@code size x size} ({@link Letterbox})
   * @return the images, {@code size x size}
   * @throws FileNotFoundException if the folder does not exist
   * @throws CorruptDataException naming the file, if an image cannot be decoded
   * @throws IOException if the folder holds no image or a file cannot be read
   */
  public static List<Image> load(Path dir, int size) throws IOException {
    checkNotNull(dir, "dir");
    checkArgument(size > 0, "size must be positive: %s", size);
    if (!Files.isDirectory(dir)) {
      throw new FileNotFoundException("image folder must be an existing folder: " + dir);
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(Files::isRegularFile).filter(ImageFolder::isImage).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IOException("image folder holds no .png, .jpg, .jpeg, .bmp or .gif file: " + dir);
    }
    List<Image> images = new ArrayList<>(files.size());
    for (Path file : files) {
      Image image = PngFiles.readImage(file);
      images.add(
          LetterboxImages.fit(image, Letterbox.fit(image.height(), image.width(), size), size));
    }
    return images;
  }

  static boolean isImage(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".png")
        || name.endsWith(".jpg")
        || name.endsWith(".jpeg")
        || name.endsWith(".bmp")
        || name.endsWith(".gif");
  }
}
