package io.selftrain.examples;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

/**
 * The schedule and noise values that {@code detect} and {@code segment} pass to the library, each
 * refused with a message that names the option it came from.
 */
final class SceneOptionErrors {
  /** A command run with these arguments. */
  interface Command {
    void run(String... args) throws Exception;
  }

  private static final String[][] CASES = {
    {"--lr", "-1", "--lr: learningRate must be positive: -1.0"},
    {"--teacher-lr", "0", "--teacher-lr: learningRate must be positive: 0.0"},
    {"--batch", "1", "--batch: batchSize must be at least 2: 1"},
    {"--stochastic-depth", "2", "--stochastic-depth: stochasticDepth must be in [0, 1): 2.0"},
    {
      "--teacher-stochastic-depth",
      "1",
      "--teacher-stochastic-depth: stochasticDepth must be in [0, 1): 1.0"
    },
  };

  private SceneOptionErrors() {}

  /** Runs {@code command} on tiny scenes once per refused value and checks each message. */
  static void assertEachNamesItsOption(String name, Command command, Path workDir) {
    for (String[] c : CASES) {
      assertThatThrownBy(
              () -> command.run(TinyScenes.args(c[0], c[1], "--work-dir", workDir.toString())))
          .as(c[0])
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(name + ": " + c[2]);
    }
  }
}
