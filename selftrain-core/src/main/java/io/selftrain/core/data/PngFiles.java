package io.selftrain.core.data;

import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.internal.AtomicFiles;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Images and class masks as files, through {@code javax.imageio}. Writing makes 8-bit PNGs (grey
 * for one channel, RGB for three) atomically; reading takes anything ImageIO decodes.
 *
 * <ul>
 *   <li>Images: a single-band image that is not a palette image loads as grey (samples of other bit
 *       depths rescaled to 8 bits); 8-bit RGB and RGBA load their first three bands as they are
 *       stored; everything else (palette images, other colour spaces) is converted to sRGB. Alpha
 *       is dropped.
 *   <li>Masks: the stored sample is the class, so a mask must have one band of at most 8 bits:
 *       grey, or a palette image whose indices are the classes (as PASCAL VOC stores them).
 * </ul>
 */
final class PngFiles {
  private PngFiles() {}

  /** Writes an image as an 8-bit grey or RGB PNG, atomically. */
  static void writeImage(Path file, Image image) throws IOException {
    int h = image.height();
    int w = image.width();
    BufferedImage out;
    if (image.channels() == 1) {
      out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
      out.getRaster().setDataElements(0, 0, w, h, image.pixels());
    } else {
      out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
      byte[] pixels = image.pixels();
      int[] samples = new int[pixels.length];
      for (int i = 0; i < samples.length; i++) {
        samples[i] = pixels[i] & 0xFF;
      }
      out.getRaster().setPixels(0, 0, w, h, samples);
    }
    write(file, out);
  }

  /** Writes a mask as an 8-bit grey PNG whose values are the classes, atomically. */
  static void writeMask(Path file, MaskTarget mask) throws IOException {
    BufferedImage out =
        new BufferedImage(mask.width(), mask.height(), BufferedImage.TYPE_BYTE_GRAY);
    out.getRaster().setDataElements(0, 0, mask.width(), mask.height(), mask.classes());
    write(file, out);
  }

