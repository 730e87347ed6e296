package io.selftrain.examples;

import java.util.ArrayList;
import java.util.List;

/** The scene counts of the tests' tiny {@code detect} and {@code segment} runs. */
final class TinyScenes {
  private TinyScenes() {}

  /**
   * 4 labeled, 4 unlabeled, 2 validation and 2 test scenes, followed by {@code more}.
   *
   * @param more the run's other options
   * @return the whole argument list
   */
  static String[] args(String... more) {
    List<String> all =
        new ArrayList<>(
            List.of("--labels", "4", "--unlabeled", "4", "--validation", "2", "--test", "2"));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }
}
