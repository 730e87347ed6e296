package io.selftrain.models.internal;

/**
 * Student names that say how the network computes: one whose config asks for fused operations
 * carries {@code -fused} after its name, one that asks for channels-last activations {@code -cl},
 * so that its work directories and parameter files are not taken for those of the same network
 * computed the default way (the values differ in the last bits). Not API.
 */
public final class LayoutNames {
  private LayoutNames() {}

  /**
   * The student's name for this layout.
   *
   * @param name the network's name in the plain layout
   * @param channelsLast whether the network computes channels-last
   * @param fusedOps whether the network uses the engine's fused operations
   * @return {@code name}, followed by {@code -fused} when fused, then {@code -cl} when
   *     channels-last
   */
  public static String of(String name, boolean channelsLast, boolean fusedOps) {
    return name + (fusedOps ? "-fused" : "") + (channelsLast ? "-cl" : "");
  }
}
