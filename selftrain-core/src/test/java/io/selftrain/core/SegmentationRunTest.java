package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.Prediction;
import io.selftrain.SelfTrainingListener;
import io.selftrain.Stage;
import io.selftrain.Teacher;
import io.selftrain.augment.AugmentPolicy;
import io.selftrain.core.data.MaskPngs;
import io.selftrain.core.data.Scene;
import io.selftrain.core.eval.ConfusionMatrix;
import io.selftrain.models.segmentation.Segmentation;
import io.selftrain.models.segmentation.SegmentationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A segmentation run end to end on a few real scenes (Fashion-MNIST garments on 64 x 64 canvases,
 * 11 mask classes).
 */
class SegmentationRunTest {
  private static final SegmentationConfig MODEL = Segmentation.tiny64().withNumClasses(11);
  private static final int SIDE = 64;
  private static List<Scene> labeled;
  private static List<Scene> pool;
  private static List<Scene> validation;

  @TempDir Path tmp;

  @BeforeAll
  static void scenes() {
    Engines.configure(1);
    List<Scene> all = TinyData.scenes(5, 30);
    labeled = all.subList(0, 12);
    pool = all.subList(12, 24);
    validation = all.subList(24, 30);
  }

  /**
   * The probability the oracle gives a pixel: sure of garments, unsure of background on odd rows.
   */
  private static float oracleConfidence(int pixel, int truthClass) {
    return truthClass == 0 && (pixel / SIDE) % 2 == 1 ? 0.4f : 0.9f;
  }

  /** Knows every scene's true mask, with {@link #oracleConfidence} per pixel. */
  private static final class Oracle implements Teacher<MaskTarget> {
    private final Map<Image, MaskTarget> truth = new IdentityHashMap<>();

    Oracle() {
      for (List<Scene> set : List.of(labeled, pool, validation)) {
        set.forEach(s -> truth.put(s.image(), s.mask()));
      }
    }

