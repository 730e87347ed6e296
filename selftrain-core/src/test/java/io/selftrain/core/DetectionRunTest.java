package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selftrain.BoxesTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Prediction;
import io.selftrain.SelfTrainingListener;
import io.selftrain.Stage;
import io.selftrain.Teacher;
import io.selftrain.augment.AugmentPolicy;
import io.selftrain.core.data.Scene;
import io.selftrain.core.eval.CocoAnnotation;
import io.selftrain.core.eval.CocoDetection;
import io.selftrain.core.eval.CocoEvaluator;
import io.selftrain.core.eval.CocoGroundTruth;
import io.selftrain.core.label.BoxPseudoLabelConfig;
import io.selftrain.models.detection.RetinaNet;
import io.selftrain.models.detection.RetinaNetConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A detection run end to end on a few real scenes (Fashion-MNIST garments on 64 x 64 canvases). */
class DetectionRunTest {
  private static final RetinaNetConfig DETECTOR = RetinaNet.tiny64().withNumClasses(10);
  private static List<Scene> labeled;
  private static List<Scene> pool;
  private static List<Scene> validation;

  @TempDir Path tmp;

  @BeforeAll
  static void scenes() {
    Engines.configure(1);
    List<Scene> all = TinyData.scenes(3, 30);
    labeled = all.subList(0, 12);
    pool = all.subList(12, 24);
    validation = all.subList(24, 30);
  }

  /** Knows every scene's true boxes: each box with score 1. */
  private static final class Oracle implements Teacher<BoxesTarget> {
    private final Map<Image, BoxesTarget> truth = new IdentityHashMap<>();

    Oracle() {
      for (List<Scene> set : List.of(labeled, pool, validation)) {
        set.forEach(s -> truth.put(s.image(), s.boxes()));
      }
    }

    @Override
    public List<Prediction<BoxesTarget>> predict(List<Image> images) {
      List<Prediction<BoxesTarget>> out = new ArrayList<>();
      for (Image image : images) {
        BoxesTarget t = truth.getOrDefault(image, BoxesTarget.of(new float[0], new int[0]));
        out.add(new Prediction<>(t, 1f));
      }
      return out;
    }

    @Override
    public String describe() {
      return "oracle";
    }
  }

  private static final class Stages implements SelfTrainingListener {
    final List<String> seen = new ArrayList<>();
    final boolean crashBeforeStudent;

    Stages(boolean crashBeforeStudent) {
      this.crashBeforeStudent = crashBeforeStudent;
    }

    @Override
    public void onStage(int round, Stage stage, boolean resumed) {
      seen.add(round + ":" + stage + (resumed ? ":resumed" : ""));
      if (crashBeforeStudent && stage == Stage.STUDENT_TRAINING) {
        throw new IllegalStateException("simulated crash");
      }
    }
  }

  private static DetectionRun.Builder oracleRun(Path dir, Teacher<BoxesTarget> oracle) {
    return SelfTraining.detection()
        .labeled(labeled.stream().map(Scene::detection).toList())
        .unlabeled(pool.stream().map(Scene::image).toList())
        .unlabeledTruth(pool.stream().map(Scene::boxes).toList())
        .validation(validation.stream().map(Scene::detection).toList())
        .firstTeacher(oracle)
        .student(RetinaNet.student(DETECTOR))
        .augment(AugmentPolicy.S1)
        .pseudoRatio(1)
        .studentSchedule(TrainingSchedule.builder().epochs(1).batchSize(8).build())
        .rounds(2)
        .control(true)
        .seed(4)
        .workDir(dir);
  }

