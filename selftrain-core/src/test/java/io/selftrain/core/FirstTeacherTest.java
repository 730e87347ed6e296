package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Prediction;
import io.selftrain.PseudoLabel;
import io.selftrain.SelfTrainingListener;
import io.selftrain.Stage;
import io.selftrain.augment.Augmenters;
import io.selftrain.augment.FlipCropConfig;
import io.selftrain.core.teacher.LinearSavedModel;
import io.selftrain.core.teacher.SavedModelConfig;
import io.selftrain.core.teacher.SavedModelTeacher;
import io.selftrain.models.ConvNetConfig;
import io.selftrain.models.ConvNets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TensorFlow SavedModel as round 1's teacher of a PyTorch student, in one JVM. */
class FirstTeacherTest {
  @TempDir static Path tmp;
  private static LinearSavedModel centroids;
  private static Path savedModel;

  /**
   * A nearest-class-mean classifier of the labeled images as a linear model ({@code w_k = m_k},
   * {@code b_k = -|m_k|^2 / 2}), exported with TF Java: a real, if weak, teacher computed
   * independently.
   */
  @BeforeAll
  static void exportTeacher() throws Exception {
    Engines.configure(1);
    Engines.load(Engines.TENSORFLOW);
    int features = 28 * 28;
    double[][] sums = new double[10][features];
    int[] counts = new int[10];
    for (Example<ClassTarget> e : TinyData.labeled()) {
      int k = e.target().classIndex();
      counts[k]++;
      byte[] pixels = e.image().pixels();
      for (int f = 0; f < features; f++) {
        sums[k][f] += (pixels[f] & 0xFF) / 255.0;
      }
    }
    float[] weights = new float[features * 10];
    float[] bias = new float[10];
    for (int k = 0; k < 10; k++) {
      double norm = 0;
      for (int f = 0; f < features; f++) {
        double mean = sums[k][f] / counts[k];
        weights[f * 10 + k] = (float) mean;
        norm += mean * mean;
      }
      bias[k] = (float) (-norm / 2);
    }
    centroids = new LinearSavedModel(28, 28, 1, weights, bias);
    savedModel = tmp.resolve("centroids");
    centroids.export(savedModel, false, "serving_default", "serve");
  }

  private static SavedModelTeacher openTeacher() throws Exception {
    return SavedModelTeacher.open(
        SavedModelConfig.builder()
            .modelDir(savedModel)
            .output("logits")
            .scores(SavedModelConfig.Scores.LOGITS)
            .build());
  }

  private static ClassificationRun.Builder run(SavedModelTeacher teacher, Path workDir) {
    return SelfTraining.classification()
        .labeled(TinyData.labeled())
        .unlabeled(TinyData.unlabeled())
        .validation(TinyData.validation())
        .firstTeacher(teacher)
        .student(
            ConvNets.student(ConvNetConfig.builder().width(8).hidden(32).dropout(0.2f).build()))
        .augment(Augmenters.flipCrop(FlipCropConfig.builder().build()))
        .studentSchedule(TrainingSchedule.builder().epochs(5).batchSize(32).build())
        .rounds(1)
        .seed(3)
        .workDir(workDir);
  }

  private static int argmax(double[] values) {
    int best = 0;
    for (int k = 1; k < values.length; k++) {
      if (values[k] > values[best]) {
        best = k;
      }
    }
    return best;
  }

  private static final class Stages implements SelfTrainingListener {
    final List<String> seen = new ArrayList<>();

    @Override
    public void onStage(int round, Stage stage, boolean resumed) {
      seen.add(round + ":" + stage + (resumed ? ":resumed" : ""));
    }
  }

