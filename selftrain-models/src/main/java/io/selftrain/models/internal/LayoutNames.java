package io.selftrain.models.internal;

/**
 * Student names that say the memory layout: a network whose config asks for channels-last
 * activations carries {@code -cl} after its name, so that its work directories and parameter files
 * are not taken for those of the same network computed in the plain layout (the values differ in
 * the last bits). Not API.
 */
public final class LayoutNames {
  private LayoutNames() {}

  /**
   * The student's name for this layout.
   *
   * @param name the network's name in the plain layout
   * @param channelsLast whether the network computes channels-last
   * @return {@code name}, followed by {@code -cl} when channels-last
   */
  public static String of(String name, boolean channelsLast) {
    return channelsLast ? name + "-cl" : name;
  }
}