  @Test
  void fit_twoRounds_pseudoBoxesFromTheTeacher_crashedRunResumesToTheSameResult() throws Exception {
    Oracle oracle = new Oracle();
    Path whole = tmp.resolve("whole");
    SelfTrainingResult first;
    try (DetectionRun run = oracleRun(whole, oracle).build()) {
      first = run.fit();
    }
    assertThat(first.task()).isEqualTo("detection");
    // A teacher that returns the truth has AP 1 under COCO's rules; its pseudo boxes are the pool's
    // boxes.
    assertThat(first.firstTeacher().get("ap")).isEqualTo(1.0);
    assertThat(first.firstTeacher().get("ap50")).isEqualTo(1.0);
    PseudoBoxStats pseudo = (PseudoBoxStats) first.rounds().get(0).pseudo();
    int poolBoxes = pool.stream().mapToInt(s -> s.boxes().size()).sum();
    assertThat(pseudo.boxes()).isEqualTo(poolBoxes);
    assertThat(pseudo.imagesWithBoxes())
        .isEqualTo((int) pool.stream().filter(s -> s.boxes().size() > 0).count());
    assertThat(pseudo.precision50()).isEqualTo(1.0);
    assertThat(pseudo.recall50()).isEqualTo(1.0);
    assertThat(pseudo.meanScore()).isEqualTo(1.0);
    assertThat(first.rounds()).hasSize(2);
    assertThat(first.rounds().get(1).teacher()).isEqualTo(first.rounds().get(0).student());
    assertThat(first.control()).isPresent();

    // The recorded AP is what COCOeval gives for the detections file the stage wrote.
    Path detections = whole.resolve("round-1/student-detections.json");
    assertThat(detections).exists();
    CocoGroundTruth gt = groundTruth(validation);
    assertThat(CocoEvaluator.evaluate(gt, CocoDetection.read(detections)).ap())
        .isEqualTo(first.rounds().get(0).student().get("ap"));

    Path crashed = tmp.resolve("crashed");
    assertThatThrownBy(() -> oracleRun(crashed, oracle).addListener(new Stages(true)).build().fit())
        .hasMessageContaining("simulated crash");
    assertThat(Files.readAllBytes(crashed.resolve("round-1/pseudo.bin")))
        .isEqualTo(Files.readAllBytes(whole.resolve("round-1/pseudo.bin")));
    Stages resumed = new Stages(false);
    SelfTrainingResult again;
    try (DetectionRun run = oracleRun(crashed, oracle).addListener(resumed).build()) {
      again = run.fit();
    }
    // A given first teacher has no training stage.
    assertThat(resumed.seen).startsWith("1:PSEUDO_LABELING:resumed", "1:STUDENT_TRAINING");
    assertThat(again.rounds()).isEqualTo(first.rounds());
    assertThat(again.control()).isEqualTo(first.control());
    assertThat(Files.readAllBytes(crashed.resolve("round-2/pseudo.bin")))
        .isEqualTo(Files.readAllBytes(whole.resolve("round-2/pseudo.bin")));
    assertThat(Files.readAllBytes(crashed.resolve("round-2/student-detections.json")))
        .isEqualTo(Files.readAllBytes(whole.resolve("round-2/student-detections.json")));

    // Finished: a third fit resumes every stage.
    Stages finished = new Stages(false);
    try (DetectionRun run = oracleRun(crashed, oracle).addListener(finished).build()) {
      assertThat(run.fit().rounds()).isEqualTo(first.rounds());
    }
    assertThat(finished.seen).allMatch(s -> s.endsWith(":resumed"));
  }

