package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.TrainingDivergedException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Prediction;
import io.selftrain.SelfTrainingListener;
import io.selftrain.Stage;
import io.selftrain.Student;
import io.selftrain.augment.Augmenters;
import io.selftrain.augment.FlipCropConfig;
import io.selftrain.core.label.PseudoLabelConfig;
import io.selftrain.models.ConvNetConfig;
import io.selftrain.models.ConvNets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassificationRunTest {
  @TempDir static Path tmp;

  @BeforeAll
  static void engines() {
    Engines.configure(1);
  }

  private static ClassificationRun.Builder tiny(Path workDir, long seed) {
    return tinyWithoutAugment(workDir, seed)
        .augment(Augmenters.flipCrop(FlipCropConfig.builder().build()));
  }

  private static ClassificationRun.Builder tinyWithoutAugment(Path workDir, long seed) {
    return SelfTraining.classification()
        .labeled(TinyData.labeled())
        .unlabeled(TinyData.unlabeled())
        .validation(TinyData.validation())
        .teacher(ConvNets.student(ConvNetConfig.builder().width(8).hidden(32).build()))
        .student(
            ConvNets.student(
                ConvNetConfig.builder()
                    .width(8)
                    .hidden(32)
                    .dropout(0.2f)
                    .stochasticDepth(0.2f)
                    .build()))
        .pseudoLabels(PseudoLabelConfig.soft())
        .teacherSchedule(TrainingSchedule.builder().epochs(4).batchSize(32).build())
        .studentSchedule(TrainingSchedule.builder().epochs(1).batchSize(32).build())
        .rounds(2)
        .control(true)
        .seed(seed)
        .workDir(workDir);
  }

  /** A tiny ConvNet student whose every loss is NaN. */
  private static Student<ClassTarget> poisoned(String name, boolean reproducibleNoise) {
    Student<ClassTarget> base =
        ConvNets.student(ConvNetConfig.builder().width(4).hidden(8).build());
    return new Student<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Shape inputShape() {
        return base.inputShape();
      }

      @Override
      public Block newBlock() {
        return base.newBlock();
      }

      @Override
      public NDArray encodeTargets(List<ClassTarget> targets, NDManager manager) {
        return base.encodeTargets(targets, manager);
      }

      @Override
      public NDArray lossPerExample(NDList predictions, NDArray targets) {
        return base.lossPerExample(predictions, targets).mul(Float.NaN);
      }

      @Override
      public List<Prediction<ClassTarget>> decode(NDList predictions) {
        return base.decode(predictions);
      }

      @Override
      public boolean reproducibleNoise() {
        return reproducibleNoise;
      }
    };
  }

  /** Stops the run when the first student starts training, as a crash would. */
  private static final class CrashBeforeStudent implements SelfTrainingListener {
    @Override
    public void onStage(int round, Stage stage, boolean resumed) {
      if (stage == Stage.STUDENT_TRAINING) {
        throw new IllegalStateException("simulated crash");
      }
    }
  }

  private static final class Recorder implements SelfTrainingListener {
    final List<String> stages = new ArrayList<>();
    int epochs;

    @Override
    public void onStage(int round, Stage stage, boolean resumed) {
      stages.add(round + ":" + stage + (resumed ? ":resumed" : ""));
    }

    @Override
    public void onEpoch(io.selftrain.EpochReport report) {
      epochs++;
    }
  }

  @Test
  void fit_sameSeed_identicalPseudoLabelsAndMetrics_andResumeAfterPseudoLabeling()
      throws Exception {
    Path whole = tmp.resolve("whole");
    Recorder recorder = new Recorder();
    SelfTrainingResult first;
    try (ClassificationRun run = tiny(whole, 5).addListener(recorder).build()) {
      first = run.fit();
    }
    assertThat(first.rounds()).hasSize(2);
    assertThat(first.rounds().get(1).teacherTop1()).isEqualTo(first.rounds().get(0).studentTop1());
    // The reported top-1 is the stored teacher's, counted here from its predictions independently
    // of the run.
    try (TrainedModel<ClassTarget> teacher =
        TrainedModel.load(
            ConvNets.student(ConvNetConfig.builder().width(8).hidden(32).build()),
            Engines.PYTORCH,
            ai.djl.engine.Engine.getEngine(Engines.PYTORCH).defaultDevice(),
            whole.resolve("round-1/teacher.params"))) {
      List<Example<ClassTarget>> validation = TinyData.validation();
      List<Prediction<ClassTarget>> predictions =
          Teachers.predictAll(
              teacher, validation.stream().map(Example::image).toList(), (done, total) -> {});
      int correct = 0;
      for (int i = 0; i < validation.size(); i++) {
        float[] p = predictions.get(i).target().probabilities();
        int best = 0;
        for (int k = 1; k < p.length; k++) {
          best = p[k] > p[best] ? k : best;
        }
        correct += best == validation.get(i).target().classIndex() ? 1 : 0;
      }
      assertThat(first.firstTeacherTop1())
          .isEqualTo((double) correct / validation.size())
          .isGreaterThan(0.3);
    }
    assertThat(first.rounds().get(0).pseudo().kept()).isEqualTo(400);
    assertThat(((PseudoLabelStats) first.rounds().get(0).pseudo()).perClass()).hasSize(10);
    assertThat(first.controlTop1()).isPresent();
    assertThat(recorder.stages)
        .containsExactly(
            "1:TEACHER_TRAINING",
            "1:PSEUDO_LABELING",
            "1:STUDENT_TRAINING",
            "2:PSEUDO_LABELING",
            "2:STUDENT_TRAINING",
            "0:SUPERVISED_CONTROL");
    assertThat(recorder.epochs).isEqualTo(4 + 1 + 1 + 1);
    assertThat(whole.resolve("result.json")).exists();
    assertThat(whole.resolve("round-2/student.params")).exists();

    Path crashed = tmp.resolve("crashed");
    assertThatThrownBy(() -> tiny(crashed, 5).addListener(new CrashBeforeStudent()).build().fit())
        .hasMessageContaining("simulated crash");
    assertThat(Files.readAllBytes(crashed.resolve("round-1/pseudo.bin")))
        .isEqualTo(Files.readAllBytes(whole.resolve("round-1/pseudo.bin")));
    assertThat(crashed.resolve("round-1/student.params")).doesNotExist();

    Recorder resumed = new Recorder();
    SelfTrainingResult again;
    try (ClassificationRun run = tiny(crashed, 5).addListener(resumed).build()) {
      again = run.fit();
    }
    assertThat(resumed.stages)
        .startsWith(
            "1:TEACHER_TRAINING:resumed", "1:PSEUDO_LABELING:resumed", "1:STUDENT_TRAINING");
    assertThat(again.rounds()).isEqualTo(first.rounds());
    assertThat(again.controlTop1()).isEqualTo(first.controlTop1());
    assertThat(Files.readAllBytes(crashed.resolve("round-2/pseudo.bin")))
        .isEqualTo(Files.readAllBytes(whole.resolve("round-2/pseudo.bin")));
  }

  @Test
  void fit_studentOnlySettingChanged_retrainsTheStudent_resumesTheControl() throws Exception {
    Path dir = tmp.resolve("ablation");
    SelfTrainingResult first;
    try (ClassificationRun run = tiny(dir, 7).rounds(1).build()) {
      first = run.fit();
    }
    byte[] control = Files.readAllBytes(dir.resolve("control/student.params"));
    Recorder mixed = new Recorder();
    SelfTrainingResult second;
    try (ClassificationRun run =
        tiny(dir, 7).rounds(1).pseudoMixup(1.0).addListener(mixed).build()) {
      second = run.fit();
    }
    assertThat(mixed.stages)
        .containsExactly(
            "1:TEACHER_TRAINING:resumed",
            "1:PSEUDO_LABELING:resumed",
            "1:STUDENT_TRAINING",
            "0:SUPERVISED_CONTROL:resumed");
    assertThat(second.controlTop1()).isEqualTo(first.controlTop1());
    assertThat(Files.readAllBytes(dir.resolve("control/student.params"))).isEqualTo(control);

    // Back to the first student: it trains again, to the same result, and the control still
    // resumes.
    Recorder back = new Recorder();
    SelfTrainingResult third;
    try (ClassificationRun run = tiny(dir, 7).rounds(1).addListener(back).build()) {
      third = run.fit();
    }
    assertThat(back.stages).contains("1:STUDENT_TRAINING", "0:SUPERVISED_CONTROL:resumed");
    assertThat(third.rounds()).isEqualTo(first.rounds());
    assertThat(third.control()).isEqualTo(first.control());
  }

  @Test
  void fit_controlAlongsideRoundOne_givesExactlyTheSequentialResult() throws Exception {
    // One intra-op thread: the control trains after the student, on the calling thread.
    SelfTrainingResult sequential;
    try (ClassificationRun run = tiny(tmp.resolve("sequential"), 12).rounds(1).build()) {
      sequential = run.fit();
    }
    // The same run stopped after pseudo-labeling, then resumed with two threads: the student and
    // the control
    // train side by side with one thread each, and must give exactly the one-thread results.
    Path parallel = tmp.resolve("parallel");
    assertThatThrownBy(
            () -> tiny(parallel, 12).rounds(1).addListener(new CrashBeforeStudent()).build().fit())
        .hasMessageContaining("simulated crash");
    List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());
    SelfTrainingListener threadRecorder = SideBySide.stageThreads(threads);
    IntraOpThreads.set(Engines.PYTORCH, 2);
    SelfTrainingResult resumed;
    try (ClassificationRun run = tiny(parallel, 12).rounds(1).addListener(threadRecorder).build()) {
      resumed = run.fit();
      assertThat(IntraOpThreads.get(Engines.PYTORCH)).hasValue(2);
    } finally {
      IntraOpThreads.set(Engines.PYTORCH, 1);
    }
    assertThat(threads)
        .contains(
            "STUDENT_TRAINING@" + Thread.currentThread().getName(),
            "SUPERVISED_CONTROL@selftrain-control");
    assertThat(resumed.rounds()).isEqualTo(sequential.rounds());
    assertThat(resumed.controlTop1()).isEqualTo(sequential.controlTop1());
    SideBySide.assertSameStudentAndControl(parallel, tmp.resolve("sequential"));

    // Another student recipe in the same folder: both recorded stages are stale and retrain side by
    // side,
    // once each, whichever finishes first.
    threads.clear();
    IntraOpThreads.set(Engines.PYTORCH, 2);
    try (ClassificationRun run =
        tiny(parallel, 12)
            .rounds(1)
            .studentSchedule(TrainingSchedule.builder().epochs(2).batchSize(32).build())
            .addListener(threadRecorder)
            .build()) {
      SelfTrainingResult other = run.fit();
      assertThat(other.controlTop1()).isPresent();
    } finally {
      IntraOpThreads.set(Engines.PYTORCH, 1);
    }
    assertThat(threads)
        .containsExactlyInAnyOrder(
            "TEACHER_TRAINING@" + Thread.currentThread().getName(),
            "PSEUDO_LABELING@" + Thread.currentThread().getName(),
            "STUDENT_TRAINING@" + Thread.currentThread().getName(),
            "SUPERVISED_CONTROL@selftrain-control");
  }

  @Test
  void fit_studentAndControlFailSideBySide_studentsErrorWithTheControlsSuppressed() {
    Student<ClassTarget> poisoned = poisoned("nan-parallel", true);
    IntraOpThreads.set(Engines.PYTORCH, 2);
    try {
      assertThatThrownBy(
              () -> tiny(tmp.resolve("nan-parallel"), 0).rounds(1).student(poisoned).build().fit())
          .isInstanceOf(TrainingDivergedException.class)
          .hasMessageContaining("STUDENT_TRAINING")
          .satisfies(
              e ->
                  assertThat(e.getSuppressed())
                      .singleElement()
                      .satisfies(c -> assertThat(c).hasMessageContaining("SUPERVISED_CONTROL")));
      assertThat(IntraOpThreads.get(Engines.PYTORCH)).hasValue(2);
    } finally {
      IntraOpThreads.set(Engines.PYTORCH, 1);
    }
  }

  @Test
  void fit_completedRun_resumesEveryStageWithoutTraining() throws Exception {
    Path dir = tmp.resolve("complete");
    ClassificationRun.Builder oneRound = tiny(dir, 9).rounds(1).control(false);
    SelfTrainingResult first;
    try (ClassificationRun run = oneRound.build()) {
      first = run.fit();
    }
    Recorder recorder = new Recorder();
    try (ClassificationRun run =
        tiny(dir, 9).rounds(1).control(false).addListener(recorder).build()) {
      assertThat(run.fit().rounds()).isEqualTo(first.rounds());
    }
    assertThat(recorder.epochs).isZero();
    assertThat(recorder.stages).allMatch(s -> s.endsWith(":resumed"));
  }

  @Test
  void build_workDirWithOtherData() throws Exception {
    Path dir = tmp.resolve("other");
    tiny(dir, 1).build().close();
    assertThatThrownBy(() -> tiny(dir, 1).unlabeled(TinyData.unlabeled().subList(0, 10)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("workDir")
        .hasMessageContaining("other data");
  }

  @Test
  void fit_otherStudentRecipe_reusesTeacherAndPseudoLabels() throws Exception {
    Path dir = tmp.resolve("ablation");
    try (ClassificationRun run = tiny(dir, 4).rounds(1).control(false).build()) {
      run.fit();
    }
    Recorder recorder = new Recorder();
    try (ClassificationRun run =
        tiny(dir, 4).rounds(1).control(false).pseudoRatio(1).addListener(recorder).build()) {
      run.fit();
    }
    assertThat(recorder.stages)
        .containsExactly(
            "1:TEACHER_TRAINING:resumed", "1:PSEUDO_LABELING:resumed", "1:STUDENT_TRAINING");
  }

  @Test
  void fit_studentScheduleInSteps_studentAndControlTrainThoseSteps_whateverThePseudoLabels()
      throws Exception {
    Path dir = tmp.resolve("steps");
    TrainingSchedule steps =
        TrainingSchedule.builder().epochs(2).batchSize(32).build().withSteps(7);
    List<Integer> keptCounts = new ArrayList<>();
    for (PseudoLabelConfig rule :
        List.of(PseudoLabelConfig.soft(), PseudoLabelConfig.hard().withMinConfidence(0.9))) {
      try (ClassificationRun run =
          tiny(dir, 6).rounds(1).pseudoLabels(rule).studentSchedule(steps).build()) {
        run.fit();
      }
      com.google.gson.JsonObject stages =
          com.google.gson.JsonParser.parseString(
                  java.nio.file.Files.readString(dir.resolve("manifest.json")))
              .getAsJsonObject()
              .getAsJsonObject("stages");
      int kept =
          stages
              .getAsJsonObject("round-1/pseudo")
              .getAsJsonObject("metrics")
              .get("kept")
              .getAsInt();
      keptCounts.add(kept);
      // Two epochs of ceil(7 / 2) = 4 steps, for the student and its control alike; epochs of
      // passes would give the student ceil(kept / 16) steps each.
      for (String stage : List.of("round-1/student", "control/student")) {
        assertThat(stages.getAsJsonObject(stage).getAsJsonObject("metrics").get("steps").getAsInt())
            .as("%s after %s pseudo labels", stage, kept)
            .isEqualTo(8);
      }
      assertThat(
              stages
                  .getAsJsonObject("round-1/teacher")
                  .getAsJsonObject("metrics")
                  .get("steps")
                  .getAsInt())
          .isEqualTo(4 * ((TinyData.labeled().size() + 31) / 32));
    }
    assertThat(keptCounts.get(1)).isLessThan(keptCounts.get(0));
  }

  @Test
  void fit_pseudoOnTop_fullHumanBatchPlusPseudo_controlTakesTheStudentsSteps() throws Exception {
    Path dir = tmp.resolve("on-top");
    SelfTrainingResult onTop;
    try (ClassificationRun run = tiny(dir, 8).rounds(1).pseudoOnTop(true).build()) {
      onTop = run.fit();
    }
    // Batch size 32 at ratio 3: 32 human + 96 pseudo a step; split, 8 human + 24 pseudo.
    assertThat(onTop.settings()).containsEntry("studentBatch", "32 human + 96 pseudo");
    int kept = stageMetric(dir, "round-1/pseudo", "kept");
    assertThat(stageMetric(dir, "round-1/student", "steps")).isEqualTo((kept + 95) / 96);
    assertThat(stageMetric(dir, "control/student", "steps")).isEqualTo((kept + 95) / 96);

    Recorder split = new Recorder();
    SelfTrainingResult plain;
    try (ClassificationRun run = tiny(dir, 8).rounds(1).addListener(split).build()) {
      plain = run.fit();
    }
    assertThat(plain.settings()).doesNotContainKey("studentBatch");
    // Teacher and pseudo labels are the layout's inputs, not its outputs: they resume.
    assertThat(split.stages)
        .containsExactly(
            "1:TEACHER_TRAINING:resumed",
            "1:PSEUDO_LABELING:resumed",
            "1:STUDENT_TRAINING",
            "0:SUPERVISED_CONTROL");
    assertThat(stageMetric(dir, "round-1/student", "steps")).isEqualTo((kept + 23) / 24);
    assertThat(stageMetric(dir, "control/student", "steps")).isEqualTo((kept + 23) / 24);
  }

  @Test
  void pseudoOnTop_batchSmallerThanTheRatio_isAllowed_splitIsNot() {
    TrainingSchedule one = TrainingSchedule.builder().epochs(1).batchSize(2).build();
    assertThatThrownBy(() -> tiny(tmp.resolve("small"), 1).studentSchedule(one).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("studentSchedule batchSize must hold at least pseudoRatio + 1 = 4 examples: 2");
    tiny(tmp.resolve("small-on-top"), 1).studentSchedule(one).pseudoOnTop(true).build().close();
  }

  private static int stageMetric(Path dir, String stage, String metric) throws IOException {
    return com.google.gson.JsonParser.parseString(Files.readString(dir.resolve("manifest.json")))
        .getAsJsonObject()
        .getAsJsonObject("stages")
        .getAsJsonObject(stage)
        .getAsJsonObject("metrics")
        .get(metric)
        .getAsInt();
  }

  @Test
  void fit_corruptStageFile_isRecomputed() throws Exception {
    Path dir = tmp.resolve("corrupt");
    try (ClassificationRun run = tiny(dir, 3).rounds(1).control(false).build()) {
      run.fit();
    }
    Files.write(dir.resolve("round-1/pseudo.bin"), new byte[] {1, 2, 3});
    Recorder recorder = new Recorder();
    try (ClassificationRun run =
        tiny(dir, 3).rounds(1).control(false).addListener(recorder).build()) {
      run.fit();
    }
    assertThat(recorder.stages)
        .containsExactly("1:TEACHER_TRAINING:resumed", "1:PSEUDO_LABELING", "1:STUDENT_TRAINING");
  }

  @Test
  void fit_paperPolicyS4_trainsTheStudentWithIt() throws Exception {
    Path dir = tmp.resolve("s4");
    SelfTrainingResult result;
    try (ClassificationRun run =
        tinyWithoutAugment(dir, 2)
            .rounds(1)
            .control(false)
            .augment(io.selftrain.augment.AugmentPolicy.S4)
            .build()) {
      result = run.fit();
    }
    assertThat(result.settings().get("augment")).contains("rand");
    // The recorded top-1 is the saved student's accuracy, computed again here from its parameter
    // file.
    try (TrainedModel<ClassTarget> student =
        TrainedModel.load(
            ConvNets.student(
                ConvNetConfig.builder()
                    .width(8)
                    .hidden(32)
                    .dropout(0.2f)
                    .stochasticDepth(0.2f)
                    .build()),
            Engines.PYTORCH,
            ai.djl.Device.cpu(),
            dir.resolve("round-1/student.params"))) {
      assertThat(result.finalStudentTop1())
          .isEqualTo(Teachers.top1(student, TinyData.validation()));
    }
  }

  @Test
  void augment_augmenterAndPolicy_conflictWhenSet() {
    assertThatThrownBy(
            () -> tiny(tmp.resolve("conflict"), 1).augment(io.selftrain.augment.AugmentPolicy.S1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "set augment as an Augmenter or as a policy, not both: flip+crop(pad=2) and S1");
  }

  @Test
  void teacherAugment_policy_trainsTheTeacherWithIt_andConflictsWithAnAugmenter() throws Exception {
    ClassificationRun.Builder builder =
        tiny(tmp.resolve("teacher-policy"), 1)
            .teacherAugment(io.selftrain.augment.AugmentPolicy.S1)
            .rounds(1)
            .control(false);
    try (ClassificationRun run = builder.build()) {
      java.util.Map<String, String> settings = run.fit().settings();
      assertThat(settings.get("teacherAugment")).startsWith("S1/classification: ");
      assertThat(settings.get("augment")).isEqualTo("flip+crop(pad=2)");
    }
    assertThatThrownBy(() -> builder.teacherAugment(Augmenters.none()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("set teacherAugment as an Augmenter or as a policy, not both: none and S1");
  }

  @Test
  void teacher_afterFirstTeacher_conflictsWhenSet() {
    io.selftrain.Teacher<ClassTarget> given = images -> List.of();
    assertThatThrownBy(
            () ->
                SelfTraining.classification()
                    .firstTeacher(given)
                    .teacher(ConvNets.student(ConvNetConfig.builder().build())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "set either teacher (an architecture to train) or firstTeacher (a trained teacher), not both:");
  }

  @Test
  void build_snapshotsTheSettings_laterSettersChangeNoRun() throws Exception {
    ClassificationRun.Builder builder = tiny(tmp.resolve("snapshot"), 6).rounds(1).control(false);
    SelfTrainingResult result;
    try (ClassificationRun run = builder.build()) {
      builder.rounds(2).seed(99).workDir(tmp.resolve("elsewhere"));
      result = run.fit();
    }
    assertThat(result.rounds()).hasSize(1);
    assertThat(result.seed()).isEqualTo(6);
    assertThat(tmp.resolve("snapshot/result.json")).exists();
    assertThat(tmp.resolve("elsewhere")).doesNotExist();
    try (ClassificationRun again = builder.build()) {
      assertThat(again.workDir()).isEqualTo(tmp.resolve("elsewhere"));
    }
  }

  @Test
  void build_missingLabeled() {
    assertThatThrownBy(() -> SelfTraining.classification().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("labeled");
  }

  @Test
  void rounds_zero() {
    assertThatThrownBy(() -> SelfTraining.classification().rounds(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rounds")
        .hasMessageContaining("0");
  }

  @Test
  void pseudoRatio_zero() {
    assertThatThrownBy(() -> SelfTraining.classification().pseudoRatio(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pseudoRatio")
        .hasMessageContaining("0");
  }

  @Test
  void build_tensorflowCannotTrain() {
    assertThatThrownBy(() -> tiny(tmp.resolve("tf"), 0).engine("TensorFlow").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TensorFlow")
        .hasMessageContaining("cannot train")
        .hasMessageContaining("pytorch-engine");
  }

  @Test
  void build_imageSizeMismatch() {
    List<Image> pool = new ArrayList<>(TinyData.unlabeled());
    pool.set(3, Image.filled(32, 32, 1, 0));
    assertThatThrownBy(() -> tiny(tmp.resolve("size"), 0).unlabeled(pool).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unlabeled")
        .hasMessageContaining("image 3 is 32x32x1");
  }

  @Test
  void fit_nanLoss_stopsWithStageAndStep() {
    Student<ClassTarget> poisoned = poisoned("nan", false);
    assertThatThrownBy(
            () -> tiny(tmp.resolve("nan"), 0).teacher(poisoned).student(poisoned).build().fit())
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageContaining("round 1")
        .hasMessageContaining("TEACHER_TRAINING")
        .hasMessageContaining("step 1");
  }

  @Test
  void pseudoModelNoise_changesTheStudentOnly_andNeedsTrainingNoise() throws Exception {
    Path plain = tmp.resolve("model-noise-1");
    Path strong = tmp.resolve("model-noise-3");
    try (ClassificationRun run = tiny(plain, 21).rounds(1).build()) {
      run.fit();
    }
    try (ClassificationRun run = tiny(strong, 21).rounds(1).pseudoModelNoise(3).build()) {
      run.fit();
    }
    assertThat(Files.readAllBytes(strong.resolve("round-1/pseudo.bin")))
        .isEqualTo(Files.readAllBytes(plain.resolve("round-1/pseudo.bin")));
    assertThat(Files.readAllBytes(strong.resolve("control/student.params")))
        .isEqualTo(Files.readAllBytes(plain.resolve("control/student.params")));
    assertThat(Files.readAllBytes(strong.resolve("round-1/student.params")))
        .isNotEqualTo(Files.readAllBytes(plain.resolve("round-1/student.params")));

    assertThatThrownBy(() -> SelfTraining.classification().pseudoModelNoise(0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pseudoModelNoise must be a finite number of at least 1: 0.5");
    assertThatThrownBy(
            () ->
                tiny(tmp.resolve("model-noise-custom"), 21)
                    .student(poisoned("custom-noise", false))
                    .pseudoModelNoise(2)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pseudoModelNoise needs a student")
        .hasMessageContaining("custom-noise");
  }
}
