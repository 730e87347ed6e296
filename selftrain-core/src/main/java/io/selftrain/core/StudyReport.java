package io.selftrain.core;

import com.google.common.escape.Escaper;
import com.google.common.html.HtmlEscapers;
import io.selftrain.augment.AugmentPolicy;
import io.selftrain.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A study's {@code report.html}, self-contained like {@link RunReport}'s: the paper-style table
 * (Zoph et al. 2020, Tables 2-6: each cell's metric and its difference to random-init supervised
 * training), plots of that difference against augmentation strength and against the label fraction
 * per initialisation and method, every cell with its run (linked to the run's own report) and wall
 * time, and provenance.
 */
final class StudyReport {
  private static final Escaper HTML = HtmlEscapers.htmlEscaper();

  private StudyReport() {}

  static Path write(Path dir, StudyResult result) throws IOException {
    Path file = dir.resolve(Study.REPORT);
    String html = html(result, dir);
    AtomicFiles.write(file, out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
    return file;
  }

  static String html(StudyResult r, Path dir) {
    StringBuilder h = new StringBuilder(1 << 16);
    RunReport.openPage(h, "selftrain study: pre-training, self-training and joint training");
    String metric = r.metricName();
    h.append("<p>")
        .append(r.cells().size())
        .append(" cells; metric: ")
        .append(HTML.escape(metric))
        .append(" in percent on the runs' scored set (their validation examples), mean over ")
        .append(r.grid().seeds().size())
        .append(
            " seed(s); in parentheses the difference to random-init supervised training with the")
        .append(" same augmentation and labels (Zoph et al. 2020, Tables 2-6).</p>\n");
    h.append("<h2>Table</h2>\n");
    RunReport.table(h, r.header(), escaped(r.rows()));
    h.append("<h2>Gain over random-init supervised training</h2>\n");
    if (r.grid().policies().size() > 1) {
      RunReport.image(
          h,
          "gain-by-augmentation",
          ReportCharts.lines(
              "Gain against augmentation strength",
              "augmentation (1 = S1 ... 4 = S4)",
              metric + " gain (points)",
              series(r, true)));
    }
    if (r.grid().labelFractions().size() > 1) {
      RunReport.image(
          h,
          "gain-by-labels",
          ReportCharts.lines(
              "Gain against the fraction of labels",
              "labels (% of the labeled set)",
              metric + " gain (points)",
              series(r, false)));
    }
    if (r.grid().policies().size() == 1 && r.grid().labelFractions().size() == 1) {
      h.append("<p>One augmentation and one label fraction: the table is the whole story.</p>\n");
    }
    if (r.showsSpeedUp()) {
      h.append("<h2>Pre-training's speed-up</h2>\n<p>The fraction of its steps supervised training")
          .append(
              " from each initialisation needs to reach random-init supervised training's final ")
          .append(HTML.escape(metric))
          .append(
              " (first epoch that reaches it; n/r: never reached), and the speed-up it means.</p>\n");
      RunReport.table(h, r.speedUpHeader(), escaped(r.speedUpRows()));
      Map<String, List<double[]>> curves = curves(r);
      if (!curves.isEmpty()) {
        RunReport.image(
            h,
            "supervised-curves",
            ReportCharts.lines(
                "Supervised training: " + metric + " on validation by step (first seed)",
                "optimizer steps",
                metric + " (%)",
                curves));
      }
    }
    h.append("<h2>Cells</h2>\n");
    cells(h, r, dir);
    h.append("<h2>Grid</h2>\n");
    Map<String, String> axes = new LinkedHashMap<>();
    axes.put("initialisation", String.join(", ", r.grid().inits()));
    axes.put("augmentation", r.grid().policies().toString());
    axes.put("label fractions", r.grid().labelFractions().toString());
    axes.put("methods", r.grid().methods().stream().map(StudyMethod::label).toList().toString());
    axes.put("seeds", r.grid().seeds().toString());
    RunReport.textTable(h, List.of("axis", "values"), axes);
    h.append("<h2>Provenance</h2>\n");
    RunReport.textTable(h, List.of("", ""), RunReport.provenance(dir));
    RunReport.closePage(h);
    return h.toString();
  }

  /**
   * One series per initialisation, method and label fraction (over policies) or policy (over
   * fractions), random-init supervised training excluded (its gain is 0 by definition).
   */
  private static Map<String, List<double[]>> series(StudyResult r, boolean byPolicy) {
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    for (String init : r.grid().inits()) {
      for (StudyMethod m : r.grid().methods()) {
        if (init.equals(StudyInit.random().name()) && m == StudyMethod.SUPERVISED) {
          continue;
        }
        List<?> fixed = byPolicy ? r.grid().labelFractions() : r.grid().policies();
        for (Object other : fixed) {
          String name =
              init
                  + " "
                  + m.label()
                  + (byPolicy
                      ? ", " + StudyResult.labels((Double) other) + " labels"
                      : ", " + other);
          List<double[]> points = new ArrayList<>();
          if (byPolicy) {
            for (AugmentPolicy policy : r.grid().policies()) {
              OptionalDouble gain = r.gain(init, policy, (Double) other, m);
              if (gain.isPresent()) {
                points.add(new double[] {policy.ordinal() + 1, 100 * gain.getAsDouble()});
              }
            }
          } else {
            for (double fraction : r.grid().labelFractions()) {
              OptionalDouble gain = r.gain(init, (AugmentPolicy) other, fraction, m);
              if (gain.isPresent()) {
                points.add(new double[] {100 * fraction, 100 * gain.getAsDouble()});
              }
            }
          }
          if (!points.isEmpty()) {
            series.put(name, points);
          }
        }
      }
    }
    return series;
  }

  /**
   * The supervised cells' curves of the first seed, one series per initialisation, policy,
   * fraction.
   */
  private static Map<String, List<double[]>> curves(StudyResult r) {
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    long seed = r.grid().seeds().get(0);
    for (StudyResult.Cell c : r.cells()) {
      StudyCell k = c.cell();
      if (k.method() != StudyMethod.SUPERVISED || k.seed() != seed || c.curve().isEmpty()) {
        continue;
      }
      List<double[]> points = new ArrayList<>();
      c.curve().forEach(p -> points.add(new double[] {p.steps(), 100 * p.value()}));
      series.put(
          k.init() + ", " + k.policy() + ", " + StudyResult.labels(k.labelFraction()) + " labels",
          points);
    }
    return series;
  }

  /** Text cells as HTML ({@link RunReport#table} takes HTML). */
  private static List<List<String>> escaped(List<List<String>> rows) {
    return rows.stream().map(row -> row.stream().map(HTML::escape).toList()).toList();
  }

  private static void cells(StringBuilder h, StudyResult r, Path dir) {
    List<List<String>> rows = new ArrayList<>();
    for (StudyResult.Cell c : r.cells()) {
      String report = c.run() + "/" + RunReport.FILE;
      String run =
          Files.isRegularFile(dir.resolve(report))
              ? "<a href=\"" + HTML.escape(report) + "\">" + HTML.escape(c.run()) + "</a>"
              : HTML.escape(c.run());
      rows.add(
          List.of(
              HTML.escape(c.cell().init()),
              c.cell().policy().name(),
              StudyResult.labels(c.cell().labelFraction()),
              c.cell().method().label(),
              Long.toString(c.cell().seed()),
              RunReport.percent(c.metrics().value()),
              String.format(Locale.ROOT, "%.0f", c.wallSeconds()),
              run));
    }
    RunReport.table(
        h,
        List.of("init", "augmentation", "labels", "method", "seed", r.metricName(), "run s", "run"),
        rows);
  }
}
