package io.selftrain.core;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.selftrain.Metrics;
import io.selftrain.augment.AugmentPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The cells of a {@link Study} with their metrics, and the table Zoph et al. 2020 print (Tables
 * 2-6): each cell's metric averaged over seeds and its difference to random-init supervised
 * training with the same augmentation and labels.
 *
 * @param grid the study's axes
 * @param cells every cell run, in grid order
 */
public record StudyResult(Grid grid, List<Cell> cells) {
  /** Copies the list. */
  public StudyResult {
    cells = List.copyOf(cells);
  }

  /**
   * The axes of a study.
   *
   * @param inits initialisation names ({@link StudyInit#name()})
   * @param policies augmentation policies
   * @param labelFractions fractions of the labeled set
   * @param methods methods
   * @param seeds seeds
   */
  public record Grid(
      List<String> inits,
      List<AugmentPolicy> policies,
      List<Double> labelFractions,
      List<StudyMethod> methods,
      List<Long> seeds) {
    /** Copies the lists. */
    public Grid {
      inits = List.copyOf(inits);
      policies = List.copyOf(policies);
      labelFractions = List.copyOf(labelFractions);
      methods = List.copyOf(methods);
      seeds = List.copyOf(seeds);
    }

    /** Cells in the order the study runs them: seed, init, policy, fraction, method. */
    List<Cell> sorted(List<Cell> cells) {
      Comparator<Cell> order =
          Comparator.<Cell>comparingInt(c -> seeds.indexOf(c.cell().seed()))
              .thenComparingInt(c -> inits.indexOf(c.cell().init()))
              .thenComparingInt(c -> policies.indexOf(c.cell().policy()))
              .thenComparingInt(c -> labelFractions.indexOf(c.cell().labelFraction()))
              .thenComparingInt(c -> methods.indexOf(c.cell().method()));
      return cells.stream().sorted(order).toList();
    }
  }

  /**
   * One cell's outcome.
   *
   * @param cell the cell
   * @param metrics its model's metrics on the runs' validation set
   * @param wallSeconds wall time of the run it came from (two cells share a run)
   * @param run the run's work directory, relative to the study's folder
   * @param settings the run's settings
   */
  public record Cell(
      StudyCell cell,
      Metrics metrics,
      List<CurvePoint> curve,
      double wallSeconds,
      String run,
      Map<String, String> settings) {
    /** Copies the curve and the settings, sorted by name. */
    public Cell {
      curve = List.copyOf(curve);
      settings = java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
    }
  }

  /**
   * The model's primary metric on the validation set after some optimizer steps (recorded when the
   * runs score their control every epoch, {@link RunBuilder#controlCurve}).
   *
   * @param steps optimizer steps taken
   * @param value the primary metric
   */
  public record CurvePoint(long steps, double value) {
    /** Reads a point as runs and {@code study.json} record it: {@code [steps, value]}. */
    static CurvePoint fromJson(JsonElement point) {
      JsonArray a = point.getAsJsonArray();
      return new CurvePoint(a.get(0).getAsLong(), a.get(1).getAsDouble());
    }
  }

