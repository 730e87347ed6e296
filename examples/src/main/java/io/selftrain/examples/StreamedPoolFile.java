package io.selftrain.examples;

import io.selftrain.Image;
import io.selftrain.core.data.StreamedImages;
import io.selftrain.internal.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
      AtomicFiles.write(
          file,
          stream -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream, 1 << 20));
            out.writeInt(0x00000803);
            out.writeInt(repeat * images.size());
            out.writeInt(first.height());
            out.writeInt(first.width());
            for (int r = 0; r < repeat; r++) {
              for (Image image : images) {
                out.write(image.pixels());
              }
            }
            out.flush();
          });
    }
    return StreamedImages.idx(file);
  }
}
