package io.selftrain.augment;

/**
 * Makes libtorch zero-fill every CPU tensor it allocates (its flag {@code
 * caffe2_cpu_allocator_do_zero_fill}).
 *
 * <p>Why: the libtorch that DJL 0.36 ships (2.7.1, oneDNN 3.7.1) reads memory it never wrote when
 * it computes the input gradient of some convolutions on some CPUs (seen on an AMD EPYC, Zen 5,
 * with AVX-512): whatever a freed tensor left there enters the gradient, and when that was NaN or
 * infinite, so is the gradient. A 3x3 convolution with 8 or 12 channels gave NaN in 3-41 of 100
 * backward passes; with libtorch's own junk fill (freshly allocated memory set to NaN) every one of
 * 50 backward passes of 3x3 convolutions with 4 to 40 channels did; the tests' tiny detection
 * students diverged about once per test-suite run. With zero-filled allocations the stray reads
 * read zeros: no NaN in any of those, at the same speed. PyTorch 2.13 on the same machine gave none
 * in 600. DJL exposes no such setting, so the project's native library sets libtorch's exported
 * flag directly; it lives here because this module ships that library. selftrain-core's {@code
 * Engines} calls it whenever it loads the PyTorch engine.
 */
public final class TorchAllocations {
  private TorchAllocations() {}

  /**
   * Switches zero-filling on in the libtorch loaded in this process; call it after the PyTorch
   * engine has loaded and before the first convolution.
   *
   * @return what happened, for logs: {@code "zero-filled"}, {@code "zero-filled already"}, or why
   *     it could not be switched on (the native library or libtorch is not loaded)
   */
  public static String zeroFill() {
    if (!NativeKernels.AVAILABLE) {
      return "not zero-filled: " + NativeKernels.STATUS;
    }
    switch (NativeKernels.zeroFillTorchAllocations()) {
      case 1:
        return "zero-filled";
      case 0:
        return "zero-filled already";
      case -1:
        return "not zero-filled: no libc10.so is loaded in this process";
      default:
        return "not zero-filled: libc10.so has no caffe2_cpu_allocator_do_zero_fill";
    }
  }
}
