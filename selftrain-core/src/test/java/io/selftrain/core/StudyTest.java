package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.Origin;
import io.selftrain.SelfTrainingListener;
import io.selftrain.Stage;
import io.selftrain.augment.AugmentPolicy;
import io.selftrain.core.data.Scene;
import io.selftrain.models.EfficientNet;
import io.selftrain.models.segmentation.Segmentation;
import io.selftrain.models.segmentation.SegmentationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny segmentation study: every cell from its run, shared teachers, resume, shards and merge.
 */
class StudyTest {
  private static final SegmentationConfig MODEL = Segmentation.tiny64().withNumClasses(11);
  private static List<Scene> labeled;
  private static List<Scene> pool;
  private static List<Scene> validation;

  @TempDir Path tmp;

  @BeforeAll
  static void scenes() {
    Engines.configure(1);
    List<Scene> all = TinyData.scenes(8, 20);
    labeled = all.subList(0, 8);
    pool = all.subList(8, 14);
    validation = all.subList(14, 20);
  }

  /** Dark (class 0) against bright (class 1) RGB 32 x 32 images. */
  private static List<Example<ClassTarget>> auxiliary() {
    List<Example<ClassTarget>> out = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      byte[] pixels = new byte[32 * 32 * 3];
      for (int p = 0; p < pixels.length; p++) {
        pixels[p] = (byte) ((i % 2 == 0 ? 20 : 220) + (p * 7 + i * 13) % 30);
      }
      out.add(
          new Example<>(Image.of(32, 32, 3, pixels), ClassTarget.index(i % 2, 2), Origin.HUMAN));
    }
    return out;
  }

  private static SegmentationRun.Builder base() {
    TrainingSchedule tiny = TrainingSchedule.builder().epochs(1).batchSize(4).build();
    TrainingSchedule twoEpochs = tiny.withEpochs(2);
    return SelfTraining.segmentation()
        .labeled(labeled.stream().map(Scene::segmentation).toList())
        .unlabeled(pool.stream().map(Scene::image).toList())
        .validation(validation.stream().map(Scene::segmentation).toList())
        .classes(11)
        .teacher(Segmentation.student(MODEL))
        .teacherSchedule(tiny)
        .studentSchedule(twoEpochs)
        .pseudoRatio(1);
  }

  private static Study.Builder<MaskTarget> study(Path dir) {
    return SelfTraining.study(StudyTest::base)
        .inits(StudyInit.random(), StudyInit.pretrained())
        .policies(AugmentPolicy.S1)
        .labelFractions(0.5, 1.0)
        .methods(StudyMethod.values())
        .auxiliary(
            JointTraining.builder().addAllAuxiliary(auxiliary()).numClasses(2).batchSize(4).build())
        .pretraining(
            EfficientNet.student(EfficientNet.tiny64().withNumClasses(2).withResolution(32)),
            TrainingSchedule.builder().epochs(1).batchSize(4).build())
        .dir(dir);
  }

  /** Adds each stage started to {@code stages}, with ":resumed" when it was not computed. */
  private static SelfTrainingListener stageRecorder(List<String> stages) {
    return new SelfTrainingListener() {
      @Override
      public void onStage(int round, Stage stage, boolean resumed) {
        stages.add(stage + (resumed ? ":resumed" : ""));
      }
    };
  }

  private static JsonObject json(Path file) throws Exception {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }

  /** The study.json without the wall times, which each process measures. */
  private static JsonObject withoutWallTimes(JsonObject study) {
    JsonObject copy = study.deepCopy();
    for (JsonElement cell : copy.getAsJsonArray("cells")) {
      cell.getAsJsonObject().remove("wallSeconds");
    }
    return copy;
  }

  @Test
  void run_everyCellIsItsRunsModel_jointRunsReuseTheTeacher_resumes_andShardsMergeToTheSame()
      throws Exception {
    Path one = tmp.resolve("one");
    List<String> progress = new ArrayList<>();
    StudyResult result = study(one).progress(progress::add).build().run();

    assertThat(result.cells()).hasSize(16);
    assertThat(progress).filteredOn(l -> l.startsWith("study: group")).hasSize(4);
    JsonObject written = json(one.resolve(Study.FILE));
    assertThat(written.get("metric").getAsString()).isEqualTo("miou");
    JsonArray cells = written.getAsJsonArray("cells");
    assertThat(cells).hasSize(16);
    for (StudyResult.Cell c : result.cells()) {
      // Each cell's metric is its run's: the control for the methods without pseudo labels, the
      // final student for the others.
      JsonObject run = json(one.resolve(c.run()).resolve("result.json"));
      JsonObject model =
          c.cell().method().selfTraining()
              ? run.getAsJsonArray("rounds").get(0).getAsJsonObject().getAsJsonObject("student")
              : run.getAsJsonObject("control");
      assertThat(c.metrics().value()).isEqualTo(model.get("miou").getAsDouble());
      assertThat(c.run())
          .isEqualTo(
              String.format(
                  Locale.ROOT,
                  "runs/%s-S1-f%03d-%s-s0",
                  c.cell().init(),
                  Math.round(100 * c.cell().labelFraction()),
                  c.cell().method().joint() ? "joint" : "plain"));
      assertThat(c.settings().get("labeled")).isEqualTo(c.cell().labelFraction() == 1 ? "8" : "4");
      // Half the labels, twice the teacher's epochs: the same steps.
      assertThat(c.settings().get("teacherSchedule"))
          .startsWith(c.cell().labelFraction() == 1 ? "epochs=1 " : "epochs=2 ");
      assertThat(c.settings().get("teacherInit"))
          .startsWith(c.cell().init().equals("random") ? "random" : "backbone(");
      assertThat(c.settings().get("jointTraining"))
          .startsWith(c.cell().method().joint() ? "joint(aux=12 32x32x3" : "none");
    }
    // With a pre-trained init in the grid, supervised training (the plain runs' control) is scored
    // after each epoch: two points, the last the model's final score; the speed-up is the first
    // point reaching random-init supervised training's final score.
    for (StudyResult.Cell c : result.cells()) {
      if (c.cell().method() != StudyMethod.SUPERVISED) {
        assertThat(c.curve()).isEmpty();
        continue;
      }
      assertThat(c.curve()).hasSize(2);
      assertThat(c.curve().get(1).value()).isEqualTo(c.metrics().value());
      assertThat(c.curve().get(1).steps()).isEqualTo(2 * c.curve().get(0).steps());
    }
    for (double fraction : List.of(0.5, 1.0)) {
      StudyResult.Cell random = supervised(result, "random", fraction);
      StudyResult.Cell pre = supervised(result, "pretrained", fraction);
      double target = random.metrics().value();
      double randomSteps = random.curve().get(1).steps();
      java.util.OptionalDouble expected =
          pre.curve().get(0).value() >= target
              ? java.util.OptionalDouble.of(pre.curve().get(0).steps() / randomSteps)
              : pre.curve().get(1).value() >= target
                  ? java.util.OptionalDouble.of(pre.curve().get(1).steps() / randomSteps)
                  : java.util.OptionalDouble.empty();
      assertThat(result.stepsToMatchRandom("pretrained", AugmentPolicy.S1, fraction))
          .isEqualTo(expected);
    }
    assertThat(result.table()).contains("Steps supervised training needs to reach");

    // The joint run took the plain run's teacher and pseudo labels: the very records, not new ones.
    for (String group : List.of("random-S1-f050", "pretrained-S1-f100")) {
      JsonObject plain = json(one.resolve("runs/" + group + "-plain-s0/manifest.json"));
      JsonObject joint = json(one.resolve("runs/" + group + "-joint-s0/manifest.json"));
      for (String stage : List.of("round-1/teacher", "round-1/pseudo")) {
        assertThat(joint.getAsJsonObject("stages").get(stage))
            .isEqualTo(plain.getAsJsonObject("stages").get(stage));
      }
      assertThat(joint.getAsJsonObject("stages").get("round-1/student"))
          .isNotEqualTo(plain.getAsJsonObject("stages").get("round-1/student"));
    }
    // The table: each cell the mean in percent and its difference to random supervised training.
    double base =
        result.mean("random", AugmentPolicy.S1, 0.5, StudyMethod.SUPERVISED).getAsDouble();
    double joint =
        result.mean("pretrained", AugmentPolicy.S1, 0.5, StudyMethod.JOINT_TRAINING).getAsDouble();
    assertThat(result.table())
        .contains(String.format(Locale.ROOT, "| S1 | 50%% | %.2f |", 100 * base))
        .contains(String.format(Locale.ROOT, "%.2f (%+.2f)", 100 * joint, 100 * (joint - base)));
    assertThat(Files.readString(one.resolve(Study.REPORT)))
        .contains("<th>pretrained joint-and-self-training</th>")
        .contains("href=\"runs/random-S1-f050-plain-s0/report.html\"");
    HeadlessChromium.assertLoads(one.resolve(Study.REPORT), tmp, 2);

    // Fitted again: every stage of every run resumes, and study.json is the same file.
    byte[] before = Files.readAllBytes(one.resolve(Study.FILE));
    List<String> stages = new ArrayList<>();
    study(one).addListener(stageRecorder(stages)).build().run();
    assertThat(stages).isNotEmpty().allMatch(s -> s.endsWith(":resumed"));
    assertThat(Files.readAllBytes(one.resolve(Study.FILE))).isEqualTo(before);

    // Two processes, one shard each, merged: the one-process study.json but for the wall times.
    Path sharded = tmp.resolve("sharded");
    StudyResult first = study(sharded).shard(0, 2).build().run();
    assertThat(sharded.resolve(Study.FILE)).doesNotExist();
    assertThatThrownBy(() -> Study.merge(sharded))
        .hasMessageContaining("shard 1 of 2 is missing")
        .hasMessageContaining("shard-1-of-2.json");
    StudyResult second = study(sharded).shard(1, 2).build().run();
    assertThat(first.cells().size() + second.cells().size()).isEqualTo(16);
    StudyResult merged = Study.merge(sharded);
    assertThat(withoutWallTimes(json(sharded.resolve(Study.FILE))))
        .isEqualTo(withoutWallTimes(written));
    assertThat(merged.table()).isEqualTo(result.table());

    Files.writeString(sharded.resolve("shards/shard-1-of-2.json"), "{\"grid\": ");
    assertThatThrownBy(() -> Study.merge(sharded))
        .hasMessageContaining("damaged shard result")
        .hasMessageContaining("shard-1-of-2.json");
  }

  @Test
  void run_teacherAugmentFixed_groupsThatDifferOnlyInPolicyShareOneTeacher() throws Exception {
    Path dir = tmp.resolve("fixed");
    List<String> stages = new ArrayList<>();
    List<String> progress = new ArrayList<>();
    StudyResult result =
        SelfTraining.study(() -> base().teacherAugment(AugmentPolicy.S1))
            .policies(AugmentPolicy.S1, AugmentPolicy.S4)
            .dir(dir)
            .progress(progress::add)
            .addListener(stageRecorder(stages))
            .build()
            .run();

    assertThat(result.cells()).hasSize(4);
    assertThat(progress)
        .contains(
            "study: random-S4-f100-plain-s0 takes the first teacher and pseudo labels of"
                + " random-S1-f100-plain-s0");
    // One teacher trained and one pool labeled for the two groups: S4's run took S1's.
    assertThat(stages)
        .containsOnlyOnce(Stage.TEACHER_TRAINING.toString())
        .containsOnlyOnce(Stage.TEACHER_TRAINING + ":resumed");
    JsonObject s1 = json(dir.resolve("runs/random-S1-f100-plain-s0/manifest.json"));
    JsonObject s4 = json(dir.resolve("runs/random-S4-f100-plain-s0/manifest.json"));
    for (String stage : List.of("round-1/teacher", "round-1/pseudo")) {
      assertThat(s4.getAsJsonObject("stages").get(stage))
          .isNotNull()
          .isEqualTo(s1.getAsJsonObject("stages").get(stage));
    }
    assertThat(s4.getAsJsonObject("stages").get("round-1/student"))
        .isNotEqualTo(s1.getAsJsonObject("stages").get("round-1/student"));
    // Every cell records the teacher's policy and its own.
    for (StudyResult.Cell c : result.cells()) {
      assertThat(c.settings().get("teacherAugment")).startsWith("S1/segmentation");
      assertThat(c.settings().get("augment")).startsWith(c.cell().policy() + "/segmentation");
    }
  }

  private static StudyResult.Cell supervised(StudyResult result, String init, double fraction) {
    return result.cells().stream()
        .filter(
            c ->
                c.cell().init().equals(init)
                    && c.cell().labelFraction() == fraction
                    && c.cell().method() == StudyMethod.SUPERVISED)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void build_namesWhatTheGridNeeds() {
    assertThatThrownBy(() -> SelfTraining.study(StudyTest::base).build())
        .hasMessage("study dir is required");
    assertThatThrownBy(
            () ->
                SelfTraining.study(StudyTest::base)
                    .methods(StudyMethod.JOINT_TRAINING)
                    .dir(tmp)
                    .build())
        .hasMessage(
            "auxiliary (the auxiliary classification dataset) is required for joint-training methods");
    assertThatThrownBy(
            () ->
                SelfTraining.study(StudyTest::base)
                    .inits(StudyInit.pretrained())
                    .auxiliary(
                        JointTraining.builder().addAllAuxiliary(auxiliary()).numClasses(2).build())
                    .dir(tmp)
                    .build())
        .hasMessage(
            "pretraining (classifier and schedule) is required for the pretrained initialisation");
    assertThatThrownBy(() -> SelfTraining.study(StudyTest::base).labelFractions(0.5, 1.5))
        .hasMessage("labelFractions must be in (0, 1]: 1.5");
    assertThatThrownBy(
            () -> SelfTraining.study(StudyTest::base).policies(AugmentPolicy.S1, AugmentPolicy.S1))
        .hasMessage("policies must not repeat a value: [S1, S1]");
    assertThatThrownBy(() -> SelfTraining.study(StudyTest::base).shard(2, 2))
        .hasMessage("shard index must be in [0, 2): 2");
  }

  @Test
  void subset_isNestedAcrossFractions_andKeepsTheSetsOrder() {
    List<Example<ClassTarget>> all = TinyData.labeled();
    List<Example<ClassTarget>> half = Study.subset(all, 0.5, 3);
    List<Example<ClassTarget>> fifth = Study.subset(all, 0.2, 3);
    assertThat(half).hasSize(Math.round(all.size() * 0.5f));
    assertThat(half).containsAll(fifth);
    assertThat(all).containsSubsequence(half);
    assertThat(Study.subset(all, 0.5, 4)).isNotEqualTo(half);
    assertThat(Study.subset(all, 1.0, 3)).isSameAs(all);
  }
}
