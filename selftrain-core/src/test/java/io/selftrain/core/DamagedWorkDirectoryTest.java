package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.selftrain.core.label.PseudoLabelConfig;
import io.selftrain.models.ConvNetConfig;
import io.selftrain.models.ConvNets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run on a work directory whose teacher file was damaged says so, naming the file, and trains it
 * again.
 */
class DamagedWorkDirectoryTest {
  @TempDir Path tmp;

  @BeforeAll
  static void engines() {
    Engines.configure(1);
  }

  private SelfTrainingResult fit(WarningsAndStages recorder) {
    try (ClassificationRun run =
        SelfTraining.classification()
            .labeled(TinyData.labeled())
            .unlabeled(TinyData.unlabeled())
            .validation(TinyData.validation().subList(0, 100))
            .teacher(ConvNets.student(ConvNetConfig.builder().width(4).hidden(16).build()))
            .pseudoLabels(PseudoLabelConfig.soft())
            .teacherSchedule(TrainingSchedule.builder().epochs(2).batchSize(32).build())
            .studentSchedule(TrainingSchedule.builder().epochs(1).batchSize(32).build())
            .seed(4)
            .workDir(tmp)
            .addListener(recorder)
            .build()) {
      return run.fit();
    }
  }

  @Test
  void fit_bitFlippedTeacherFile_warnsWithTheFile_retrainsIt_sameResult() throws Exception {
    SelfTrainingResult first = fit(new WarningsAndStages());
    Path teacher = tmp.resolve("round-1/teacher.params");
    byte[] bytes = Files.readAllBytes(teacher);
    bytes[bytes.length - 5] ^= 0x01;
    Files.write(teacher, bytes);

    WarningsAndStages recorder = new WarningsAndStages();
    SelfTrainingResult again = fit(recorder);
    assertThat(recorder.warnings)
        .containsExactly(
            "work directory "
                + tmp
                + ": round-1/teacher.params failed its SHA-256 check (damaged or changed since it"
                + " was written); stage round-1/teacher is computed again");
    assertThat(recorder.stages).first().isEqualTo("1:TEACHER_TRAINING");
    assertThat(again.firstTeacherTop1()).isEqualTo(first.firstTeacherTop1());
    assertThat(again.rounds().get(0).studentTop1()).isEqualTo(first.rounds().get(0).studentTop1());
  }
}
