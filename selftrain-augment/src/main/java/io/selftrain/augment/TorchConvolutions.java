package io.selftrain.augment;

/**
 * Switches libtorch's oneDNN (MKL-DNN) convolutions off, as PyTorch's {@code
 * torch.backends.mkldnn.enabled = False} does, so that convolutions run on ATen's own kernels.
 *
 * <p>Why: the libtorch that DJL 0.36 ships (2.7.1, oneDNN 3.7.1) returns NaN in the input gradient
 * of some convolutions at random on some CPUs (seen on an AMD EPYC with AVX-512: a 3x3 convolution
 * with 8 or 12 channels gave NaN in up to 41 of 100 backward passes; the tiny test models'
 * detection students diverged about once per test-suite run), with oneDNN's AVX-512 and AVX2
 * kernels alike; PyTorch 2.13 on the same machine gave none in 600, and with oneDNN off libtorch
 * 2.7.1 gives none. DJL exposes no such switch, so the project's native library calls libtorch's
 * exported {@code at::Context::setUserEnabledMkldnn} directly; it lives here because this module
 * ships that library. selftrain-core's {@code Engines} calls it whenever it loads the PyTorch
 * engine.
 */
public final class TorchConvolutions {
  private TorchConvolutions() {}

  /**
   * Switches oneDNN off in the libtorch loaded in this process; call it after the PyTorch engine
   * has loaded and before the first convolution.
   *
   * @return what happened, for logs: {@code "oneDNN off"}, {@code "oneDNN off already"}, or why it
   *     could not be switched off (the native library or libtorch is not loaded)
   */
  public static String disableOneDnn() {
    if (!NativeKernels.AVAILABLE) {
      return "oneDNN left on: " + NativeKernels.STATUS;
    }
    int status = NativeKernels.disableTorchMkldnn();
    switch (status) {
      case 1:
        return "oneDNN off";
      case 0:
        return "oneDNN off already";
      case -1:
        return "oneDNN left on: no libtorch_cpu.so is loaded in this process";
      default:
        return "oneDNN left on: libtorch_cpu.so has no at::Context::setUserEnabledMkldnn";
    }
  }
}
