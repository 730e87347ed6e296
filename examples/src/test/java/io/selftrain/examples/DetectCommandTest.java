package io.selftrain.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.selftrain.core.eval.CocoDetection;
import io.selftrain.core.eval.CocoEvaluator;
import io.selftrain.core.eval.CocoGroundTruth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectCommandTest {
  @TempDir Path tmp;

  private void detect(String... args) throws Exception {
    DetectCommand.run(List.of(args));
  }

  @Test
  void help_listsEveryOptionWithItsDefault() {
    CliRun run = CliRun.of("detect", "--help");
    assertThat(run.exitCode()).isZero();
    String help = run.out();
    assertThat(help)
        .contains("[500]", "[5000]", "[S1]", "[test]")
        .doesNotContain("${DEFAULT-VALUE}");
    for (String option :
        List.of(
            "--labels",
            "--unlabeled",
            "--rounds",
            "--epochs",
            "--seed",
            "--threads",
            "--policy",
            "--baseline",
            "--out",
            "--work-dir",
            "--train-json",
            "--train-images",
            "--unlabeled-images",
            "--test-json",
            "--test-images",
            "--eval",
            "--score-threshold",
            "--keep-empty",
            "--no-cross-class-nms",
            "--ignore-score",
            "--student-init",
            "--channels-last",
            "--fused-ops",
            "--pseudo-on-top")) {
      assertThat(help).as(option).contains(option);
    }
  }

  @Test
  void run_unknownPolicy() {
    assertThatThrownBy(
            () -> detect(TinyScenes.args("--policy", "S9", "--work-dir", tmp.toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("detect: --policy must be one of [S1, S2, S3, S4, none]: S9");
  }

  @Test
  void run_badEvalSet() {
    assertThatThrownBy(() -> detect("--eval", "train"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("detect: --eval must be test or validation: train");
  }

  @Test
  void run_ignoreScoreAboveTheThreshold() {
    assertThatThrownBy(() -> detect("--score-threshold", "0.05", "--work-dir", tmp.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("detect: --ignore-score must be in [0, --score-threshold = 0.05]: 0.1");
  }

  @Test
  void run_aScheduleOrNoiseValueTheLibraryRefuses_namesTheOption() {
    SceneOptionErrors.assertEachNamesItsOption("detect", this::detect, tmp.resolve("w"));
  }

  @Test
  void run_zeroLabels() {
    assertThatThrownBy(() -> detect("--labels", "0", "--work-dir", tmp.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("detect: --labels must be positive: 0");
  }

  @Test
  void run_userDataWithoutTestImages_namesTheOption() throws Exception {
    Path json = Files.writeString(tmp.resolve("a.json"), "{}");
    assertThatThrownBy(() -> detect("--train-json", json.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("detect: --train-images is needed with --train-json (a user's own COCO data)");
  }

  @Test
  void unknownOption_exits2WithOneLineNamingIt() {
    CliRun run = CliRun.of("detect", "--no-such-option");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines().toList()).hasSize(1);
    assertThat(run.err()).startsWith("error: detect: ").contains("--no-such-option");
  }

  @Test
  void userDataMissingFolder_exits2NamingTheOption() throws Exception {
    Path json = Files.writeString(tmp.resolve("a.json"), "{}");
    Path missing = tmp.resolve("no-images");
    CliRun run =
        CliRun.of("detect", "--train-json", json.toString(), "--train-images", missing.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip())
        .isEqualTo("error: detect: --train-images: folder not found: " + missing);
  }

  @Test
  void run_userDataMissingFile_namesIt() {
    Path json = tmp.resolve("missing.json");
    assertThatThrownBy(
            () -> detect("--train-json", json.toString(), "--train-images", tmp.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("detect: --train-json: file not found: " + json);
  }

  @Test
  void run_channelsLastFusedOpsAndPseudoOnTop_reachTheRunsSettings() throws Exception {
    Path out = tmp.resolve("channels-last.json");
    detect(
        TinyScenes.args(
            "--teacher-epochs",
            "1",
            "--epochs",
            "1",
            "--batch",
            "4",
            "--threads",
            "1",
            "--channels-last",
            "--fused-ops",
            "--pseudo-on-top",
            "--work-dir",
            tmp.resolve("channels-last").toString(),
            "--out",
            out.toString()));
    JsonObject settings = TinyScenes.settings(tmp.resolve("channels-last"));
    assertThat(settings.get("teacher").getAsString())
        .isEqualTo("retinanet-tiny64-c10-fpn64-head64-sd0.20-fused-cl");
    assertThat(settings.get("student").getAsString())
        .isEqualTo("retinanet-tiny64-c10-fpn64-head64-sd0.20-fused-cl");
    // --batch 4 at the default --ratio 1: 4 human + 4 pseudo scenes a student step.
    assertThat(settings.get("studentBatch").getAsString()).isEqualTo("4 human + 4 pseudo");
  }

  @Test
  void run_tinyScenes_writesResultAndDetectionsThatScoreToTheReportedAp() throws Exception {
    Path out = tmp.resolve("out/result.json");
    Files.createDirectories(out.getParent());
    detect(
        "--labels",
        "8",
        "--unlabeled",
        "8",
        "--validation",
        "4",
        "--test",
        "6",
        "--teacher-epochs",
        "1",
        "--epochs",
        "1",
        "--batch",
        "8",
        "--threads",
        "1",
        "--baseline",
        "--score-threshold",
        "0.05",
        "--ignore-score",
        "0",
        "--work-dir",
        tmp.resolve("run").toString(),
        "--out",
        out.toString());
    JsonObject json = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
    assertThat(json.get("task").getAsString()).isEqualTo("detection");
    assertThat(json.get("labels").getAsInt()).isEqualTo(8);
    assertThat(json.get("unlabeled").getAsInt()).isEqualTo(8);
    assertThat(json.get("seed").getAsLong()).isZero();
    JsonObject round = json.getAsJsonArray("rounds").get(0).getAsJsonObject();
    assertThat(round.getAsJsonObject("teacher").keySet())
        .contains("ap", "ap50", "ap75", "apSmall", "apMedium", "apLarge");
    assertThat(round.getAsJsonObject("pseudo").keySet())
        .containsExactly("images", "boxes", "meanScore", "precision50", "recall50");
    assertThat(json.getAsJsonObject("baseline").keySet()).contains("ap");
    Path detections = Path.of(json.getAsJsonObject("files").get("detections").getAsString());
    Path annotations = Path.of(json.getAsJsonObject("files").get("testAnnotations").getAsString());
    assertThat(detections).isEqualTo(out.getParent().resolve("detections.json").toAbsolutePath());
    // The detections file, scored by the evaluator against the test annotations, gives the
    // student's AP.
    double ap =
        CocoEvaluator.evaluate(CocoGroundTruth.load(annotations), CocoDetection.read(detections))
            .ap();
    assertThat(ap).isEqualTo(round.getAsJsonObject("student").get("ap").getAsDouble());
    assertThat(CocoGroundTruth.load(annotations).imageIds()).hasSize(6);
  }
}
