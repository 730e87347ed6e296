package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.selftrain.ClassTarget;
import io.selftrain.EpochReport;
import io.selftrain.SelfTrainingListener;
import io.selftrain.Stage;
import io.selftrain.Student;
import io.selftrain.models.ConvNetConfig;
import io.selftrain.models.ConvNets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitializationTest {
  private static final Student<ClassTarget> SMALL =
      ConvNets.student(ConvNetConfig.builder().width(8).hidden(32).build());
  private static final Student<ClassTarget> WIDER =
      ConvNets.student(ConvNetConfig.builder().width(12).hidden(32).build());

  @TempDir static Path tmp;

  /** A finished one-round run: its student is the "pre-trained" model. */
  private static Path previous;

  @BeforeAll
  static void trainOnce() {
    Engines.configure(1);
    previous = tmp.resolve("previous");
    try (ClassificationRun run = base(previous, Initialization.random()).build()) {
      run.fit();
    }
  }

  private static ClassificationRun.Builder base(Path workDir, Initialization studentInit) {
    return SelfTraining.classification()
        .labeled(TinyData.labeled())
        .unlabeled(TinyData.unlabeled())
        .validation(TinyData.validation())
        .teacher(SMALL)
        .student(SMALL)
        .teacherSchedule(TrainingSchedule.builder().epochs(3).batchSize(32).build())
        .studentSchedule(TrainingSchedule.builder().epochs(1).batchSize(32).build())
        .studentInit(studentInit)
        .seed(1)
        .workDir(workDir);
  }

  private static List<float[]> parameters(TrainedModel<ClassTarget> model) {
    List<float[]> out = new ArrayList<>();
    for (Pair<String, Parameter> p : model.model().getBlock().getParameters()) {
      out.add(p.getValue().getArray().toFloatArray());
    }
    return out;
  }

  private static TrainedModel<ClassTarget> create(Student<ClassTarget> student, Initialization init)
      throws IOException {
    return TrainedModel.create(
        student, Engines.PYTORCH, Engine.getEngine(Engines.PYTORCH).defaultDevice(), init);
  }

  @Test
  void previousRun_isTheLastRoundsStudent() throws IOException {
    Initialization init = Initialization.previousRun(previous);
    assertThat(init.file()).contains(previous.resolve("round-1/student.params"));
    assertThat(init.describe())
        .startsWith("previous-run(")
        .contains(WorkDirectory.sha256(previous.resolve("round-1/student.params")));
    try (TrainedModel<ClassTarget> fromRun = create(SMALL, init);
        TrainedModel<ClassTarget> saved =
            TrainedModel.load(
                SMALL, Engines.PYTORCH, Device.cpu(), previous.resolve("round-1/student.params"))) {
      List<float[]> a = parameters(fromRun);
      List<float[]> b = parameters(saved);
      assertThat(a).hasSameSizeAs(b);
      for (int i = 0; i < a.size(); i++) {
        assertThat(a.get(i)).containsExactly(b.get(i));
      }
    }
  }

  @Test
  void djlCheckpoint_writtenByModelSave_loads() throws IOException {
    Path dir = tmp.resolve("djl");
    try (TrainedModel<ClassTarget> trained =
        TrainedModel.load(
            SMALL, Engines.PYTORCH, Device.cpu(), previous.resolve("round-1/student.params"))) {
      trained.model().save(dir, "cnn");
      Path file = dir.resolve("cnn-0000.params");
      assertThat(
              new String(
                  Files.readAllBytes(file), 0, 4, java.nio.charset.StandardCharsets.US_ASCII))
          .isEqualTo("DJL@");
      try (TrainedModel<ClassTarget> loaded = create(SMALL, Initialization.checkpoint(file))) {
        List<float[]> a = parameters(loaded);
        List<float[]> b = parameters(trained);
        for (int i = 0; i < a.size(); i++) {
          assertThat(a.get(i)).containsExactly(b.get(i));
        }
        assertThat(
                loaded
                    .predict(List.of(TinyData.validation().get(0).image()))
                    .get(0)
                    .target()
                    .probabilities())
            .containsExactly(
                trained
                    .predict(List.of(TinyData.validation().get(0).image()))
                    .get(0)
                    .target()
                    .probabilities());
      }
    }
  }

  @Test
  void checkpointOfAnotherArchitecture_namesTheFile() {
    Path file = previous.resolve("round-1/student.params");
    assertThatThrownBy(() -> create(WIDER, Initialization.checkpoint(file)).close())
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("does not fit")
        .hasMessageContaining(WIDER.name());
  }

  @Test
  void badLocations() throws IOException {
    assertThatThrownBy(() -> Initialization.checkpoint(tmp.resolve("missing.params")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing.params");
    Path empty = Files.createDirectories(tmp.resolve("not-a-run"));
    assertThatThrownBy(() -> Initialization.previousRun(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("manifest.json")
        .hasMessageContaining(empty.toString());
    Path tampered = tmp.resolve("tampered");
    copyRun(previous, tampered);
    Files.write(tampered.resolve("round-1/student.params"), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> Initialization.previousRun(tampered))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("checksum");
  }

  private static void copyRun(Path from, Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  /** Records the first student epoch's human loss and which stages resumed. */
  private static final class FirstEpoch implements SelfTrainingListener {
    double studentLoss = Double.NaN;
    final List<String> stages = new ArrayList<>();

    @Override
    public void onStage(int round, Stage stage, boolean resumed) {
      stages.add(stage + (resumed ? ":resumed" : ""));
    }

    @Override
    public void onEpoch(EpochReport report) {
      if (report.stage() == Stage.STUDENT_TRAINING && Double.isNaN(studentLoss)) {
        studentLoss = report.humanLoss();
      }
    }
  }

  @Test
  void studentInit_retrainsOnlyTheStudent_andStartsFromTheTrainedWeights() throws IOException {
    Path workDir = tmp.resolve("pretrained");
    copyRun(previous, workDir);
    FirstEpoch pretrained = new FirstEpoch();
    try (ClassificationRun run =
        base(workDir, Initialization.previousRun(previous)).addListener(pretrained).build()) {
      SelfTrainingResult result = run.fit();
      assertThat(result.settings().get("studentInit")).startsWith("previous-run(");
    }
    assertThat(pretrained.stages)
        .containsExactly("TEACHER_TRAINING:resumed", "PSEUDO_LABELING:resumed", "STUDENT_TRAINING");

    FirstEpoch random = new FirstEpoch();
    try (ClassificationRun run =
        base(tmp.resolve("random"), Initialization.random()).addListener(random).build()) {
      run.fit();
    }
    // A student that starts from a trained network fits the human labels from its first epoch on.
    assertThat(pretrained.studentLoss).isLessThan(random.studentLoss * 0.8);
  }
}
