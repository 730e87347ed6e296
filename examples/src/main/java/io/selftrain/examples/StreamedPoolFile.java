package io.selftrain.examples;

import io.selftrain.Image;
import io.selftrain.core.data.IdxFiles;
import io.selftrain.core.data.StreamedImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.List;

/**
 * The {@code classify --stream-pool} pool: the unlabeled images written once as a raw IDX file in
 * the work directory (Fashion-MNIST ships gzipped, which cannot be read in place), optionally
 * repeated to measure a larger pool, then read from disk by {@link StreamedImages}.
 */
final class StreamedPoolFile {
  static final String NAME = "pool-idx3-ubyte";

  private StreamedPoolFile() {}

  /**
   * Writes the pool file unless the work directory already holds it, and opens it.
   *
   * @param workDir the run's work directory
   * @param images the pool, single-channel images of one size
   * @param repeat how many times the pool is repeated
   * @return the streamed pool, {@code repeat * images.size()} images
   * @throws IOException if the file cannot be written or read
   */
  static StreamedImages write(Path workDir, List<Image> images, int repeat) throws IOException {
    Path file = workDir.resolve(NAME);
    Image first = images.get(0);
    long length = 16 + (long) repeat * images.size() * first.height() * first.width();
    if (!Files.exists(file) || Files.size(file) != length) {
      Files.createDirectories(workDir);
      int size = images.size();
      // A view: image i of the repeated pool is image i % size, so nothing is copied.
      IdxFiles.writeImages(
          file,
          new AbstractList<Image>() {
            @Override
            public Image get(int index) {
              return images.get(index % size);
            }

            @Override
            public int size() {
              return repeat * size;
            }
          });
    }
    return StreamedImages.idx(file);
  }
}
