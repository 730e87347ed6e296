package io.selftrain.core;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.escape.Escaper;
import com.google.common.html.HtmlEscapers;
import io.selftrain.EpochReport;
import io.selftrain.Metrics;
import io.selftrain.Stage;
import io.selftrain.internal.AtomicFiles;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One self-contained {@code report.html} per run, beside its {@code result.json}: provenance and
 * settings, every model's metrics per round (Zoph et al. 2020 compare the first teacher, each
 * round's student and the supervised control), the per-epoch human and pseudo losses of every stage
 * (from the work directory's {@link EpochLog}, so resumed stages are there too), and the
 * pseudo-label statistics per round with their histograms and the first pool images of each round
 * with their pseudo labels drawn ({@link PseudoLabelPictures}). Plots are PNG data URIs drawn by
 * JFreeChart; the page loads nothing from the network and runs one inline script, which records on
 * the body how many of its images decoded ({@code data-images-loaded="k/n"}).
 *
 * <pre>{@code
 * SelfTrainingResult result = run.fit();            // also writes workDir/report.html
 * RunReport.write(run.workDir(), result);           // again, e.g. after editing nothing but the log
 * }</pre>
 */
public final class RunReport {
  /** The report's file name in the work directory. */
  public static final String FILE = "report.html";

  /** How many pseudo labels of each round the report draws. */
  static final int PICTURES_PER_ROUND = 6;

  private static final Escaper HTML = HtmlEscapers.htmlEscaper();

  /** A pool image with its pseudo label drawn ({@link PseudoLabelPictures}). */
  record Picture(String caption, String pngDataUri) {}

  private RunReport() {}

  /**
   * Writes {@code report.html} into a run's work directory, atomically.
   *
   * @param workDir the run's work directory (its {@code epochs.jsonl} supplies the losses)
   * @param result the run's result
   * @return the report's path
   * @throws IOException if the log cannot be read or the report cannot be written
   */
  public static Path write(Path workDir, SelfTrainingResult result) throws IOException {
    return write(workDir, result, List.of());
  }

  /** {@link #write(Path, SelfTrainingResult)} with pictures of pseudo labels. */
  static Path write(Path workDir, SelfTrainingResult result, List<Picture> pictures)
      throws IOException {
    checkNotNull(workDir, "workDir");
    checkNotNull(result, "result");
    EpochLog.Contents log = EpochLog.read(workDir);
    String html = html(result, log, pictures, provenance(workDir));
    Path file = workDir.resolve(FILE);
    AtomicFiles.write(file, out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
    return file;
  }

  /** Where and with what the report was made. */
  static Map<String, String> provenance(Path workDir) {
    Map<String, String> p = new LinkedHashMap<>();
    String version = RunReport.class.getPackage().getImplementationVersion();
    p.put("selftrain", version == null ? "development build (no jar manifest)" : version);
    p.put(
        "Java",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    p.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    p.put("processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
    p.put("PyTorch allocations", Engines.allocationStatus());
    p.put("work directory", workDir.toAbsolutePath().toString());
    p.put("written", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    return p;
  }

  /** The page. */
  static String html(
      SelfTrainingResult r,
      EpochLog.Contents log,
      List<Picture> pictures,
      Map<String, String> provenance) {
    StringBuilder h = new StringBuilder(1 << 16);
    openPage(h, "selftrain: self-training for " + r.task() + ", seed " + r.seed());
    summary(h, r);
    h.append("<h2>Metrics</h2>\n");
    metrics(h, r);
    h.append("<h2>Training losses per epoch</h2>\n");
    losses(h, log);
    h.append("<h2>Pseudo labels</h2>\n");
    pseudo(h, r);
    pictures(h, pictures);
    h.append("<h2>Settings</h2>\n");
    textTable(h, List.of("setting", "value"), new TreeMap<>(r.settings()));
    h.append("<h2>Provenance</h2>\n");
    textTable(h, List.of("", ""), provenance);
    closePage(h);
    return h.toString();
  }

  private static void summary(StringBuilder h, SelfTrainingResult r) {
    Metrics first = r.firstTeacher();
    Metrics last = r.finalStudent();
    String metric = first.primary();
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "Final student %s %.2f, first teacher %.2f (%+.2f)",
            metric,
            100 * last.value(),
            100 * first.value(),
            100 * (last.value() - first.value())));
    r.control()
        .ifPresent(
            c ->
                s.append(
                    String.format(
                        Locale.ROOT,
                        ", supervised control %.2f (student %+.2f)",
                        100 * c.value(),
                        100 * (last.value() - c.value()))));
    s.append(
        String.format(
            Locale.ROOT, "; %d round(s), wall time %.0f s.", r.rounds().size(), r.wallSeconds()));
    h.append("<p id=\"summary\">").append(HTML.escape(s.toString())).append("</p>\n");
  }

  /** The models in the order of the paper's tables: first teacher, students, control. */
  private static Map<String, Metrics> models(SelfTrainingResult r) {
    Map<String, Metrics> models = new LinkedHashMap<>();
    models.put("first teacher", r.firstTeacher());
    r.rounds().forEach(round -> models.put("round " + round.round() + " student", round.student()));
    r.control().ifPresent(c -> models.put("supervised control", c));
    return models;
  }

  private static void metrics(StringBuilder h, SelfTrainingResult r) {
    Map<String, Metrics> models = models(r);
    Metrics first = r.firstTeacher();
    List<String> names = new ArrayList<>();
    names.add(first.primary());
    first.values().keySet().stream().filter(n -> !n.equals(first.primary())).forEach(names::add);
    List<String> header = new ArrayList<>();
    header.add("model (percent)");
    header.addAll(names);
    List<List<String>> rows = new ArrayList<>();
    Map<String, Double> primary = new LinkedHashMap<>();
    models.forEach(
        (model, m) -> {
          List<String> row = new ArrayList<>();
          row.add(model);
          for (String n : names) {
            Double v = m.values().get(n);
            row.add(v == null || v < 0 || v.isNaN() ? "n/a" : percent(v));
          }
          rows.add(row);
          primary.put(model, 100 * m.value());
        });
    table(h, header, rows);
    image(
        h,
        "metric",
        ReportCharts.bars(
            first.primary() + " per model (percent)",
            "model",
            first.primary(),
            Map.of(first.primary(), primary)));
  }

  private static void losses(StringBuilder h, EpochLog.Contents log) {
    if (log.damagedLines() > 0) {
      h.append("<p class=\"warning\">")
          .append(log.damagedLines())
          .append(" damaged line(s) of ")
          .append(EpochLog.FILE)
          .append(" were skipped (a write a crash cut short).</p>\n");
    }
    if (log.epochs().isEmpty()) {
      h.append("<p>No epoch was logged (")
          .append(EpochLog.FILE)
          .append(" is missing: a run from before the log existed).</p>\n");
      return;
    }
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    for (EpochReport e : log.epochs()) {
      String stage = stageName(e.round(), e.stage());
      series
          .computeIfAbsent(stage + ", human", k -> new ArrayList<>())
          .add(point(e, e.humanLoss()));
      if (e.stage() == Stage.STUDENT_TRAINING) {
        series
            .computeIfAbsent(stage + ", pseudo", k -> new ArrayList<>())
            .add(point(e, e.pseudoLoss()));
      }
      if (!Double.isNaN(e.auxiliaryLoss())) {
        series
            .computeIfAbsent(stage + ", auxiliary", k -> new ArrayList<>())
            .add(point(e, e.auxiliaryLoss()));
      }
    }
    image(h, "losses", ReportCharts.lines("Mean loss per epoch", "epoch", "loss", series));
  }

  private static double[] point(EpochReport e, double loss) {
    return new double[] {e.epoch(), loss};
  }

  private static String stageName(int round, Stage stage) {
    switch (stage) {
      case TEACHER_TRAINING:
        return "round " + round + " teacher";
      case STUDENT_TRAINING:
        return "round " + round + " student";
      case SUPERVISED_CONTROL:
        return "supervised control";
      default:
        return "round " + round + " " + stage.name().toLowerCase(Locale.ROOT);
    }
  }

  private static void pseudo(StringBuilder h, SelfTrainingResult r) {
    Set<String> scalars = new LinkedHashSet<>();
    Map<String, Map<String, Map<String, Double>>> histograms = new LinkedHashMap<>();
    for (RoundResult round : r.rounds()) {
      round
          .pseudo()
          .asMap()
          .forEach(
              (key, value) -> {
                if (value != null && value.getClass().isArray()) {
                  Map<String, Double> bins = new LinkedHashMap<>();
                  for (int i = 0; i < Array.getLength(value); i++) {
                    bins.put(Integer.toString(i), ((Number) Array.get(value, i)).doubleValue());
                  }
                  histograms
                      .computeIfAbsent(key, k -> new LinkedHashMap<>())
                      .put("round " + round.round(), bins);
                } else {
                  scalars.add(key);
                }
              });
    }
    List<String> header = new ArrayList<>(List.of("round"));
    header.addAll(scalars);
    List<List<String>> rows = new ArrayList<>();
    for (RoundResult round : r.rounds()) {
      List<String> row = new ArrayList<>(List.of(Integer.toString(round.round())));
      Map<String, Object> m = round.pseudo().asMap();
      scalars.forEach(k -> row.add(format(m.get(k))));
      rows.add(row);
    }
    table(h, header, rows);
    histograms.forEach(
        (key, rounds) ->
            image(
                h,
                "pseudo-" + key,
                ReportCharts.bars(key + " per round", "bin or class", key, rounds)));
  }

  private static void pictures(StringBuilder h, List<Picture> pictures) {
    if (pictures.isEmpty()) {
      return;
    }
    h.append("<h3>Examples</h3>\n<div class=\"pictures\">\n");
    for (int i = 0; i < pictures.size(); i++) {
      Picture p = pictures.get(i);
      h.append("<figure><img id=\"picture-")
          .append(i)
          .append("\" alt=\"")
          .append(HTML.escape(p.caption()))
          .append("\" src=\"")
          .append(p.pngDataUri())
          .append("\"><figcaption>")
          .append(HTML.escape(p.caption()))
          .append("</figcaption></figure>\n");
    }
    h.append("</div>\n");
  }

  /** The page's head (title, inline style) and its heading. */
  static void openPage(StringBuilder h, String title) {
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(HTML.escape(title))
        .append("</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:2em;max-width:1100px}")
        .append("table{border-collapse:collapse;margin:0.5em 0 1.5em}")
        .append("td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}")
        .append("th:first-child,td:first-child{text-align:left}")
        .append("table.text td{text-align:left}")
        .append("img{display:block;margin:0.5em 0 1.5em;max-width:100%}")
        .append(".pictures{display:flex;flex-wrap:wrap;gap:12px}")
        .append("figure{margin:0;font-size:80%}figure img{margin:0 0 4px}")
        .append("\n</style>\n</head>\n<body>\n<h1>")
        .append(HTML.escape(title))
        .append("</h1>\n");
  }

  /**
   * Closes the page with its one inline script, which records on the body how many images decoded
   * ({@code data-images-loaded="k/n"}).
   */
  static void closePage(StringBuilder h) {
    h.append(
        "<script>\nwindow.addEventListener('load', function () {\n"
            + "  var images = Array.prototype.slice.call(document.images);\n"
            + "  var loaded = images.filter(function (i) { return i.complete && i.naturalWidth > 0; });\n"
            + "  document.body.setAttribute('data-images-loaded', loaded.length + '/' + images.length);\n"
            + "});\n</script>\n</body>\n</html>\n");
  }

  static String format(Object value) {
    if (value instanceof Double || value instanceof Float) {
      return String.format(Locale.ROOT, "%.4f", ((Number) value).doubleValue());
    }
    return HTML.escape(String.valueOf(value));
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.2f", 100 * fraction);
  }

  /** A two-column table of names and text values, left-aligned. */
  static void textTable(StringBuilder h, List<String> header, Map<String, String> values) {
    List<List<String>> rows = new ArrayList<>();
    values.forEach((k, v) -> rows.add(List.of(HTML.escape(k), HTML.escape(v))));
    table(h, "<table class=\"text\">", header, rows);
  }

  /** A table of numbers, right-aligned; cells are HTML already (escaped by the caller). */
  static void table(StringBuilder h, List<String> header, List<List<String>> rows) {
    table(h, "<table>", header, rows);
  }

  private static void table(
      StringBuilder h, String open, List<String> header, List<List<String>> rows) {
    h.append(open).append("\n<tr>");
    header.forEach(c -> h.append("<th>").append(HTML.escape(c)).append("</th>"));
    h.append("</tr>\n");
    for (List<String> row : rows) {
      h.append("<tr>");
      row.forEach(c -> h.append("<td>").append(c).append("</td>"));
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  static void image(StringBuilder h, String id, String dataUri) {
    h.append("<img id=\"plot-")
        .append(HTML.escape(id))
        .append("\" alt=\"")
        .append(HTML.escape(id))
        .append("\" src=\"")
        .append(dataUri)
        .append("\">\n");
  }
}
