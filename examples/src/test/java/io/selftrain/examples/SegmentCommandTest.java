package io.selftrain.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.selftrain.core.data.MaskDataset;
import io.selftrain.core.data.MaskPngs;
import io.selftrain.core.eval.ConfusionMatrix;
import io.selftrain.core.eval.SegmentationScores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentCommandTest {
  @TempDir Path tmp;

  private void segment(String... args) throws Exception {
    SegmentCommand.run(List.of(args));
  }

  @Test
  void help_listsEveryOptionWithItsDefault() {
    CliRun run = CliRun.of("segment", "--help");
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
            "--train-images",
            "--train-masks",
            "--unlabeled-images",
            "--test-images",
            "--test-masks",
            "--eval",
            "--threshold",
            "--min-labeled",
            "--classes",
            "--pseudo-cutmix",
            "--prior-correction",
            "--student-init",
            "--channels-last",
            "--fused-ops",
            "--pseudo-on-top")) {
      assertThat(help).as(option).contains(option);
    }
  }

  @Test
  void run_badOptions_areNamed() {
    assertThatThrownBy(
            () -> segment(TinyScenes.args("--policy", "S9", "--work-dir", tmp.toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("segment: --policy must be one of [S1, S2, S3, S4, none]: S9");
    assertThatThrownBy(() -> segment("--eval", "train"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("segment: --eval must be test or validation: train");
    assertThatThrownBy(() -> segment("--threshold", "1.5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("segment: --threshold must be in (0, 1]: 1.5");
    assertThatThrownBy(() -> segment("--min-labeled", "1.5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("segment: --min-labeled must be in [0, 1]: 1.5");
    assertThatThrownBy(() -> segment("--pseudo-cutmix", "-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("segment: --pseudo-cutmix must be a finite non-negative number: -1.0");
    assertThatThrownBy(() -> segment("--prior-correction", "NaN"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("segment: --prior-correction must be a finite non-negative number: NaN");
    assertThatThrownBy(() -> segment("--labels", "0", "--work-dir", tmp.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("segment: --labels must be positive: 0");
  }

  @Test
  void run_aScheduleOrNoiseValueTheLibraryRefuses_namesTheOption() {
    SceneOptionErrors.assertEachNamesItsOption("segment", this::segment, tmp.resolve("w"));
  }

  @Test
  void notANumber_exits2WithOneLineNamingTheOption() {
    CliRun run = CliRun.of("segment", "--min-labeled", "x");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines().toList()).hasSize(1);
    assertThat(run.err()).startsWith("error: segment: ").contains("--min-labeled").contains("'x'");
  }

  @Test
  void run_userData_missingOptionsAndFolders_areNamed() {
    assertThatThrownBy(() -> segment("--train-images", tmp.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "segment: --classes (classes with background, mask values 0..K-1) must be in [2, 254] with --train-images (a user's own"
                + " images and masks): absent");
    assertThatThrownBy(() -> segment("--train-images", tmp.toString(), "--classes", "3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "segment: --train-masks is needed with --train-images (a user's own images and masks)");
    Path missing = tmp.resolve("no-such-folder");
    assertThatThrownBy(
            () ->
                segment(
                    "--train-images",
                    missing.toString(),
                    "--train-masks",
                    tmp.toString(),
                    "--classes",
                    "3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("segment: --train-images: folder not found: " + missing);
  }

  @Test
  void run_channelsLast_namesTeacherAndStudentWithTheLayout() throws Exception {
    segment(
        TinyScenes.args(
            "--teacher-epochs",
            "1",
            "--epochs",
            "1",
            "--rounds",
            "1",
            "--batch",
            "4",
            "--threads",
            "1",
            "--fpn-channels",
            "8",
            "--channels-last",
            "--work-dir",
            tmp.resolve("channels-last").toString(),
            "--out",
            tmp.resolve("channels-last.json").toString()));
    JsonObject settings = TinyScenes.settings(tmp.resolve("channels-last"));
    assertThat(settings.get("teacher").getAsString())
        .isEqualTo("nasfpn-seg-tiny64-c11-fpn8x2-sd0.20-cl");
    assertThat(settings.get("student").getAsString())
        .isEqualTo("nasfpn-seg-tiny64-c11-fpn8x2-sd0.20-cl");
  }

  @Test
  void run_tinyScenes_writesResultAndPredictionsThatScoreToTheReportedMiou() throws Exception {
    Path out = tmp.resolve("out/result.json");
    Files.createDirectories(out.getParent());
    segment(
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
        "--rounds",
        "2",
        "--batch",
        "8",
        "--threads",
        "1",
        "--baseline",
        "--fpn-channels",
        "8",
        "--work-dir",
        tmp.resolve("run").toString(),
        "--out",
        out.toString());
    JsonObject json = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
    assertThat(json.get("task").getAsString()).isEqualTo("segmentation");
    assertThat(json.get("labels").getAsInt()).isEqualTo(8);
    assertThat(json.get("unlabeled").getAsInt()).isEqualTo(8);
    JsonObject round = json.getAsJsonArray("rounds").get(0).getAsJsonObject();
    assertThat(round.getAsJsonObject("teacher").keySet())
        .containsExactly("miou", "pixelAccuracy", "perClassIou");
    assertThat(round.getAsJsonObject("pseudo").keySet())
        .containsExactly("images", "labeledFraction", "meanConfidence", "pixelAccuracy");
    assertThat(json.getAsJsonObject("baseline").keySet())
        .containsExactly("miou", "pixelAccuracy", "perClassIou");
    JsonObject student =
        json.getAsJsonArray("rounds").get(1).getAsJsonObject().getAsJsonObject("student");
    JsonArray perClass = student.getAsJsonArray("perClassIou");
    assertThat(perClass).hasSize(11);

    // The predicted PNGs beside the result, scored against the test masks of the same names, give
    // the final mIoU.
    Path predictions =
        out.getParent().resolve(json.getAsJsonObject("files").get("predictions").getAsString());
    Path testMasks = Path.of(json.getAsJsonObject("files").get("testMasks").getAsString());
    MaskDataset truth = MaskDataset.load(testMasks.resolveSibling("images"), testMasks, 11);
    assertThat(truth.size()).isEqualTo(6);
    ConfusionMatrix matrix = new ConfusionMatrix(11);
    for (int i = 0; i < truth.size(); i++) {
      matrix.add(
          truth.examples().get(i).target(),
          MaskPngs.read(predictions.resolve(truth.fileNames().get(i))));
    }
    SegmentationScores scores = matrix.scores();
    assertThat(scores.miou()).isEqualTo(student.get("miou").getAsDouble());
    assertThat(scores.pixelAccuracy()).isEqualTo(student.get("pixelAccuracy").getAsDouble());
    double[] iou = scores.perClassIou();
    for (int k = 0; k < iou.length; k++) {
      assertThat(perClass.get(k).getAsDouble())
          .as("class %s", k)
          .isEqualTo(Double.isNaN(iou[k]) ? -1.0 : iou[k]);
    }

    // The run's report beside the result, the same as the run's own; the epoch log holds the one
    // epoch of each of the four training stages (teacher, two students, control).
    String report = Files.readString(out.resolveSibling("result.html"));
    assertThat(report)
        .isEqualTo(Files.readString(tmp.resolve("run").resolve("report.html")))
        .contains("selftrain: self-training for segmentation, seed 0")
        .contains("<img id=\"plot-losses\"")
        .contains("<img id=\"plot-pseudo-classHistogram\"");
    assertThat(Files.readAllLines(tmp.resolve("run").resolve("epochs.jsonl"))).hasSize(4);
  }
}