    @Override
    public List<Prediction<MaskTarget>> predict(List<Image> images) {
      List<Prediction<MaskTarget>> out = new ArrayList<>();
      for (Image image : images) {
        byte[] classes = truth.get(image).classes();
        float[] confidences = new float[classes.length];
        for (int p = 0; p < classes.length; p++) {
          confidences[p] = oracleConfidence(p, classes[p] & 0xFF);
        }
        out.add(new Prediction<>(MaskTarget.of(SIDE, SIDE, classes, confidences), 0.9f));
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

  private static SegmentationRun.Builder oracleRun(Path dir, Teacher<MaskTarget> oracle) {
    return SelfTraining.segmentation()
        .labeled(labeled.stream().map(Scene::segmentation).toList())
        .unlabeled(pool.stream().map(Scene::image).toList())
        .unlabeledTruth(pool.stream().map(Scene::mask).toList())
        .validation(validation.stream().map(Scene::segmentation).toList())
        .classes(11)
        .firstTeacher(oracle)
        .student(Segmentation.student(MODEL))
        .augment(AugmentPolicy.S1)
        .studentSchedule(TrainingSchedule.builder().epochs(1).batchSize(8).build())
        .rounds(2)
        .control(true)
        .seed(4)
        .workDir(dir);
  }

  @Test
  void fit_controlBesideTheStudent_givesExactlyTheSequentialResult() throws Exception {
    Oracle oracle = new Oracle();
    SegmentationConfig noisy =
        MODEL.withBackbone(MODEL.backbone().withStochasticDepth(0.2f)).withName("noisy");
    Path sequential = tmp.resolve("sequential");
    SelfTrainingResult one;
    java.util.function.Function<Path, SegmentationRun.Builder> noisyRun =
        dir ->
            oracleRun(dir, oracle)
                .student(Segmentation.student(noisy))
                .rounds(1)
                .pseudoPriorCorrection(2);
    try (SegmentationRun run = noisyRun.apply(sequential).build()) {
      one = run.fit();
    }
    Path parallel = tmp.resolve("parallel");
    List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());
    IntraOpThreads.set(Engines.PYTORCH, 2);
    SelfTrainingResult two;
    try (SegmentationRun run =
        noisyRun.apply(parallel).addListener(SideBySide.stageThreads(threads)).build()) {
      two = run.fit();
    } finally {
      IntraOpThreads.set(Engines.PYTORCH, 1);
    }
    assertThat(threads).contains("SUPERVISED_CONTROL@selftrain-control");
    assertThat(two.rounds()).isEqualTo(one.rounds());
    assertThat(two.control()).isEqualTo(one.control());
    SideBySide.assertSameStudentAndControl(parallel, sequential);
  }

  @Test
  void fit_twoRounds_pseudoMasksThresholded_crashedRunResumesToTheSameResult() throws Exception {
    Oracle oracle = new Oracle();
    Path whole = tmp.resolve("whole");
    SelfTrainingResult first;
    try (SegmentationRun run = oracleRun(whole, oracle).build()) {
      first = run.fit();
    }
    assertThat(first.task()).isEqualTo("segmentation");
    // The oracle's argmax maps are the truth: mIoU 1.
    assertThat(first.firstTeacher().get("miou")).isEqualTo(1.0);
    assertThat(first.firstTeacher().get("pixelAccuracy")).isEqualTo(1.0);

    // Pseudo masks: the truth where the oracle is sure (>= 0.5), 255 on the background of odd rows.
    PseudoMaskStats pseudo = (PseudoMaskStats) first.rounds().get(0).pseudo();
    long sure = 0;
    for (Scene s : pool) {
      byte[] classes = s.mask().classes();
      for (int p = 0; p < classes.length; p++) {
        sure += oracleConfidence(p, classes[p] & 0xFF) >= 0.5f ? 1 : 0;
      }
    }
    assertThat(pseudo.kept()).isEqualTo(pool.size());
    assertThat(pseudo.labeledFraction()).isEqualTo((double) sure / (pool.size() * SIDE * SIDE));
    assertThat(pseudo.pixelAccuracy()).isEqualTo(1.0);
    assertThat(pseudo.meanConfidence()).isEqualTo(0.9f);
    // ... written as PNG masks a user opens.
    byte[] pseudoMask = MaskPngs.read(whole.resolve("round-1/pseudo-masks/000003.png")).classes();
    byte[] truth3 = pool.get(3).mask().classes();
    for (int p = 0; p < truth3.length; p++) {
      int expected =
          oracleConfidence(p, truth3[p] & 0xFF) >= 0.5f ? truth3[p] & 0xFF : MaskTarget.IGNORE;
      assertThat(pseudoMask[p] & 0xFF).as("pixel %s", p).isEqualTo(expected);
    }
    assertThat(first.rounds()).hasSize(2);
    assertThat(first.rounds().get(1).teacher()).isEqualTo(first.rounds().get(0).student());
    assertThat(first.control()).isPresent();

    // The recorded mIoU is what the confusion matrix gives for the prediction PNGs the stage wrote.
    ConfusionMatrix matrix = new ConfusionMatrix(11);
    for (int i = 0; i < validation.size(); i++) {
      matrix.add(
          validation.get(i).mask(),
          MaskPngs.read(whole.resolve(String.format("round-1/student-predictions/%06d.png", i))));
    }
    assertThat(matrix.scores().miou()).isEqualTo(first.rounds().get(0).student().get("miou"));

    Path crashed = tmp.resolve("crashed");
    assertThatThrownBy(() -> oracleRun(crashed, oracle).addListener(new Stages(true)).build().fit())
        .hasMessageContaining("simulated crash");
    Stages resumed = new Stages(false);
    SelfTrainingResult again;
    try (SegmentationRun run = oracleRun(crashed, oracle).addListener(resumed).build()) {
      again = run.fit();
      assertThat(run.evaluationFiles(2)).hasSize(validation.size());
    }
    assertThat(resumed.seen).startsWith("1:PSEUDO_LABELING:resumed", "1:STUDENT_TRAINING");
    assertThat(again.rounds()).isEqualTo(first.rounds());
    assertThat(again.control()).isEqualTo(first.control());
    for (String file :
        List.of(
            "round-2/pseudo.bin",
            "round-2/student.params",
            "round-2/student-predictions/000005.png")) {
      assertThat(Files.readAllBytes(crashed.resolve(file)))
          .as(file)
          .isEqualTo(Files.readAllBytes(whole.resolve(file)));
    }

    // A damaged pseudo mask is noticed: the stage is not taken as complete and is labeled again.
    Files.write(crashed.resolve("round-1/pseudo-masks/000000.png"), new byte[] {1, 2, 3});
    Stages damaged = new Stages(false);
    try (SegmentationRun run =
        oracleRun(crashed, oracle).rounds(1).control(false).addListener(damaged).build()) {
      assertThat(run.fit().rounds().get(0)).isEqualTo(first.rounds().get(0));
    }
    assertThat(damaged.seen).contains("1:PSEUDO_LABELING");
  }

  @Test
  void build_masksWithClassesBeyondTheRun_areRejectedByName() {
    assertThatThrownBy(() -> oracleRun(tmp.resolve("x"), new Oracle()).classes(3).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching(
            "labeled\\[\\d+\\] has class \\d+ at \\(x \\d+, y \\d+\\), but the run has 3 classes \\(classes\\(\\.\\.\\.\\)\\); 255 is ignored");
    assertThatThrownBy(() -> SelfTraining.segmentation().classes(256))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("classes must be in [2, 255] (255 is the ignore label): 256");
  }
}