  @Test
  void savedModelTeacher_pyTorchStudent_oneRound_thenResume() throws Exception {
    List<Image> probe = TinyData.unlabeled().subList(0, 20);
    Path workDir = tmp.resolve("run");
    SelfTrainingResult result;
    List<Prediction<ClassTarget>> before;
    Stages stages = new Stages();
    try (SavedModelTeacher teacher = openTeacher()) {
      before = teacher.predict(probe);
      try (ClassificationRun run = run(teacher, workDir).addListener(stages).build()) {
        result = run.fit();
      }
      // The run neither closed the teacher nor disturbed the TensorFlow session while PyTorch
      // trained.
      List<Prediction<ClassTarget>> after = teacher.predict(probe);
      for (int i = 0; i < probe.size(); i++) {
        assertThat(after.get(i).target().probabilities())
            .containsExactly(before.get(i).target().probabilities());
      }
    }
    assertThat(stages.seen).containsExactly("1:PSEUDO_LABELING", "1:STUDENT_TRAINING");

    int correct = 0;
    for (Example<ClassTarget> e : TinyData.validation()) {
      correct += argmax(centroids.logits(e.image())) == e.target().classIndex() ? 1 : 0;
    }
    double expectedTop1 = correct / (double) TinyData.validation().size();
    assertThat(result.firstTeacherTop1())
        .isCloseTo(expectedTop1, org.assertj.core.api.Assertions.within(0.0041));
    assertThat(expectedTop1).isGreaterThan(0.5);
    // a tiny student on 400 pseudo labels from a ~0.5 teacher: 0.36-0.46 across seeds 1-4 (chance
    // is 0.1)
    assertThat(result.finalStudentTop1()).isGreaterThan(0.3);
    assertThat(result.settings().get("teacher")).contains("savedmodel(").contains("sha256=");

    List<PseudoLabel<ClassTarget>> labels =
        PseudoLabelStore.read(workDir.resolve("round-1/pseudo.bin"));
    assertThat(labels).hasSize(400);
    int agree = 0;
    for (PseudoLabel<ClassTarget> label : labels) {
      double[] expected = centroids.probabilities(TinyData.unlabeled().get(label.poolIndex()));
      agree += argmax(expected) == label.target().classIndex() ? 1 : 0;
      assertThat((double) label.target().probabilities()[argmax(expected)])
          .isCloseTo(expected[argmax(expected)], org.assertj.core.api.Assertions.within(1e-3));
    }
    assertThat(agree).isGreaterThanOrEqualTo(398);

    Stages resumed = new Stages();
    try (SavedModelTeacher teacher = openTeacher();
        ClassificationRun run = run(teacher, workDir).addListener(resumed).build()) {
      SelfTrainingResult again = run.fit();
      assertThat(again.rounds()).isEqualTo(result.rounds());
    }
    assertThat(resumed.seen)
        .containsExactly("1:PSEUDO_LABELING:resumed", "1:STUDENT_TRAINING:resumed");
  }

  @Test
  void build_rejectsTeacherAndFirstTeacherTogether_andFirstTeacherWithoutStudent()
      throws Exception {
    try (SavedModelTeacher teacher = openTeacher()) {
      assertThatThrownBy(
              () ->
                  run(teacher, tmp.resolve("both"))
                      .teacher(ConvNets.student(ConvNetConfig.builder().build()))
                      .build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("either teacher")
          .hasMessageContaining("firstTeacher");
      assertThatThrownBy(
              () ->
                  SelfTraining.classification()
                      .labeled(TinyData.labeled())
                      .unlabeled(TinyData.unlabeled())
                      .validation(TinyData.validation())
                      .firstTeacher(teacher)
                      .build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("student was not set");
      assertThatThrownBy(
              () ->
                  run(teacher, tmp.resolve("init"))
                      .teacherInit(Initialization.checkpoint(savedModel.resolve("saved_model.pb")))
                      .build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("teacherInit");
    }
  }

  @Test
  void build_rejectsATeacherWithOtherClasses() throws Exception {
    Path fourClasses = tmp.resolve("four");
    new LinearSavedModel(28, 28, 1, 4, 1).export(fourClasses, false, "serving_default", "serve");
    try (SavedModelTeacher teacher =
        SavedModelTeacher.open(
            SavedModelConfig.builder().modelDir(fourClasses).output("probabilities").build())) {
      assertThatThrownBy(() -> run(teacher, tmp.resolve("four-run")).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("firstTeacher predicts 4 classes, the labels have 10");
    }
  }
}
