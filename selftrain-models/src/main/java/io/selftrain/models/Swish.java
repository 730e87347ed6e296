package io.selftrain.models;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * Swish, {@code x * sigmoid(x)} (Ramachandran et al. 2017), EfficientNet's activation after every
 * convolution but the projections (Tan &amp; Le 2019, Sec. 4).
 *
 * <p>Fused, on PyTorch, it is the engine's {@code silu} kernel ({@link FusedSilu}); otherwise, and
 * on other engines, {@code x.mul(sigmoid(x))}. Both are finite for every finite input, and so are
 * their gradients (unlike {@code x / (1 + exp(-x))} written out as ops, whose backward pass divides
 * infinity by infinity for large negative {@code x}). The two differ by float rounding only, so a
 * network's parameters carry over; {@link EfficientNetConfig#fusedOps()} chooses one per network.
 */
final class Swish {
  private static final String PYTORCH = "PyTorch";

  private Swish() {}

  /**
   * Swish of every element.
   *
   * @param x the array
   * @param fused the engine's fused kernel where it has one (PyTorch), else the product
   * @return {@code x * sigmoid(x)}, attached to {@code x}'s manager
   */
  static NDArray apply(NDArray x, boolean fused) {
    if (fused && PYTORCH.equals(x.getManager().getEngine().getEngineName())) {
      return FusedSilu.apply(x);
    }
    return x.mul(Activation.sigmoid(x));
  }
}
