package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A classification run and a detection run, each killed with SIGKILL inside every stage (teacher
 * training, pseudo-labeling, round-1 student, between rounds, round-2 pseudo-labeling and student,
 * the supervised control) and started again each time ends exactly where an uninterrupted run ends:
 * the same result, the same stage files byte for byte, no stray file. Each restart must recompute
 * the killed stage and read every completed stage back.
 */
class CrashSafetyTest {
  @TempDir Path tmp;
  private String task;

  private static final List<String> HEAP = List.of("-Xmx512m");
  private static final List<String> RECIPE =
      List.of("4", "2", "2"); // teacher epochs, student epochs, rounds

  @ParameterizedTest
  @ValueSource(strings = {"classification", "detection"})
  void fit_killedInsideEveryStage_resumesToTheUninterruptedResult(String task) throws Exception {
    this.task = task;
    Path whole = tmp.resolve("whole");
    ChildProcess.Outcome uninterrupted = ChildProcess.run(HEAP, args(whole), line -> false);
    assertThat(uninterrupted.exitCode()).as("%s", uninterrupted.lines()).isZero();
    assertThat(uninterrupted.lines()).contains("DONE");

    Path killed = tmp.resolve("killed");
    // Kill points in run order; after each restart, the stages before the killed one are read back.
    killAndResume(
        killed, "EPOCH 1 TEACHER_TRAINING 2/4", List.of("STAGE 1 TEACHER_TRAINING false"));
    killAndResume(killed, "PSEUDO 1 ", List.of("STAGE 1 TEACHER_TRAINING false"));
    killAndResume(
        killed,
        "EPOCH 1 STUDENT_TRAINING 1/2",
        List.of("STAGE 1 TEACHER_TRAINING true", "STAGE 1 PSEUDO_LABELING false"));
    killAndResume(
        killed,
        "EVAL 1 student",
        List.of("STAGE 1 PSEUDO_LABELING true", "STAGE 1 STUDENT_TRAINING false"));
    killAndResume(killed, "PSEUDO 2 ", List.of("STAGE 1 STUDENT_TRAINING true"));
    killAndResume(killed, "EPOCH 2 STUDENT_TRAINING 1/2", List.of("STAGE 2 PSEUDO_LABELING false"));
    killAndResume(
        killed,
        "EPOCH 0 SUPERVISED_CONTROL 1/2",
        List.of("STAGE 2 PSEUDO_LABELING true", "STAGE 2 STUDENT_TRAINING false"));
    ChildProcess.Outcome last = ChildProcess.run(HEAP, args(killed), line -> false);
    assertThat(last.exitCode()).as("%s", last.lines()).isZero();
    assertThat(last.starting("STAGE "))
        .containsExactly(
            "STAGE 1 TEACHER_TRAINING true",
            "STAGE 1 PSEUDO_LABELING true",
            "STAGE 1 STUDENT_TRAINING true",
            "STAGE 2 PSEUDO_LABELING true",
            "STAGE 2 STUDENT_TRAINING true",
            "STAGE 0 SUPERVISED_CONTROL false");

    assertThat(withoutWallTime(killed.resolve("result.json")))
        .isEqualTo(withoutWallTime(whole.resolve("result.json")));
    assertThat(stageFileDigests(killed)).isEqualTo(stageFileDigests(whole)).isNotEmpty();
    assertThat(relativeFiles(killed)).isEqualTo(relativeFiles(whole));
  }

  /**
   * Runs the child until it prints a line starting with {@code killPoint}, checking the lines it
   * printed first.
   */
  private void killAndResume(Path workDir, String killPoint, List<String> expectedStages)
      throws Exception {
    ChildProcess.Outcome outcome =
        ChildProcess.run(HEAP, args(workDir), line -> line.startsWith(killPoint));
    assertThat(outcome.killed())
        .as("kill point '%s' never came: %s", killPoint, outcome.lines())
        .isTrue();
    assertThat(outcome.exitCode()).as("exit code of a SIGKILLed JVM").isEqualTo(128 + 9);
    assertThat(outcome.starting("STAGE "))
        .as("stages before '%s'", killPoint)
        .containsSubsequence(expectedStages);
  }

  private List<String> args(Path workDir) {
    return Stream.concat(Stream.of(task, workDir.toString()), RECIPE.stream()).toList();
  }

  private static JsonObject withoutWallTime(Path resultJson) throws IOException {
    JsonObject json = JsonParser.parseString(Files.readString(resultJson)).getAsJsonObject();
    json.remove("wallSeconds");
    return json;
  }

  /** Every stage's recorded file checksums, from the manifest. */
  private static Map<String, String> stageFileDigests(Path workDir) throws IOException {
    JsonObject stages =
        JsonParser.parseString(Files.readString(workDir.resolve("manifest.json")))
            .getAsJsonObject()
            .getAsJsonObject("stages");
    Map<String, String> digests = new TreeMap<>();
    for (String stage : stages.keySet()) {
      JsonObject files = stages.getAsJsonObject(stage).getAsJsonObject("files");
      for (String file : files.keySet()) {
        digests.put(stage + ":" + file, files.get(file).getAsString());
      }
    }
    return digests;
  }

  private static List<String> relativeFiles(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    }
  }
}
