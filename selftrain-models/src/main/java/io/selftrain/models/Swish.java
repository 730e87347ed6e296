package io.selftrain.models;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * Swish, {@code x * sigmoid(x)} (Ramachandran et al. 2017), EfficientNet's activation after every
 * convolution but the projections (Tan &amp; Le 2019, Sec. 4).
 *
 * <p>On PyTorch it is the engine's fused {@code silu} ({@link FusedSilu}); elsewhere {@code
 * x.mul(sigmoid(x))}. Both are finite for every finite input, and so are their gradients (unlike
 * {@code x / (1 + exp(-x))}, whose backward pass divides infinity by infinity for large negative
 * {@code x}). The two differ by float rounding only, so a network's parameters carry over; a run
 * uses one engine throughout, so a run's results are reproducible.
 */
final class Swish {
  private static final String PYTORCH = "PyTorch";

  private Swish() {}

  /**
   * Swish of every element.
   *
   * @param x the array
   * @return {@code x * sigmoid(x)}, attached to {@code x}'s manager
   */
  static NDArray apply(NDArray x) {
    if (PYTORCH.equals(x.getManager().getEngine().getEngineName())) {
      return FusedSilu.apply(x);
    }
    return x.mul(Activation.sigmoid(x));
  }
}
