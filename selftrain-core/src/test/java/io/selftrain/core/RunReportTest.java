package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.selftrain.EpochReport;
import io.selftrain.Metrics;
import io.selftrain.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {
  @TempDir Path tmp;

  /** A two-round classification result with a control; top1 in fractions. */
  static SelfTrainingResult result() {
    Metrics teacher = new Metrics("top1", Map.of("top1", 0.80, "top5", 0.95));
    Metrics student1 = new Metrics("top1", Map.of("top1", 0.83, "top5", 0.97));
    Metrics student2 = new Metrics("top1", Map.of("top1", 0.845, "top5", 0.975));
    Metrics control = new Metrics("top1", Map.of("top1", 0.815, "top5", 0.96));
    return new SelfTrainingResult(
        "classification",
        7,
        Map.of("student", "cnn28 <w40>"),
        List.of(
            new RoundResult(
                1,
                teacher,
                student1,
                new PseudoLabelStats(100, 90, 90, new int[] {40, 50}, 0.9, 0.8)),
            new RoundResult(
                2,
                student1,
                student2,
                new PseudoLabelStats(100, 95, 95, new int[] {45, 50}, 0.92, 0.85))),
        Optional.of(control),
        123.4);
  }

  private static EpochReport epoch(int round, Stage stage, int epoch, double human, double pseudo) {
    return new EpochReport(round, stage, epoch, 2, human, pseudo, 1e-3, 100, 1.5);
  }

  private void logEpochs() {
    EpochLog log = new EpochLog(tmp);
    log.onEpoch(epoch(1, Stage.TEACHER_TRAINING, 1, 2.0, Double.NaN));
    log.onEpoch(epoch(1, Stage.TEACHER_TRAINING, 2, 1.5, Double.NaN));
    log.onEpoch(epoch(1, Stage.STUDENT_TRAINING, 1, 1.8, 1.9));
    log.onEpoch(epoch(1, Stage.STUDENT_TRAINING, 1, 1.7, 1.6)); // trained again after a resume
    log.onEpoch(epoch(0, Stage.SUPERVISED_CONTROL, 1, 1.9, Double.NaN));
  }

  @Test
  void epochLog_keepsTheLastLineOfAnEpochTrainedTwice_andSkipsACutLine() throws IOException {
    logEpochs();
    Files.writeString(tmp.resolve(EpochLog.FILE), "{\"round\":1,\"sta", StandardOpenOption.APPEND);

    EpochLog.Contents read = EpochLog.read(tmp);

    assertThat(read.damagedLines()).isEqualTo(1);
    assertThat(read.epochs())
        .containsExactly(
            epoch(1, Stage.TEACHER_TRAINING, 1, 2.0, Double.NaN),
            epoch(1, Stage.TEACHER_TRAINING, 2, 1.5, Double.NaN),
            epoch(1, Stage.STUDENT_TRAINING, 1, 1.7, 1.6),
            epoch(0, Stage.SUPERVISED_CONTROL, 1, 1.9, Double.NaN));
    assertThat(EpochLog.read(tmp.resolve("elsewhere")))
        .isEqualTo(new EpochLog.Contents(List.of(), 0));
  }

  @Test
  void html_holdsTheGainsTheMetricsThePseudoStatisticsAndOnePlotPerFigure() throws IOException {
    logEpochs();
    String html = RunReport.html(result(), EpochLog.read(tmp), List.of(), Map.of("Java", "17"));

    assertThat(html)
        .contains(
            "Final student top1 84.50, first teacher 80.00 (+4.50), supervised control 81.50 (student +3.00); 2 round(s), wall time 123 s.")
        .contains("<tr><td>round 2 student</td><td>84.50</td><td>97.50</td></tr>")
        .contains("<tr><td>supervised control</td><td>81.50</td><td>96.00</td></tr>")
        .contains(
            "<tr><td>1</td><td>100</td><td>90</td><td>90</td><td>0.9000</td><td>0.8000</td></tr>")
        .contains("<td>cnn28 &lt;w40&gt;</td>")
        .doesNotContain("cnn28 <w40>")
        .doesNotContain("http://")
        .doesNotContain("https://");
    assertThat(ids(html)).containsExactly("plot-metric", "plot-losses", "plot-pseudo-perClass");
  }

  @Test
  void html_saysWhenNoEpochWasLogged() {
    String html =
        RunReport.html(result(), new EpochLog.Contents(List.of(), 2), List.of(), Map.of());
    assertThat(html)
        .contains("2 damaged line(s) of epochs.jsonl were skipped")
        .contains("No epoch was logged");
    assertThat(ids(html)).containsExactly("plot-metric", "plot-pseudo-perClass");
  }

  /**
   * The report in headless Chromium: it loads with no console error and every plot decodes. CI
   * installs Chromium ({@code .ci/run}); elsewhere the test is skipped when it is absent.
   */
  @Test
  void inChromium_loadsWithoutConsoleErrors_andEveryPlotDecodes()
      throws IOException, InterruptedException {
    logEpochs();
    List<RunReport.Picture> pictures =
        PseudoLabelPictures.of(
            1,
            List.of(new io.selftrain.PseudoLabel<>(0, io.selftrain.ClassTarget.index(1, 2), 0.9f)),
            List.of(io.selftrain.Image.filled(28, 28, 1, 200)),
            6);
    HeadlessChromium.assertLoads(RunReport.write(tmp, result(), pictures), tmp, 4);
  }

  private static List<String> ids(String html) {
    List<String> ids = new ArrayList<>();
    Matcher m = Pattern.compile("<img id=\"([^\"]+)\"").matcher(html);
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }
}
