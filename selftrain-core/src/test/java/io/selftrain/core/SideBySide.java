package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.selftrain.SelfTrainingListener;
import io.selftrain.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the tests of a control trained beside round 1's student share, for every task: where each
 * stage ran, and the two stages' parameter files compared with a sequential run's.
 */
final class SideBySide {
  private SideBySide() {}

  /**
   * A listener that adds {@code STAGE@thread-name} to {@code seen} whenever a stage starts.
   *
   * @param seen a thread-safe list
   */
  static SelfTrainingListener stageThreads(List<String> seen) {
    return new SelfTrainingListener() {
      @Override
      public void onStage(int round, Stage stage, boolean resumed) {
        seen.add(stage + "@" + Thread.currentThread().getName());
      }
    };
  }

  /** Asserts that round 1's student and the control have byte-identical parameters in both runs. */
  static void assertSameStudentAndControl(Path parallel, Path sequential) throws IOException {
    for (String file : List.of("round-1/student.params", "control/student.params")) {
      assertThat(Files.readAllBytes(parallel.resolve(file)))
          .as(file)
          .isEqualTo(Files.readAllBytes(sequential.resolve(file)));
    }
  }
}