  @Test
  void fit_controlBesideTheStudent_givesExactlyTheSequentialResult() throws Exception {
    Oracle oracle = new Oracle();
    SelfTrainingResult sequential;
    try (DetectionRun run = oracleRun(tmp.resolve("sequential"), oracle).rounds(1).build()) {
      sequential = run.fit();
    }
    Path parallel = tmp.resolve("parallel");
    assertThatThrownBy(
            () -> oracleRun(parallel, oracle).rounds(1).addListener(new Stages(true)).build().fit())
        .hasMessageContaining("simulated crash");
    List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());
    SelfTrainingListener recorder = SideBySide.stageThreads(threads);
    IntraOpThreads.set(Engines.PYTORCH, 2);
    SelfTrainingResult resumed;
    try (DetectionRun run = oracleRun(parallel, oracle).rounds(1).addListener(recorder).build()) {
      resumed = run.fit();
    } finally {
      IntraOpThreads.set(Engines.PYTORCH, 1);
    }
    assertThat(threads).contains("SUPERVISED_CONTROL@selftrain-control");
    assertThat(resumed.rounds()).isEqualTo(sequential.rounds());
    assertThat(resumed.control()).isEqualTo(sequential.control());
    SideBySide.assertSameStudentAndControl(parallel, tmp.resolve("sequential"));
  }

  @Test
  void fit_resumedOnAnotherValidationSet_scoresEveryModelAgainWithoutRetraining() throws Exception {
    Oracle oracle = new Oracle();
    Path dir = tmp.resolve("revalidated");
    SelfTrainingResult first;
    try (DetectionRun run = oracleRun(dir, oracle).rounds(1).build()) {
      first = run.fit();
    }
    byte[] student = Files.readAllBytes(dir.resolve("round-1/student.params"));
    List<Example<BoxesTarget>> other =
        labeled.subList(0, 5).stream().map(Scene::detection).toList();
    Stages stages = new Stages(false);
    SelfTrainingResult again;
    try (DetectionRun run =
        oracleRun(dir, oracle).rounds(1).validation(other).addListener(stages).build()) {
      again = run.fit();
    }
    assertThat(stages.seen).allMatch(s -> s.endsWith(":resumed"));
    assertThat(Files.readAllBytes(dir.resolve("round-1/student.params"))).isEqualTo(student);
    // Scored on the five labeled scenes now: the recorded AP is what COCOeval gives for the new
    // detections file.
    CocoGroundTruth gt = groundTruth(labeled.subList(0, 5));
    assertThat(again.rounds().get(0).student().get("ap"))
        .isEqualTo(
            CocoEvaluator.evaluate(
                    gt, CocoDetection.read(dir.resolve("round-1/student-detections.json")))
                .ap());
    // The given teacher's detections are now the five scenes' true boxes.
    assertThat(CocoDetection.read(dir.resolve("round-1/teacher-detections.json")))
        .hasSize(labeled.subList(0, 5).stream().mapToInt(sc -> sc.boxes().size()).sum());
    assertThat(again.control().orElseThrow().get("ap"))
        .isEqualTo(
            CocoEvaluator.evaluate(
                    gt, CocoDetection.read(dir.resolve("control/student-detections.json")))
                .ap());
    // And back: the first set's numbers again, still without training.
    try (DetectionRun run = oracleRun(dir, oracle).rounds(1).build()) {
      assertThat(run.fit().rounds()).isEqualTo(first.rounds());
    }
  }

  private static CocoGroundTruth groundTruth(List<Scene> scenes) {
    List<CocoAnnotation> truth = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < scenes.size(); i++) {
      ids.add((long) i + 1);
      BoxesTarget t = scenes.get(i).boxes();
      float[] b = t.boxes();
      for (int j = 0; j < t.size(); j++) {
        truth.add(
            CocoAnnotation.box(
                truth.size() + 1,
                i + 1,
                t.classes()[j] + 1,
                b[4 * j],
                b[4 * j + 1],
                b[4 * j + 2] - b[4 * j],
                b[4 * j + 3] - b[4 * j + 1]));
      }
    }
    return CocoGroundTruth.of(ids, List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), truth);
  }

  @Test
  void fit_trainedTeacher_keepEmptyImagesAsBackground() throws Exception {
    SelfTrainingResult result;
    try (DetectionRun run =
        SelfTraining.detection()
            .labeled(labeled.stream().map(Scene::detection).toList())
            .unlabeled(pool.stream().map(Scene::image).toList())
            .validation(validation.stream().map(Scene::detection).toList())
            .teacher(RetinaNet.student(DETECTOR))
            .pseudoBoxes(BoxPseudoLabelConfig.paper().withKeepEmpty(true))
            .teacherSchedule(TrainingSchedule.builder().epochs(1).batchSize(12).build())
            .studentSchedule(TrainingSchedule.builder().epochs(1).batchSize(12).build())
            .workDir(tmp.resolve("trained"))
            .build()) {
      result = run.fit();
    }
    // An untrained detector finds nothing above 0.5; with keepEmpty every pool image trains as
    // background.
    PseudoBoxStats pseudo = (PseudoBoxStats) result.rounds().get(0).pseudo();
    assertThat(pseudo.kept()).isEqualTo(pool.size());
    assertThat(pseudo.boxes()).isZero();
    assertThat(pseudo.recall50()).isEqualTo(-1);
    assertThat(tmp.resolve("trained/round-1/teacher-detections.json")).exists();
    assertThat(result.settings())
        .containsEntry("pseudoLabels", "boxes(score>=0.500, empty=background)")
        .containsEntry("task", "detection");
  }

  @Test
  void build_boxOfAClassBeyondCategoryIds_namesTheExample() {
    List<Example<BoxesTarget>> examples = labeled.stream().map(Scene::detection).toList();
    assertThatThrownBy(
            () ->
                SelfTraining.detection()
                    .labeled(examples)
                    .unlabeled(List.of())
                    .validation(examples)
                    .teacher(RetinaNet.student(DETECTOR))
                    .categoryIds(1)
                    .workDir(tmp.resolve("bad"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching(
            "labeled\\[\\d+\\] has a box of class \\d+, but the run has 1 classes \\(categoryIds\\)");
  }

  @Test
  void build_unlabeledTruthOfAnotherSize() {
    assertThatThrownBy(
            () -> oracleRun(tmp.resolve("size"), new Oracle()).unlabeledTruth(List.of()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unlabeledTruth must hold one target per unlabeled image (12): 0");
  }
}
