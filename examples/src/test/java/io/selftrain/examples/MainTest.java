package io.selftrain.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path tmp;

  @Test
  void version_printsTheProjectVersion() {
    CliRun run = CliRun.of("--version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().strip())
        .isEqualTo("selftrain-examples " + System.getProperty("project.version", "0.1.0-SNAPSHOT"));
    assertThat(run.out()).doesNotContain("${");
  }

  @Test
  void help_listsEveryCommandAndExits0() {
    CliRun run = CliRun.of("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains(
            "classify", "detect", "segment", "models", "export-teacher", "augment", "--verbose");
  }

  @Test
  void subcommandHelp_showsTheDefaults() {
    CliRun run = CliRun.of("augment", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("--size=PX")
        .contains("[128]")
        .contains("[fashion-mnist]")
        .doesNotContain("${DEFAULT-VALUE}");
  }

  @Test
  void noCommand_printsUsageAndExits0() {
    CliRun run = CliRun.of();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: selftrain-examples");
  }

  @Test
  void unknownCommand_exits2WithOneLine() {
    CliRun run = CliRun.of("train");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines().toList()).hasSize(1);
    assertThat(run.err()).startsWith("error: ").contains("train");
  }

  @Test
  void badOptionValue_exits2WithOneLineNamingTheOption() {
    CliRun run = CliRun.of("classify", "--labels", "many");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines().toList()).hasSize(1);
    assertThat(run.err()).startsWith("error: ").contains("--labels").contains("many");
    assertThat(run.hasStackTrace()).isFalse();
  }

  @Test
  void corruptIdxFile_exits1WithOneLineNamingThePath() throws IOException {
    Path data = corruptMnist();
    CliRun run =
        CliRun.of(
            "classify",
            "--dataset",
            "mnist",
            "--data-dir",
            data.toString(),
            "--work-dir",
            tmp.resolve("w").toString());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.errorLines()).isEqualTo(1);
    assertThat(run.err()).contains(data.toString());
    assertThat(run.hasStackTrace()).isFalse();
  }

  @Test
  void verbose_addsTheStackTrace() throws IOException {
    Path data = corruptMnist();
    CliRun run =
        CliRun.of(
            "classify",
            "--verbose",
            "--dataset",
            "mnist",
            "--data-dir",
            data.toString(),
            "--work-dir",
            tmp.resolve("w").toString());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.hasStackTrace()).isTrue();
  }

  @Test
  void notAProtobufSavedModel_exits1WithOneLineNamingThePath() throws IOException {
    Path model = Files.createDirectories(tmp.resolve("model"));
    Files.writeString(model.resolve("saved_model.pb"), "this is not a protobuf");
    CliRun run =
        CliRun.of(
            "classify",
            "--teacher-savedmodel",
            model.toString(),
            "--labels",
            "20",
            "--unlabeled",
            "20",
            "--dataset",
            "mnist",
            "--threads",
            "1",
            "--work-dir",
            tmp.resolve("w").toString());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.errorLines()).isEqualTo(1);
    assertThat(run.err()).contains(model.toString());
    assertThat(run.hasStackTrace()).isFalse();
  }

  @Test
  void missingSavedModelFolder_namesTheOption() {
    Path missing = tmp.resolve("no-such-model");
    CliRun run = CliRun.of("classify", "--teacher-savedmodel", missing.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip())
        .isEqualTo("error: classify: --teacher-savedmodel: folder not found: " + missing);
  }

  @Test
  void missingDataDir_exits2NamingTheOption() {
    Path missing = tmp.resolve("no-data");
    CliRun run =
        CliRun.of(
            "classify",
            "--data-dir",
            missing.toString(),
            "--work-dir",
            tmp.resolve("w").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip())
        .isEqualTo("error: classify: --data-dir: folder not found: " + missing);
  }

  @Test
  void workDirThatIsAFile_exits2NamingTheOption() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    CliRun run = CliRun.of("segment", "--work-dir", file.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("error: segment: --work-dir: not a folder: " + file);
  }

  @Test
  void unwritableOut_exits1WithOneLineNamingThePath() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    Path out = file.resolve("result.json");
    CliRun run =
        CliRun.of("classify", "--out", out.toString(), "--work-dir", tmp.resolve("w").toString());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err().strip())
        .isEqualTo("error: " + out + ": --out cannot be written: " + file + " is not a folder");
  }

  @Test
  void outThatIsAFolder_exits1WithOneLineNamingThePath() {
    CliRun run =
        CliRun.of("detect", "--out", tmp.toString(), "--work-dir", tmp.resolve("w").toString());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err().strip()).isEqualTo("error: " + tmp + ": --out is a folder, not a file");
  }

  /**
   * train-images-idx3-ubyte with a good magic number and a header that promises more images than
   * follow.
   */
  private Path corruptMnist() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("mnist"));
    byte[] header = {0, 0, 8, 3, 0, 0, (byte) 0xea, 0x60, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3};
    for (String name : new String[] {"train-images-idx3-ubyte", "t10k-images-idx3-ubyte"}) {
      Files.write(dir.resolve(name), header);
    }
    byte[] labels = {0, 0, 8, 1, 0, 0, (byte) 0xea, 0x60, 1, 2};
    for (String name : new String[] {"train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"}) {
      Files.write(dir.resolve(name), labels);
    }
    return dir;
  }

  @Test
  void generateCompletion_bashScriptWithEveryCommandAndItsOptions() {
    CliRun run = CliRun.of("generate-completion");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("complete -F")
        .contains("segment")
        .contains("--teacher-savedmodel")
        .contains("--min-labeled");
  }
}
