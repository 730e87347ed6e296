package io.selftrain.augment;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Scale jitter's bilinear resize-and-crop in C (SSE2, AVX2 where the CPU has it), shipped inside
 * the jar for Linux x86-64 and loaded through JNI: the same integers as the Java loops of {@link
 * Warps#resizeCrop} from the same {@link ResizeTables}, at several times their speed on a plain JVM
 * (README, "Augmentation speed"). Where the library is absent (another OS or CPU, a jar built
 * without gcc) or refused ({@code -Dselftrain.native=false}), {@link #AVAILABLE} is false and the
 * Java loops run; the pixels are the same either way.
 */
final class NativeKernels {
  /** The system property that turns the native kernels off ({@code -Dselftrain.native=false}). */
  static final String PROPERTY = "selftrain.native";

  /** The library's version of the call signatures; must equal the C file's {@code ABI_VERSION}. */
  static final int ABI_VERSION = 3;

  /** The platform the jar carries a library for. */
  static final String PLATFORM = "linux-x86_64";

  /** Where the build puts the library in the jar. */
  static final String RESOURCE =
      "/io/selftrain/augment/native/" + PLATFORM + "/libselftrain-augment.so";

  /**
   * Why the native kernels are or are not in use: {@code "native (linux-x86_64)"} or the reason.
   */
  static final String STATUS =
      load(
          System.getProperty(PROPERTY),
          System.getProperty("os.name", ""),
          System.getProperty("os.arch", ""));

  /** Whether {@link #resizeCrop} may be called. */
  static final boolean AVAILABLE = STATUS.startsWith("native");

  private NativeKernels() {}

  /**
   * Loads the library unless the property refuses it or the platform has none.
   *
   * @param property the value of {@link #PROPERTY}, or null
   * @param osName the {@code os.name} to decide for
   * @param osArch the {@code os.arch} to decide for
   * @return {@code "native (linux-x86_64)"} when loaded, otherwise why not
   */
  static String load(String property, String osName, String osArch) {
    if ("false".equalsIgnoreCase(property)) {
      return "java (-D" + PROPERTY + "=false)";
    }
    String arch = osArch.toLowerCase(Locale.ROOT);
    if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")
        || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      return "java (no native kernels for " + osName + "/" + osArch + ")";
    }
    try (InputStream in = NativeKernels.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "java (this jar was built without the native kernels: no gcc at build time)";
      }
      Path file = Files.createTempFile("selftrain-augment-", ".so");
      try {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        System.load(file.toAbsolutePath().toString());
      } finally {
        // A loaded library stays mapped after its file is unlinked.
        Files.deleteIfExists(file);
      }
      int abi = abiVersion();
      if (abi != ABI_VERSION) {
        return "java (native library version " + abi + ", expected " + ABI_VERSION + ")";
      }
      return "native (" + PLATFORM + ")";
    } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
      return "java (native kernels failed to load: " + e.getMessage() + ")";
    }
  }

  /**
   * {@link Warps#resizeCrop}'s integer loops on HWC uint8 pixels.
   *
   * @param src the input, {@code height * width * channels} bytes
   * @param width input columns
   * @param channels samples per pixel
   * @param t the tables of this resize
   * @param dst the output, {@code outH * outW * channels} bytes, written completely
   * @param outW output columns
   * @param outH output rows
   * @param fill the value of output samples outside the scaled image
   */
  static void resizeCrop(
      byte[] src,
      int width,
      int channels,
      ResizeTables t,
      byte[] dst,
      int outW,
      int outH,
      byte fill) {
    int status =
        resizeCrop(
            src,
            width,
            channels,
            t.x0,
            t.x1,
            t.wx,
            t.insideWidth,
            t.rows,
            t.insideHeight,
            dst,
            outW,
            outH,
            fill);
    if (status != 0) {
      throw new OutOfMemoryError("native resize could not allocate its row buffers");
    }
  }

  private static native int abiVersion();

  /**
   * Makes the libtorch loaded in this process zero-fill its CPU allocations ({@link
   * TorchAllocations}).
   *
   * @return 1 when switched on, 0 when on already, -1 when no libc10 is loaded, -2 when its flag is
   *     missing
   */
  static native int zeroFillTorchAllocations();

  /**
   * Makes the libc10 loaded in this process reuse its large freed CPU blocks ({@link TorchMemory}).
   *
   * @param capacityBytes the most bytes the cache holds
   * @return the number of libc10's imports redirected, 0 when installed already (the capacity is
   *     updated), -1 when no libc10 is loaded, -2 when it imports neither function
   */
  static native int reuseTorchMemory(long capacityBytes);

  /**
   * The reuse cache's counters.
   *
   * @param out receives allocations served from the cache, allocations that missed it, blocks
   *     cached and bytes cached
   */
  static native void torchMemoryCounters(long[] out);

  private static native int resizeCrop(
      byte[] src,
      int width,
      int channels,
      int[] x0,
      int[] x1,
      int[] wx,
      int insideW,
      int[] rows,
      int insideH,
      byte[] dst,
      int outW,
      int outH,
      byte fill);
}
