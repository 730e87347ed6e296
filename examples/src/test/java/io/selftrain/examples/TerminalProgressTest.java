package io.selftrain.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.selftrain.EpochReport;
import io.selftrain.Metrics;
import io.selftrain.Stage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TerminalProgressTest {
  @Test
  void bars_forEpochsAndPseudoLabeling_linesForStagesEvaluationsAndWarnings() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TerminalProgress progress =
        new TerminalProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 120);
    progress.onStage(1, Stage.TEACHER_TRAINING, false);
    for (int epoch = 1; epoch <= 4; epoch++) {
      progress.onEpoch(
          new EpochReport(
              1, Stage.TEACHER_TRAINING, epoch, 4, 0.5 / epoch, Double.NaN, 2e-3, 100, 0.1));
    }
    progress.onEvaluation(1, "teacher", Metrics.of("top1", 0.875));
    progress.onStage(1, Stage.PSEUDO_LABELING, false);
    progress.onPseudoLabelProgress(1, 250, 500);
    progress.onWarning("round 1 pseudo labels keep 1 of 500 pool images");
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains("[round 1] teacher training")
        .contains("[round 1] teacher 100%")
        .contains("4/4 ep")
        .contains("loss 0.125")
        .contains("[round 1] teacher top-1 87.50%")
        .contains("[round 1] pseudo  50%")
        .contains("250/500 img")
        .contains("warning: round 1 pseudo labels keep 1 of 500 pool images");
    // the warning comes after the pseudo-labeling bar, which it closed
    assertThat(out.lastIndexOf("warning:")).isGreaterThan(out.lastIndexOf("250/500"));
  }
}
