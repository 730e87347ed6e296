package io.selftrain.core;

import io.selftrain.EpochReport;
import io.selftrain.Metrics;
import io.selftrain.SelfTrainingListener;
import io.selftrain.Stage;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** Ready-made {@link SelfTrainingListener}s. */
public final class Listeners {
  private Listeners() {}

  /**
   * Prints one line per stage, per epoch, per evaluation and every 10% of a pseudo-labeling pass.
   *
   * @param out where to print (for example {@code System.err})
   * @return the listener
   */
  public static SelfTrainingListener console(PrintStream out) {
    return new SelfTrainingListener() {
      private int lastDecile = -1;

      @Override
      public void onStage(int round, Stage stage, boolean resumed) {
        lastDecile = -1;
        out.printf(
            Locale.ROOT,
            "[%s] %s %s%n",
            label(round),
            stageName(stage),
            resumed ? "(resumed from work directory)" : "");
      }

      @Override
      public void onEpoch(EpochReport r) {
        String pseudo =
            Double.isNaN(r.pseudoLoss())
                ? ""
                : String.format(Locale.ROOT, " pseudo loss %.4f", r.pseudoLoss());
        if (!Double.isNaN(r.auxiliaryLoss())) {
          pseudo += String.format(Locale.ROOT, " auxiliary loss %.4f", r.auxiliaryLoss());
        }
        out.printf(
            Locale.ROOT,
            "[%s] %s epoch %d/%d: human loss %.4f%s lr %.2e %.0f img/s %.1fs%n",
            label(r.round()),
            stageName(r.stage()),
            r.epoch(),
            r.epochs(),
            r.humanLoss(),
            pseudo,
            r.learningRate(),
            r.imagesPerSecond(),
            r.seconds());
      }

      @Override
      public void onPseudoLabelProgress(int round, int done, int total) {
        int decile = done * 10 / Math.max(1, total);
        if (decile != lastDecile) {
          lastDecile = decile;
          out.printf(Locale.ROOT, "[%s] pseudo-labeling %d/%d images%n", label(round), done, total);
        }
      }

      @Override
      public void onWarning(String message) {
        out.println("warning: " + message);
      }

      @Override
      public void onEvaluation(int round, String role, Metrics metrics) {
        if (metrics.values().size() == 1 && metrics.primary().equals("top1")) {
          out.printf(
              Locale.ROOT, "[%s] %s top-1 %.2f%%%n", label(round), role, 100 * metrics.value());
          return;
        }
        StringBuilder line = new StringBuilder();
        // Per-class values ("iou/3") stay in result.json; the console line keeps the summary
        // metrics.
        metrics
            .values()
            .forEach(
                (name, v) -> {
                  if (!name.contains("/")) {
                    line.append(String.format(Locale.ROOT, " %s %.2f", name, v < 0 ? v : 100 * v));
                  }
                });
        out.printf(Locale.ROOT, "[%s] %s%s%n", label(round), role, line);
      }
    };
  }

  private static String label(int round) {
    return round == 0 ? "control" : "round " + round;
  }

  private static String stageName(Stage stage) {
    return stage.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /**
   * Forwards every call to each listener in order, one call at a time even when stages train in
   * parallel.
   */
  static SelfTrainingListener all(List<SelfTrainingListener> listeners) {
    List<SelfTrainingListener> copy = List.copyOf(listeners);
    return new SelfTrainingListener() {
      @Override
      public synchronized void onStage(int round, Stage stage, boolean resumed) {
        copy.forEach(l -> l.onStage(round, stage, resumed));
      }

      @Override
      public synchronized void onEpoch(EpochReport report) {
        copy.forEach(l -> l.onEpoch(report));
      }

      @Override
      public synchronized void onPseudoLabelProgress(int round, int done, int total) {
        copy.forEach(l -> l.onPseudoLabelProgress(round, done, total));
      }

      @Override
      public synchronized void onEvaluation(int round, String role, Metrics metrics) {
        copy.forEach(l -> l.onEvaluation(round, role, metrics));
      }

      @Override
      public synchronized void onWarning(String message) {
        copy.forEach(l -> l.onWarning(message));
      }
    };
  }
}
