package io.selftrain.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The entry point: exit codes, one-line errors naming the option or the file, --verbose, --version,
 * --help.
 */
class MainTest {
  @TempDir Path tmp;

  /** What a command printed and returned. */
  private record Outcome(int code, String out, String err) {}

  private static Outcome execute(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      return new Outcome(
          code,
          outBytes.toString(StandardCharsets.UTF_8),
          errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void version_isTheMavenProjectVersion() {
    Outcome outcome = execute("--version");
    assertThat(outcome.code()).isZero();
    // Filled in by Maven resource filtering: an unfiltered "${project.version}" or a missing file
    // fails here.
    assertThat(outcome.out().strip()).matches("selftrain \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  void help_listsEveryCommand_andCommandHelpListsItsOptions() {
    Outcome help = execute("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out())
        .contains(
            "classify",
            "detect",
            "segment",
            "export-teacher",
            "models",
            "augment",
            "--verbose",
            "--version");
    Outcome segment = execute("segment", "--help");
    assertThat(segment.code()).isZero();
    assertThat(segment.out()).contains("--min-labeled", "--train-masks");
  }

  @Test
  void noCommand_usageAndExitCode2() {
    Outcome outcome = execute();
    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err()).contains("Usage: selftrain-examples");
  }

  @Test
  void unknownCommand_oneLine_exitCode2() {
    Outcome outcome = execute("clasify");
    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err().lines())
        .hasSize(1)
        .first()
        .asString()
        .startsWith("error: ")
        .contains("clasify");
  }

  @Test
  void badOptionValue_oneLineNamingTheOption_exitCode2() {
    Outcome outcome = execute("classify", "--labels", "0");
    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err())
        .isEqualTo("error: classify: --labels must be positive: 0" + System.lineSeparator());
    Outcome unknown = execute("detect", "--lables", "5");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err().lines())
        .hasSize(1)
        .first()
        .asString()
        .startsWith("error: detect: unknown option: --lables");
  }

  @Test
  void missingSavedModelFolder_namesTheOption() {
    Path missing = tmp.resolve("no-model");
    Outcome outcome = execute("classify", "--teacher-savedmodel", missing.toString());
    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err())
        .isEqualTo(
            "error: classify: --teacher-savedmodel: folder not found: "
                + missing
                + System.lineSeparator());
  }

  @Test
  void corruptDataFile_oneLineNamingTheFile_exitCode1_stackTraceOnlyWithVerbose() throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectories(data);
    for (String name :
        new String[] {
          "train-images-idx3-ubyte",
          "train-labels-idx1-ubyte",
          "t10k-images-idx3-ubyte",
          "t10k-labels-idx1-ubyte"
        }) {
      Files.write(data.resolve(name), new byte[] {0, 0, 8, 3, 0, 0}); // an IDX header cut short
    }
    Outcome outcome =
        execute(
            "augment",
            "--policy",
            "S1",
            "--task",
            "classification",
            "--data-dir",
            data.toString(),
            "--out",
            tmp.resolve("g.png").toString());
    assertThat(outcome.code()).isEqualTo(1);
    assertThat(outcome.err().lines()).hasSize(1);
    assertThat(outcome.err())
        .startsWith("error: ")
        .contains(data.toString())
        .doesNotContain("\tat ");

    Outcome verbose =
        execute(
            "--verbose",
            "augment",
            "--policy",
            "S1",
            "--task",
            "classification",
            "--data-dir",
            data.toString(),
            "--out",
            tmp.resolve("g.png").toString());
    assertThat(verbose.code()).isEqualTo(1);
    assertThat(verbose.err()).startsWith(outcome.err()).contains("\tat io.selftrain.");
  }

  @Test
  void unwritableOut_refusedBeforeAnyWork_namingTheOptionAndThePath() throws Exception {
    Path notAFolder = tmp.resolve("file");
    Files.writeString(notAFolder, "x");
    Path out = notAFolder.resolve("result.json");
    Outcome outcome = execute("classify", "--labels", "10", "--out", out.toString());
    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err())
        .isEqualTo(
            "error: classify: --out cannot be written, "
                + notAFolder
                + " is not a folder: "
                + out
                + System.lineSeparator());
    assertThat(execute("segment", "--out", tmp.toString()).err())
        .isEqualTo(
            "error: segment: --out is a folder, not a file: " + tmp + System.lineSeparator());
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("file");
    }
  }
}
