package io.selftrain.augment;

/**
 * Makes libtorch reuse its large CPU tensor blocks instead of handing them back to the operating
 * system and faulting them in again at the next step.
 *
 * <p>Why: a training step allocates its activations and gradients afresh, and a JVM's threads
 * allocate from glibc's secondary arenas, which return large freed blocks to the kernel (they are
 * mapped and unmapped, or their heaps trimmed); every step then faults the same memory in again and
 * the kernel zeroes it. EfficientNet-B0's training step spent about 400 ms of its 2.2 s in
 * libtorch's {@code aten::empty} for that (libtorch's profiler, batch 16, one thread), against 5 ms
 * in a Python process, whose main thread allocates from glibc's main arena and keeps the blocks;
 * starting the JVM with {@code MALLOC_ARENA_MAX=1 MALLOC_MMAP_MAX_=0} and a large {@code
 * MALLOC_TRIM_THRESHOLD_} gave the same gain, but an application cannot set those for itself
 * (README, Model speed). Huge pages ({@code Engines}) made each fault cheaper; this removes the
 * faults.
 *
 * <p>How: the project's native library points libc10's own imports of {@code posix_memalign} and
 * {@code free} (the only calls through which libtorch allocates and frees CPU tensors) at a cache
 * that keeps freed blocks of 256 KiB or more, up to a capacity, and hands a block back to the next
 * allocation of nearly its size (at most an eighth larger) and a compatible alignment. Only libc10
 * is redirected; every cached block is one glibc gave and libc10 freed, and leaving the cache it
 * goes back to glibc. libtorch's zero filling ({@link TorchAllocations}) runs after the allocation,
 * so a reused block starts as zeros like a fresh one: the numbers computed are the same. selftrain-
 * core's {@code Engines} calls it whenever it loads the PyTorch engine.
 */
public final class TorchMemory {
  private TorchMemory() {}

  /**
   * Installs the cache in the libtorch loaded in this process, or sets its capacity when it is
   * installed already.
   *
   * @param capacityBytes the most bytes of freed blocks the cache keeps; the oldest go back to
   *     glibc first
   * @return what happened, for logs: {@code "reused"}, {@code "reused already"}, or why not
   * @throws IllegalArgumentException if the capacity is negative
   */
  public static String reuse(long capacityBytes) {
    if (capacityBytes < 0) {
      throw new IllegalArgumentException("capacity must not be negative: " + capacityBytes);
    }
    if (!NativeKernels.AVAILABLE) {
      return "not reused: " + NativeKernels.STATUS;
    }
    int status = NativeKernels.reuseTorchMemory(capacityBytes);
    if (status > 0) {
      return "reused";
    }
    switch (status) {
      case 0:
        return "reused already";
      case -1:
        return "not reused: no libc10.so is loaded in this process";
      default:
        return "not reused: libc10.so imports neither posix_memalign nor free";
    }
  }

  /**
   * The cache's counters since it was installed.
   *
   * @return allocations served from the cache, allocations of 256 KiB or more that missed it,
   *     blocks cached now and bytes cached now; zeros when the native library is absent
   */
  public static long[] counters() {
    long[] out = new long[4];
    if (NativeKernels.AVAILABLE) {
      NativeKernels.torchMemoryCounters(out);
    }
    return out;
  }
}
