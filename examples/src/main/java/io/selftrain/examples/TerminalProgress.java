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
 * How a run command shows progress: on a terminal, a live bar per training stage (epochs, with rate
 * and ETA and the last epoch's human/pseudo loss) and per pseudo-labeling pass (images), from the
 * progressbar library; elsewhere (a log, CI, a pipe) the plain lines of {@link Listeners#console}.
 * Stage starts, evaluations and warnings print as lines in both, after the bar in progress is
 * closed.
 */
final class TerminalProgress implements SelfTrainingListener {
  private final PrintStream out;
  private final int width;
  private final SelfTrainingListener lines;
  private ProgressBar bar;

  /**
   * @param out the terminal's stream
   * @param width the widest line to draw, or 0 for the terminal's width
   */
  TerminalProgress(PrintStream out, int width) {
    this.out = out;
    this.width = width;
    this.lines = Listeners.console(out);
  }

  /** Bars when this process writes to a terminal, plain lines otherwise. */
  static SelfTrainingListener forThisProcess() {
    return System.console() != null
        ? new TerminalProgress(System.err, 0)
        : Listeners.console(System.err);
  }

  @Override
  public synchronized void onStage(int round, Stage stage, boolean resumed) {
    closeBar();
    lines.onStage(round, stage, resumed);
  }

  @Override
  public synchronized void onEpoch(EpochReport report) {
    if (bar == null) {
      bar = newBar(label(report.round()) + " " + role(report.stage()), report.epochs(), " ep");
    }
    bar.stepTo(report.epoch());
    String pseudo =
        Double.isNaN(report.pseudoLoss())
            ? ""
            : String.format(Locale.ROOT, "/%.3f", report.pseudoLoss());
    bar.setExtraMessage(String.format(Locale.ROOT, " loss %.3f%s", report.humanLoss(), pseudo));
    if (report.epoch() >= report.epochs()) {
      closeBar();
    }
  }

  @Override
  public synchronized void onPseudoLabelProgress(int round, int done, int total) {
    if (bar == null) {
      bar = newBar(label(round) + " pseudo", total, " img");
    }
    bar.stepTo(done);
    if (done >= total) {
      closeBar();
    }
  }

  @Override
  public synchronized void onEvaluation(int round, String role, Metrics metrics) {
    closeBar();
    lines.onEvaluation(round, role, metrics);
  }

  @Override
  public synchronized void onWarning(String message) {
    closeBar();
    lines.onWarning(message);
  }

  private ProgressBar newBar(String task, long max, String unit) {
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(max)
        .setUnit(unit, 1)
        .showSpeed()
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(
            width > 0
                ? new ConsoleProgressBarConsumer(out, width)
                : new ConsoleProgressBarConsumer(out))
        .build();
  }

  private void closeBar() {
    if (bar != null) {
      bar.close();
      out.println(); // the bar's line stays, the next output starts below it
      bar = null;
    }
  }

  private static String role(Stage stage) {
    return switch (stage) {
      case TEACHER_TRAINING -> "teacher";
      case STUDENT_TRAINING -> "student";
      case SUPERVISED_CONTROL -> "control";
      case PSEUDO_LABELING -> "pseudo";
    };
  }

  private static String label(int round) {
    return round == 0 ? "[control]" : "[round " + round + "]";
  }
}
