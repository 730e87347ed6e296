package io.selftrain.core;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Asks libtorch to back its large CPU tensors with transparent huge pages, through libtorch's own
 * switch: the environment variable {@value #VARIABLE}, which libtorch reads once, at its first CPU
 * allocation, and which then page-aligns every allocation of 2 MiB or more and advises the kernel
 * to back it with huge pages ({@code madvise(MADV_HUGEPAGE)}).
 *
 * <p>Why: a training step allocates its activations and gradients afresh, and glibc gives such
 * large blocks back to the kernel when they are freed, so every step faults them in again, one 4
 * KiB page at a time. On the project's 2-core virtual machine that cost more than the arithmetic:
 * EfficientNet-B0's training step (batch 16, one thread, with a fused swish then being tried) took
 * 5.9 s, with 3.8 million page faults in the measuring process, and 2.1 s with 0.66 million with
 * huge pages, on libtorch 2.7.1 and 2.13 alike (PyTorch 2.13's own eager step, without them:
 * 2.1-2.8 s). glibc's secondary arenas, which a JVM's threads allocate from, give memory back more
 * readily than the main heap a Python process uses: the same JVM started with one arena and larger
 * mmap and trim thresholds ({@code MALLOC_ARENA_MAX=1} and friends, which only take effect at
 * process start) took 1.8 s. Nothing else changes: the same arithmetic on the same numbers.
 *
 * <p>It must happen before libtorch is loaded, so {@link Engines#load} does it before DJL loads the
 * PyTorch engine. A user's own {@value #VARIABLE} (set to 1 or 0 before the JVM starts) is kept,
 * and {@code -D}{@value #PROPERTY}{@code =false} leaves libtorch's default alone.
 */
final class TorchHugePages {
  /** libtorch's switch (c10's {@code alloc_cpu}). */
  static final String VARIABLE = "THP_MEM_ALLOC_ENABLE";

  /** The system property that turns the request off. */
  static final String PROPERTY = "selftrain.torch.hugePages";

  /** {@link #decide}'s answer when the variable should be set. */
  static final String REQUEST = "request";

  private static final Path THP_MODE = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
  private static final Path MAPS = Path.of("/proc/self/maps");

  private TorchHugePages() {}

  /**
   * Sets {@value #VARIABLE}=1 in this process's environment unless the user said otherwise, the
   * system has no transparent huge pages, or libtorch is loaded already.
   *
   * @return what happened, for logs and reports
   * @throws IllegalArgumentException if {@value #PROPERTY} is neither true nor false
   */
  static String request() {
    String decision =
        decide(
            System.getProperty(PROPERTY),
            System.getenv(VARIABLE),
            System.getProperty("os.name"),
            read(THP_MODE),
            read(MAPS));
    if (!decision.equals(REQUEST)) {
      return decision;
    }
    // Once per process, under Engines' lock. glibc's first setenv copies the environment into a
    // new array and frees nothing, so a getenv running on another thread still reads valid memory.
    try {
      Function setenv = NativeLibrary.getInstance("c").getFunction("setenv");
      int status = setenv.invokeInt(new Object[] {VARIABLE, "1", 1});
      return status == 0 ? "huge pages" : "no huge pages: setenv failed (" + status + ")";
    } catch (UnsatisfiedLinkError e) {
      return "no huge pages: libc's setenv not found (" + e.getMessage() + ")";
    }
  }

  /**
   * Whether to set {@value #VARIABLE}, from everything that decides it.
   *
   * @param property {@value #PROPERTY}, or null
   * @param variable the process's {@value #VARIABLE} at start, or null
   * @param osName the {@code os.name} property
   * @param thpMode the contents of {@code /sys/kernel/mm/transparent_hugepage/enabled}, or null
   * @param maps the contents of {@code /proc/self/maps}, or null
   * @return {@link #REQUEST}, or the status that says why not
   * @throws IllegalArgumentException if {@code property} is neither true nor false
   */
  static String decide(
      String property, String variable, String osName, String thpMode, String maps) {
    if (property != null
        && !"true".equalsIgnoreCase(property)
        && !"false".equalsIgnoreCase(property)) {
      throw new IllegalArgumentException(PROPERTY + " must be true or false: " + property);
    }
    if ("false".equalsIgnoreCase(property)) {
      return "no huge pages (-D" + PROPERTY + "=false)";
    }
    if (variable != null) {
      return "huge pages as the environment says (" + VARIABLE + "=" + variable + ")";
    }
    if (osName == null || !osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
      return "no huge pages (not Linux)";
    }
    if (thpMode == null || thpMode.contains("[never]")) {
      return "no huge pages (transparent huge pages are off on this system: "
          + (thpMode == null ? THP_MODE + " is missing" : thpMode.strip())
          + ")";
    }
    if (maps != null && maps.contains("/libc10.so")) {
      return "no huge pages (libtorch was loaded before selftrain's Engines: set "
          + VARIABLE
          + "=1 in the environment)";
    }
    return REQUEST;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException | SecurityException e) {
      return null;
    }
  }
}
