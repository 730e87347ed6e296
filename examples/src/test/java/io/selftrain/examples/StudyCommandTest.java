package io.selftrain.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.core.data.LabeledImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code study} command's options and its auxiliary dataset (the runs: StudyTest in core). */
class StudyCommandTest {
  @TempDir Path tmp;

  private void study(String... args) throws IOException {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of("--dir", tmp.resolve("study").toString()));
    StudyCommand.run(all);
  }

  @Test
  void badOptions_failBeforeAnyWork_withOneLineNamingTheOptionAndValue() {
    assertThatThrownBy(() -> study("--task", "classification"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("study: --task must be detection or segmentation")
        .hasMessageEndingWith(": classification");
    assertThatThrownBy(() -> study("--task", "segmentation", "--mask-threshold", "0"))
        .hasMessage("study: --mask-threshold must be in (0, 1]: 0.0");
    assertThatThrownBy(() -> study("--score-threshold", "0.2", "--ignore-score", "0.3"))
        .hasMessage("study: --ignore-score must be in [0, --score-threshold = 0.2]: 0.3");
    assertThatThrownBy(() -> study("--shard", "2/2"))
        .hasMessage("study: --shard must be I/N with 0 <= I < N, for instance 0/2: 2/2");
    assertThatThrownBy(() -> study("--shard", "one/2"))
        .hasMessage("study: --shard must be I/N with 0 <= I < N, for instance 0/2: one/2");
    assertThatThrownBy(() -> study("--policies", "S1,S9"))
        .hasMessage("study: --policies takes S1, S2, S3 and S4: S9");
    assertThatThrownBy(() -> study("--policies", "S1,S1"))
        .hasMessage("study: --policies repeats a value: S1,S1");
    assertThatThrownBy(() -> study("--teacher-policy", "S5"))
        .hasMessage("study: --teacher-policy takes S1, S2, S3, S4 or same: S5");
    assertThatThrownBy(() -> study("--fractions", "0.5,0"))
        .hasMessage("study: --fractions must be numbers in (0, 1]: 0");
    assertThatThrownBy(() -> study("--methods", "supervised,pretraining"))
        .hasMessage(
            "study: --methods takes [supervised, self-training, joint-training,"
                + " joint-and-self-training]: pretraining");
    assertThatThrownBy(() -> study("--inits", "random,imagenet"))
        .hasMessage("study: --inits takes random, pretrained and checkpoint:FILE: imagenet");
    assertThatThrownBy(() -> study("--seeds", "0,x"))
        .hasMessage("study: --seeds must be integers: x");
    assertThatThrownBy(() -> study("--aux-weight", "0"))
        .hasMessage("study: --aux-weight must be positive: 0.0");
    assertThatThrownBy(() -> study("--eval", "train"))
        .hasMessage("study: --eval must be test or validation: train");
    assertThatThrownBy(() -> study("--epochs", "0"))
        .hasMessage("study: --epochs must be positive: 0");
    assertThatThrownBy(() -> study("--steps", "-5"))
        .hasMessage("study: --steps must be 0 (epochs) or positive: -5");
    assertThatThrownBy(() -> study("--loss", "mean"))
        .hasMessage(
            "study: --loss must be one of [paper, sum, batch-ratio] (optionally :alpha): mean");
    assertThatThrownBy(() -> study("--merge"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("no shard results to merge: ")
        .hasMessageEndingWith("does not exist");
  }

  @Test
  void segmentation_tinyStudy_cellsAreItsRunsMiou() throws IOException {
    Path folder = tmp.resolve("seg-study");
    StudyCommand.run(
        List.of(
            "--task",
            "segmentation",
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
            "--steps",
            "2",
            "--epochs",
            "1",
            "--batch",
            "4",
            "--threads",
            "1",
            "--inits",
            "random",
            "--policies",
            "S1",
            "--fractions",
            "1.0",
            "--methods",
            "supervised,self-training",
            "--channels-last",
            "--fused-ops",
            "--dir",
            folder.toString()));
    JsonObject study =
        JsonParser.parseString(Files.readString(folder.resolve("study.json"))).getAsJsonObject();
    assertThat(study.get("metric").getAsString()).isEqualTo("miou");
    JsonArray cells = study.getAsJsonArray("cells");
    assertThat(cells).hasSize(2);
    JsonObject result =
        JsonParser.parseString(
                Files.readString(
                    folder.resolve("runs/random-S1-f100-plain-s0").resolve("result.json")))
            .getAsJsonObject();
    assertThat(result.get("task").getAsString()).isEqualTo("segmentation");
    for (JsonElement element : cells) {
      JsonObject cell = element.getAsJsonObject();
      JsonObject expected =
          cell.get("method").getAsString().equals("SUPERVISED")
              ? result.getAsJsonObject("control")
              : result.getAsJsonArray("rounds").get(0).getAsJsonObject().getAsJsonObject("student");
      assertThat(cell.getAsJsonObject("metrics").get("miou").getAsDouble())
          .as(cell.get("method").getAsString())
          .isEqualTo(expected.get("miou").getAsDouble());
      // Two steps in one epoch, whatever the pseudo masks kept.
      assertThat(cell.getAsJsonObject("settings").get("studentSchedule").getAsString())
          .endsWith(" steps=2");
      // --channels-last and --fused-ops reach the segmenter: its name says both.
      assertThat(cell.getAsJsonObject("settings").get("student").getAsString())
          .isEqualTo("nasfpn-seg-tiny64-c11-fpn32x2-sd0.20-fused-cl");
      // Noisy Student's layout by default: the whole --batch of human scenes, as many pseudo.
      assertThat(cell.getAsJsonObject("settings").get("studentBatch").getAsString())
          .isEqualTo("4 human + 4 pseudo");
      // Teachers learn under S1 by default, whatever the cell's policy.
      assertThat(cell.getAsJsonObject("settings").get("teacherAugment").getAsString())
          .startsWith("S1/segmentation: ");
    }
  }

  @Test
  void pseudoOnTop_isTheDefault_andNegatable() {
    StudyCommand plain = new StudyCommand();
    new CommandLine(plain).parseArgs();
    assertThat(plain.pseudoOnTop).isTrue();
    StudyCommand split = new StudyCommand();
    new CommandLine(split).parseArgs("--no-pseudo-on-top");
    assertThat(split.pseudoOnTop).isFalse();
  }

  @Test
  void auxiliary_padsEachGreyImageByTwoAndRepeatsItOverTheChannels() {
    SplittableRandom rng = new SplittableRandom(1);
    List<Image> images = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] pixels = new byte[28 * 28];
      for (int p = 0; p < pixels.length; p++) {
        pixels[p] = (byte) (1 + rng.nextInt(255));
      }
      images.add(Image.of(28, 28, 1, pixels));
    }
    LabeledImages train = LabeledImages.of("three", images, new int[] {4, 0, 9}, 10);
    List<Example<ClassTarget>> aux = StudyCommand.auxiliary(train);
    assertThat(aux).hasSize(3);
    for (int i = 0; i < 3; i++) {
      Image rgb = aux.get(i).image();
      assertThat(rgb.height()).isEqualTo(32);
      assertThat(rgb.width()).isEqualTo(32);
      assertThat(rgb.channels()).isEqualTo(3);
      assertThat(aux.get(i).target().classIndex()).isEqualTo(train.label(i));
      assertThat(aux.get(i).target().numClasses()).isEqualTo(10);
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          boolean inside = y >= 2 && y < 30 && x >= 2 && x < 30;
          int expected = inside ? images.get(i).get(y - 2, x - 2, 0) : 0;
          for (int c = 0; c < 3; c++) {
            assertThat(rgb.get(y, x, c)).as("image %d at %d,%d,%d", i, y, x, c).isEqualTo(expected);
          }
        }
      }
    }
  }
}
