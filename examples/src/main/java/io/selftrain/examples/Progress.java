package io.selftrain.examples;

import io.selftrain.EpochReport;
import io.selftrain.Metrics;
import io.selftrain.SelfTrainingListener;
import io.selftrain.Stage;
import io.selftrain.core.Listeners;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress that the run commands (classify, detect, segment, export-teacher) show: on a
 * terminal a live bar with rate and ETA for each training stage (per epoch) and each
 * pseudo-labeling pass (per image); in logs, CI and tests the plain lines of {@link
 * Listeners#console}.
 */
final class Progress implements SelfTrainingListener {
  private final PrintStream out;
  private final SelfTrainingListener lines;
  private ProgressBar bar;

  private Progress(PrintStream out) {
    this.out = out;
    this.lines = Listeners.console(out);
  }

  /**
   * @return a live bar on stderr when the program runs on a terminal, plain lines otherwise
   */
  static SelfTrainingListener listener() {
    return System.console() != null ? new Progress(System.err) : Listeners.console(System.err);
  }

  @Override
  public void onStage(int round, Stage stage, boolean resumed) {
    close();
    lines.onStage(round, stage, resumed);
  }

  @Override
  public void onEpoch(EpochReport r) {
    if (bar == null) {
      bar =
          open(
              label(r.round()) + " " + r.stage().name().toLowerCase(Locale.ROOT).replace('_', ' '),
              r.epochs(),
              " epochs");
    }
    bar.stepTo(r.epoch());
    bar.setExtraMessage(
        String.format(
            Locale.ROOT,
            "loss %.4f%s%s",
            r.humanLoss(),
            Double.isNaN(r.pseudoLoss())
                ? ""
                : String.format(Locale.ROOT, " pseudo %.4f", r.pseudoLoss()),
            Double.isNaN(r.auxiliaryLoss())
                ? ""
                : String.format(Locale.ROOT, " auxiliary %.4f", r.auxiliaryLoss())));
    if (r.epoch() >= r.epochs()) {
      close();
    }
  }

  @Override
  public void onPseudoLabelProgress(int round, int done, int total) {
    if (bar == null) {
      bar = open(label(round) + " pseudo-labeling", total, " img");
    }
    bar.stepTo(done);
    if (done >= total) {
      close();
    }
  }

  @Override
  public void onEvaluation(int round, String role, Metrics metrics) {
    close();
    lines.onEvaluation(round, role, metrics);
  }

  private ProgressBar open(String task, long max, String unit) {
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(max)
        .setUnit(unit, 1)
        .showSpeed()
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new ConsoleProgressBarConsumer(out))
        .build();
  }

  private void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  private static String label(int round) {
    return round == 0 ? "control" : "round " + round;
  }
}
