package io.selftrain.core.data;

import static com.google.common.base.Preconditions.checkNotNull;

import io.selftrain.MaskTarget;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Class masks as PNG files, the format {@link MaskDataset} reads: 8-bit grey, each pixel's value
 * its class, {@link MaskTarget#IGNORE} (255) for pixels without one. Runs write pseudo masks and
 * predictions this way, so any image viewer opens them and they load back as masks.
 */
public final class MaskPngs {
  private MaskPngs() {}

  /**
   * Writes a mask atomically (temporary file, fsync, rename).
   *
   * @param file the PNG file
   * @param mask the mask
   * @throws IOException if the file cannot be written
   */
  public static void write(Path file, MaskTarget mask) throws IOException {
    PngFiles.writeMask(checkNotNull(file, "file"), checkNotNull(mask, "mask"));
  }

  /**
   * Reads a mask written by {@link #write} (or any 8-bit grey or palette PNG, by sample value).
   *
   * @param file the PNG file
   * @return the mask
   * @throws CorruptDataException if the file is not a one-band PNG of at most 8 bits
   * @throws IOException if the file cannot be read
   */
  public static MaskTarget read(Path file) throws IOException {
    return PngFiles.readMask(checkNotNull(file, "file"));
  }
}
