package io.selftrain.core;

import io.selftrain.augment.TorchMemory;
import java.lang.management.ManagementFactory;

/**
 * How much freed tensor memory libtorch keeps for reuse ({@link TorchMemory}): a training step then
 * takes its activations and gradients from blocks already mapped instead of faulting fresh memory
 * in at every step. EfficientNet-B0's training step (batch 16, one thread) went from about 2.2 s to
 * 1.8 s on the project's 2-core machine (README, Model speed); the numbers computed are the same,
 * since libtorch zero-fills every block it hands out, reused or fresh.
 *
 * <p>The cache holds at most {@value #DEFAULT_MAX_MIB} MiB and at most a quarter of the machine's
 * memory unless {@code -D}{@value #PROPERTY}{@code =<MiB>} says otherwise; 0 turns reuse off. What
 * it holds is memory a step freed and the next step takes again, so a process holds about its
 * largest step's working set once more at most; blocks that stop being reused leave it, oldest
 * first, as newer ones come in.
 */
final class TorchMemoryCache {
  /** The system property that sets the capacity in MiB (0: no reuse). */
  static final String PROPERTY = "selftrain.torch.memoryCacheMiB";

  /** The default capacity's upper bound: B0's batch-16 training step frees about 2.9 GiB. */
  static final long DEFAULT_MAX_MIB = 8192;

  private TorchMemoryCache() {}

  /**
   * The cache's capacity.
   *
   * @param property {@value #PROPERTY}, or null
   * @param physicalBytes the machine's memory in bytes, or 0 when unknown
   * @return the capacity in MiB, 0 for no reuse
   * @throws IllegalArgumentException if the property is not a whole number of MiB, 0 or more
   */
  static long capacityMiB(String property, long physicalBytes) {
    if (property != null) {
      long mib;
      try {
        mib = Long.parseLong(property.strip());
      } catch (NumberFormatException e) {
        mib = -1;
      }
      if (mib < 0 || mib > Long.MAX_VALUE >> 20) {
        throw new IllegalArgumentException(
            PROPERTY + " must be a whole number of MiB, 0 or more (0: no reuse): " + property);
      }
      return mib;
    }
    long quarter = (physicalBytes >> 20) / 4;
    return physicalBytes <= 0 ? DEFAULT_MAX_MIB : Math.min(DEFAULT_MAX_MIB, quarter);
  }

  /**
   * The capacity this process is configured for: {@value #PROPERTY}, else the default for this
   * machine's memory.
   *
   * @return the capacity in MiB, 0 for no reuse
   * @throws IllegalArgumentException if {@value #PROPERTY} is not a whole number of MiB
   */
  static long configuredMiB() {
    return capacityMiB(System.getProperty(PROPERTY), physicalMemoryBytes());
  }

  /**
   * Installs the cache in the loaded libtorch.
   *
   * @param mib the capacity, {@link #configuredMiB()}; 0 installs nothing
   * @return what happened, for logs and reports: {@code "blocks reused (up to <n> MiB)"} or why not
   */
  static String install(long mib) {
    if (mib == 0) {
      return "blocks not reused (-D" + PROPERTY + "=0)";
    }
    String status = TorchMemory.reuse(mib << 20);
    return status.startsWith("reused")
        ? "blocks reused (up to " + mib + " MiB)"
        : "blocks " + status;
  }

  private static long physicalMemoryBytes() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return 0;
  }
}