  /** Writes any image as PNG, atomically. */
  static void write(Path file, BufferedImage image) throws IOException {
    AtomicFiles.write(
        file,
        out -> {
          if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer for image type " + image.getType() + ": " + file);
          }
        });
  }

  /**
   * Reads an image (see the class comment for channels).
   *
   * @throws CorruptDataException if ImageIO cannot decode the file
   */
  static Image readImage(Path file) throws IOException {
    BufferedImage image = decode(file);
    int h = image.getHeight();
    int w = image.getWidth();
    Raster raster = image.getRaster();
    ColorModel model = image.getColorModel();
    int bands = raster.getNumBands();
    boolean palette = model instanceof IndexColorModel;
    if (!palette && bands == 1) {
      int max = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
      int[] samples = raster.getPixels(0, 0, w, h, (int[]) null);
      byte[] grey = new byte[samples.length];
      for (int i = 0; i < samples.length; i++) {
        grey[i] = (byte) ((samples[i] * 255 + max / 2) / max);
      }
      return Image.of(h, w, 1, grey);
    }
    byte[] rgb = new byte[h * w * 3];
    if (!palette
        && (bands == 3 || bands == 4)
        && eightBit(raster)
        && model.getColorSpace().isCS_sRGB()) {
      int[] samples = raster.getPixels(0, 0, w, h, (int[]) null);
      for (int p = 0, i = 0; p < h * w; p++, i += bands) {
        rgb[3 * p] = (byte) samples[i];
        rgb[3 * p + 1] = (byte) samples[i + 1];
        rgb[3 * p + 2] = (byte) samples[i + 2];
      }
    } else {
      int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
      for (int p = 0; p < argb.length; p++) {
        rgb[3 * p] = (byte) (argb[p] >> 16);
        rgb[3 * p + 1] = (byte) (argb[p] >> 8);
        rgb[3 * p + 2] = (byte) argb[p];
      }
    }
    return Image.of(h, w, 3, rgb);
  }

  /**
   * Reads a class mask: the stored samples, unchanged.
   *
   * @throws CorruptDataException if ImageIO cannot decode the file, or it has more than one band or
   *     more than 8 bits per sample
   */
  static MaskTarget readMask(Path file) throws IOException {
    BufferedImage image = decode(file);
    Raster raster = image.getRaster();
    if (raster.getNumBands() != 1) {
      throw new CorruptDataException(
          file,
          "mask must have one band (grey or palette) holding the class: "
              + raster.getNumBands()
              + " bands");
    }
    int bits = raster.getSampleModel().getSampleSize(0);
    if (bits > 8) {
      throw new CorruptDataException(file, "mask must have at most 8 bits per sample: " + bits);
    }
    int h = image.getHeight();
    int w = image.getWidth();
    int[] samples = raster.getPixels(0, 0, w, h, (int[]) null);
    byte[] classes = new byte[samples.length];
    for (int i = 0; i < samples.length; i++) {
      classes[i] = (byte) samples[i];
    }
    return MaskTarget.of(h, w, classes);
  }

  /**
   * Images of more pixels than this are refused before decoding (a 23k x 23k image; 2 GB as RGBA
   * bytes).
   */
  static final long MAX_PIXELS = 1L << 29;

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  /**
   * Decodes an image, refusing before any pixel is decoded a truncated or damaged PNG (see {@link
   * #checkPngChunks}) and an image declaring more than {@link #MAX_PIXELS} pixels (which would
   * exhaust memory).
   */
  private static BufferedImage decode(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (startsWith(bytes, PNG_SIGNATURE)) {
      checkPngChunks(file, bytes);
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new CorruptDataException(
            file, "image must be in a format ImageIO reads (PNG, JPEG, BMP, GIF): no reader");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > MAX_PIXELS) {
          throw new CorruptDataException(
              file,
              "image must have at most "
                  + MAX_PIXELS
                  + " pixels: "
                  + reader.getWidth(0)
                  + "x"
                  + reader.getHeight(0));
        }
        return reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IIOException e) {
      throw new CorruptDataException(file, "image must be decodable: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // Decoders of damaged files fail with index and argument exceptions too.
      throw new CorruptDataException(file, "image must be decodable: " + e, e);
    }
  }

  /**
   * Walks a PNG's chunks checking each CRC (ImageIO's reader ignores them, so a flipped bit would
   * decode to other pixels) and that the file ends with IEND (ImageIO returns a truncated file's
   * rows as zeros).
   */
  private static void checkPngChunks(Path file, byte[] bytes) throws CorruptDataException {
    ByteBuffer chunks = ByteBuffer.wrap(bytes); // big-endian, as PNG
    int offset = PNG_SIGNATURE.length;
    while (offset + 12 <= bytes.length) {
      long length = Integer.toUnsignedLong(chunks.getInt(offset));
      String type = new String(bytes, offset + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      if (offset + 12 + length > bytes.length) {
        break;
      }
      java.util.zip.CRC32 crc = new java.util.zip.CRC32();
      crc.update(bytes, offset + 4, 4 + (int) length);
      int end = offset + 8 + (int) length;
      long stored = Integer.toUnsignedLong(chunks.getInt(end));
      if (crc.getValue() != stored) {
        throw new CorruptDataException(
            file,
            "image must be decodable: PNG chunk "
                + type
                + " at byte "
                + offset
                + " fails its CRC (the file is damaged)");
      }
      offset = end + 4;
      if (type.equals("IEND")) {
        return;
      }
    }
    throw new CorruptDataException(
        file,
        "image must be decodable: PNG must end with an IEND chunk (the file is truncated or damaged): "
            + bytes.length
            + " bytes");
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static boolean eightBit(Raster raster) {
    for (int size : raster.getSampleModel().getSampleSize()) {
      if (size != 8) {
        return false;
      }
    }
    return true;
  }
}
