package io.selftrain.examples;

import io.selftrain.models.EfficientNetConfig;
import picocli.CommandLine.Option;

/**
 * {@code --channels-last} and {@code --fused-ops} for the commands that train on an EfficientNet
 * backbone ({@code detect}, {@code segment}, {@code study}): how the backbone computes, not what.
 */
final class BackboneLayoutOption {
  @Option(
      names = "--channels-last",
      description =
          "lay the EfficientNet backbone's activations (and the heads' above it) out channels-last"
              + " in memory: the same values up to the order of a convolution's sums, faster on the"
              + " CPU; networks named with -cl [off]")
  boolean channelsLast;

  @Option(
      names = "--fused-ops",
      description =
          "compute the EfficientNet backbone's swish as PyTorch's fused silu and its"
              + " squeeze-excitation squeeze as one pooling, as torchvision's EfficientNet does:"
              + " the same values up to float rounding, faster to train; networks named with -fused"
              + " [off]")
  boolean fusedOps;

  /**
   * The backbone computed as these options say.
   *
   * @param backbone the command's backbone
   * @return a copy with the layout and operations chosen here
   */
  EfficientNetConfig apply(EfficientNetConfig backbone) {
    return backbone.withChannelsLast(channelsLast).withFusedOps(fusedOps);
  }
}
