package io.selftrain.examples;

import picocli.CommandLine.Option;

/**
 * {@code --channels-last} for the commands that train on an EfficientNet backbone ({@code detect},
 * {@code segment}, {@code study}).
 */
final class BackboneLayoutOption {
  @Option(
      names = "--channels-last",
      description =
          "lay the EfficientNet backbone's activations (and the heads' above it) out channels-last"
              + " in memory: the same values up to the order of a convolution's sums, faster on the"
              + " CPU; networks named with -cl [off]")
  boolean channelsLast;
}