  /**
   * Pre-training's speed-up (Zoph et al. 2020: pre-training mostly buys speed, 1.3x to 8x fewer
   * steps): the steps supervised training from {@code init} needs to reach random-init supervised
   * training's final metric with the same policy, labels and seed (the first epoch whose score
   * reaches it), as a fraction of the steps random-init training took, averaged over seeds; above 1
   * when the other initialisation gets there only by training longer (a control follows its own
   * student's steps).
   *
   * @return the mean fraction, empty if a cell or its curve is missing or some seed never reaches
   *     the metric
   */
  public OptionalDouble stepsToMatchRandom(String init, AugmentPolicy policy, double fraction) {
    double sum = 0;
    int n = 0;
    for (long seed : grid.seeds()) {
      Cell random = find(StudyInit.random().name(), policy, fraction, StudyMethod.SUPERVISED, seed);
      Cell other = find(init, policy, fraction, StudyMethod.SUPERVISED, seed);
      if (random == null || other == null || other.curve().isEmpty() || random.curve().isEmpty()) {
        return OptionalDouble.empty();
      }
      double target = random.metrics().value();
      long total = random.curve().get(random.curve().size() - 1).steps();
      CurvePoint reached =
          other.curve().stream().filter(p -> p.value() >= target).findFirst().orElse(null);
      if (reached == null) {
        return OptionalDouble.empty();
      }
      sum += (double) reached.steps() / total;
      n++;
    }
    return n == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / n);
  }

  private Cell find(String init, AugmentPolicy policy, double fraction, StudyMethod m, long seed) {
    for (Cell c : cells) {
      StudyCell k = c.cell();
      if (k.init().equals(init)
          && k.policy() == policy
          && k.labelFraction() == fraction
          && k.method() == m
          && k.seed() == seed) {
        return c;
      }
    }
    return null;
  }

  /**
   * The mean over seeds of a cell's primary metric.
   *
   * @return the mean, empty if no such cell ran
   */
  public OptionalDouble mean(String init, AugmentPolicy policy, double fraction, StudyMethod m) {
    return cells.stream()
        .filter(
            c ->
                c.cell().init().equals(init)
                    && c.cell().policy() == policy
                    && c.cell().labelFraction() == fraction
                    && c.cell().method() == m)
        .mapToDouble(c -> c.metrics().value())
        .average();
  }

  /**
   * A cell's mean metric minus random-init supervised training's with the same policy and labels
   * (the paper's "difference to the baseline").
   *
   * @return the difference, empty if either cell did not run
   */
  public OptionalDouble gain(String init, AugmentPolicy policy, double fraction, StudyMethod m) {
    OptionalDouble cell = mean(init, policy, fraction, m);
    OptionalDouble base = mean(StudyInit.random().name(), policy, fraction, StudyMethod.SUPERVISED);
    return cell.isPresent() && base.isPresent()
        ? OptionalDouble.of(cell.getAsDouble() - base.getAsDouble())
        : OptionalDouble.empty();
  }

  /**
   * @return the primary metric's name, such as {@code ap}, or {@code metric} when no cell ran
   */
  public String metricName() {
    return cells.isEmpty() ? "metric" : cells.get(0).metrics().primary();
  }

  /**
   * The paper-style table in Markdown: one row per policy and label fraction, one column per
   * initialisation and method; each cell the mean metric in percent over the seeds and, but for
   * random-init supervised training itself, its difference to that in parentheses.
   *
   * @return the table
   */
  public String table() {
    StringBuilder t = new StringBuilder();
    markdown(t, header(), rows());
    if (showsSpeedUp()) {
      t.append(
              "\nSteps supervised training needs to reach random-init supervised training's final ")
          .append(metricName())
          .append(" (fraction of the random-init run's steps; n/r: not reached):\n\n");
      markdown(t, speedUpHeader(), speedUpRows());
    }
    return t.toString();
  }

  private static void markdown(StringBuilder t, List<String> header, List<List<String>> rows) {
    t.append("| ").append(String.join(" | ", header)).append(" |\n|---|");
    t.append("---:|".repeat(header.size() - 1)).append('\n');
    rows.forEach(row -> t.append("| ").append(String.join(" | ", row)).append(" |\n"));
  }

  /** The table's columns: augmentation, labels, then one per initialisation and method. */
  List<String> header() {
    List<String> header = new ArrayList<>(List.of("augmentation", "labels"));
    for (String init : grid.inits()) {
      for (StudyMethod m : grid.methods()) {
        header.add(init + " " + m.label());
      }
    }
    return header;
  }

  /**
   * The table's rows, one per policy and label fraction: each cell the mean metric in percent and,
   * but for random-init supervised training itself, its difference to that; "-" if it did not run.
   */
  List<List<String>> rows() {
    List<List<String>> rows = new ArrayList<>();
    for (AugmentPolicy policy : grid.policies()) {
      for (double fraction : grid.labelFractions()) {
        List<String> row = new ArrayList<>(List.of(policy.name(), labels(fraction)));
        for (String init : grid.inits()) {
          for (StudyMethod m : grid.methods()) {
            OptionalDouble value = mean(init, policy, fraction, m);
            OptionalDouble gain = gain(init, policy, fraction, m);
            boolean baseline =
                init.equals(StudyInit.random().name()) && m == StudyMethod.SUPERVISED;
            row.add(
                value.isEmpty()
                    ? "-"
                    : RunReport.percent(value.getAsDouble())
                        + (baseline || gain.isEmpty()
                            ? ""
                            : String.format(Locale.ROOT, " (%+.2f)", 100 * gain.getAsDouble())));
          }
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** Whether there is a speed-up to show: a non-random initialisation and supervised cells. */
  boolean showsSpeedUp() {
    return !otherInits().isEmpty() && grid.methods().contains(StudyMethod.SUPERVISED);
  }

  /** The initialisations other than random. */
  List<String> otherInits() {
    return grid.inits().stream().filter(i -> !i.equals(StudyInit.random().name())).toList();
  }

  /** The speed-up table's columns: augmentation, labels, one per non-random initialisation. */
  List<String> speedUpHeader() {
    List<String> header = new ArrayList<>(List.of("augmentation", "labels"));
    header.addAll(otherInits());
    return header;
  }

  /** The speed-up table's rows: {@link #stepsToMatchRandom} and the speed-up, or "n/r". */
  List<List<String>> speedUpRows() {
    List<List<String>> rows = new ArrayList<>();
    for (AugmentPolicy policy : grid.policies()) {
      for (double fraction : grid.labelFractions()) {
        List<String> row = new ArrayList<>(List.of(policy.name(), labels(fraction)));
        for (String init : otherInits()) {
          OptionalDouble f = stepsToMatchRandom(init, policy, fraction);
          row.add(
              f.isPresent()
                  ? String.format(Locale.ROOT, "%.2f (%.1fx)", f.getAsDouble(), 1 / f.getAsDouble())
                  : "n/r");
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** A label fraction as a percentage, such as {@code 50%} or {@code 12.5%}. */
  static String labels(double fraction) {
    double percent = 100 * fraction;
    return percent == Math.rint(percent)
        ? String.format(Locale.ROOT, "%.0f%%", percent)
        : String.format(Locale.ROOT, "%.1f%%", percent);
  }

  /**
   * @return the study as written to {@code study.json}
   */
  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("metric", metricName());
    JsonObject g = new JsonObject();
    g.add("inits", ResultJson.GSON.toJsonTree(grid.inits()));
    g.add("policies", ResultJson.GSON.toJsonTree(grid.policies()));
    g.add("labelFractions", ResultJson.GSON.toJsonTree(grid.labelFractions()));
    g.add("methods", ResultJson.GSON.toJsonTree(grid.methods()));
    g.add("seeds", ResultJson.GSON.toJsonTree(grid.seeds()));
    o.add("grid", g);
    JsonArray array = new JsonArray();
    for (Cell c : cells) {
      JsonObject cell = new JsonObject();
      cell.addProperty("init", c.cell().init());
      cell.addProperty("policy", c.cell().policy().name());
      cell.addProperty("labelFraction", c.cell().labelFraction());
      cell.addProperty("method", c.cell().method().name());
      cell.addProperty("seed", c.cell().seed());
      cell.addProperty("primary", c.metrics().primary());
      cell.add("metrics", ResultJson.GSON.toJsonTree(new TreeMap<>(c.metrics().values())));
      JsonArray curve = new JsonArray();
      for (CurvePoint p : c.curve()) {
        JsonArray point = new JsonArray();
        point.add(p.steps());
        point.add(p.value());
        curve.add(point);
      }
      cell.add("curve", curve);
      cell.addProperty("wallSeconds", c.wallSeconds());
      cell.addProperty("run", c.run());
      cell.add("settings", ResultJson.GSON.toJsonTree(c.settings()));
      array.add(cell);
    }
    o.add("cells", array);
    return o;
  }

  /** Reads what {@link #toJson()} wrote. */
  static StudyResult fromJson(JsonElement json) {
    JsonObject o = json.getAsJsonObject();
    JsonObject g = o.getAsJsonObject("grid");
    List<String> inits = new ArrayList<>();
    g.getAsJsonArray("inits").forEach(e -> inits.add(e.getAsString()));
    List<AugmentPolicy> policies = new ArrayList<>();
    g.getAsJsonArray("policies").forEach(e -> policies.add(AugmentPolicy.valueOf(e.getAsString())));
    List<Double> fractions = new ArrayList<>();
    g.getAsJsonArray("labelFractions").forEach(e -> fractions.add(e.getAsDouble()));
    List<StudyMethod> methods = new ArrayList<>();
    g.getAsJsonArray("methods").forEach(e -> methods.add(StudyMethod.valueOf(e.getAsString())));
    List<Long> seeds = new ArrayList<>();
    g.getAsJsonArray("seeds").forEach(e -> seeds.add(e.getAsLong()));
    List<Cell> cells = new ArrayList<>();
    for (JsonElement e : o.getAsJsonArray("cells")) {
      JsonObject c = e.getAsJsonObject();
      Map<String, Double> values = new LinkedHashMap<>();
      c.getAsJsonObject("metrics")
          .entrySet()
          .forEach(v -> values.put(v.getKey(), v.getValue().getAsDouble()));
      List<CurvePoint> curve = new ArrayList<>();
      c.getAsJsonArray("curve").forEach(p -> curve.add(CurvePoint.fromJson(p)));
      Map<String, String> settings = new TreeMap<>();
      c.getAsJsonObject("settings")
          .entrySet()
          .forEach(v -> settings.put(v.getKey(), v.getValue().getAsString()));
      cells.add(
          new Cell(
              new StudyCell(
                  c.get("init").getAsString(),
                  AugmentPolicy.valueOf(c.get("policy").getAsString()),
                  c.get("labelFraction").getAsDouble(),
                  StudyMethod.valueOf(c.get("method").getAsString()),
                  c.get("seed").getAsLong()),
              new Metrics(c.get("primary").getAsString(), values),
              curve,
              c.get("wallSeconds").getAsDouble(),
              c.get("run").getAsString(),
              settings));
    }
    return new StudyResult(new Grid(inits, policies, fractions, methods, seeds), cells);
  }
}
