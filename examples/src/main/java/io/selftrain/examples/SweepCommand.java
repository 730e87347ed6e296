package io.selftrain.examples;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.selftrain.core.ResultJson;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code sweep}: the {@code classify} recipe over several label counts and seeds, each cell an
 * ordinary run with the supervised control, then one table (JSON and markdown) of teacher, student
 * and control per cell and their means per label count over the seeds: anyone can re-measure the
 * claim that self-training helps at every data size (Zoph et al. 2020, Sec. 5). Cells whose result
 * file exists are read back, so an interrupted sweep resumes where it stopped.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description =
        "the classify recipe over label counts and seeds (with the supervised control); one table",
    footer = {
      "",
      "Other options are passed to every classify run, e.g. --dataset mnist --min-warmup 20."
    })
final class SweepCommand implements Callable<Integer> {
  @Option(
      names = "--labels",
      paramLabel = "N,N...",
      split = ",",
      defaultValue = "250,1000,4000",
      description = "label counts [${DEFAULT-VALUE}]")
  List<Integer> labels;

  @Option(
      names = "--seeds",
      paramLabel = "S,S...",
      split = ",",
      defaultValue = "0,1",
      description = "seeds [${DEFAULT-VALUE}]")
  List<Long> seeds;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = "runs/sweep",
      description = "one folder per cell: its work directory and result [${DEFAULT-VALUE}]")
  Path dir;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      defaultValue = "sweep.json",
      description =
          "the table as JSON; the markdown table is written beside it (.md)"
              + " [${DEFAULT-VALUE}]")
  Path out;

  @Unmatched List<String> classifyOptions = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    for (int n : labels) {
      if (n < 1) {
        throw new IllegalArgumentException("sweep: --labels must be positive: " + n);
      }
    }
    for (String option : classifyOptions) {
      if (List.of("--labels", "--seed", "--out", "--work-dir", "--baseline").contains(option)) {
        throw new IllegalArgumentException(
            "sweep: " + option + " is set per cell; use --labels, --seeds and --dir");
      }
    }
    CliPaths.writableFile("--out", out);
    JsonArray cells = new JsonArray();
    for (int n : labels) {
      for (long seed : seeds) {
        cells.add(cell(n, seed));
      }
    }
    JsonObject table = new JsonObject();
    JsonArray options = new JsonArray();
    classifyOptions.forEach(options::add);
    table.add("options", options);
    table.add("cells", cells);
    table.add("means", means(cells));
    AtomicFiles.write(
        out, stream -> stream.write(ResultJson.toText(table).getBytes(StandardCharsets.UTF_8)));
    String markdown = markdown(table);
    Path md = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
    AtomicFiles.write(md, stream -> stream.write(markdown.getBytes(StandardCharsets.UTF_8)));
    System.out.print(markdown);
    System.err.println("wrote " + out + " and " + md);
    return 0;
  }

  /** One run, or its result read back. */
  private JsonObject cell(int n, long seed) throws IOException {
    Path cellDir = dir.resolve(String.format(Locale.ROOT, "labels-%d-s%d", n, seed));
    Path result = cellDir.resolve("result.json");
    if (!Files.exists(result)) {
      List<String> args = new ArrayList<>(classifyOptions);
      args.addAll(
          List.of(
              "--labels",
              Integer.toString(n),
              "--seed",
              Long.toString(seed),
              "--baseline",
              "--work-dir",
              cellDir.resolve("run").toString(),
              "--out",
              result.toString()));
      System.err.printf(Locale.ROOT, "sweep: %d labels, seed %d%n", n, seed);
      ClassifyCommand.run(args);
    } else {
      System.err.printf(Locale.ROOT, "sweep: %d labels, seed %d: done (%s)%n", n, seed, result);
    }
    JsonObject run = JsonParser.parseString(Files.readString(result)).getAsJsonObject();
    JsonArray rounds = run.getAsJsonArray("rounds");
    JsonObject first = rounds.get(0).getAsJsonObject();
    JsonObject last = rounds.get(rounds.size() - 1).getAsJsonObject();
    JsonObject cell = new JsonObject();
    cell.addProperty("labels", n);
    cell.addProperty("seed", seed);
    cell.addProperty("teacher", top1(first, "teacher"));
    cell.addProperty("student", top1(last, "student"));
    cell.addProperty("control", run.getAsJsonObject("control").get("top1").getAsDouble());
    cell.addProperty("wallSeconds", run.get("wallSeconds").getAsDouble());
    return cell;
  }

  private static double top1(JsonObject round, String role) {
    return round.getAsJsonObject(role).get("top1").getAsDouble();
  }

  /** Per label count, the mean over the seeds of each figure and of the two gains. */
  private static JsonArray means(JsonArray cells) {
    Map<Integer, List<JsonObject>> byLabels = new LinkedHashMap<>();
    for (var element : cells) {
      JsonObject c = element.getAsJsonObject();
      byLabels.computeIfAbsent(c.get("labels").getAsInt(), k -> new ArrayList<>()).add(c);
    }
    JsonArray out = new JsonArray();
    byLabels.forEach(
        (n, group) -> {
          JsonObject mean = new JsonObject();
          mean.addProperty("labels", n);
          mean.addProperty("seeds", group.size());
          for (String key : List.of("teacher", "student", "control", "wallSeconds")) {
            mean.addProperty(
                key, group.stream().mapToDouble(c -> c.get(key).getAsDouble()).average().orElse(0));
          }
          mean.addProperty(
              "studentMinusTeacher",
              mean.get("student").getAsDouble() - mean.get("teacher").getAsDouble());
          mean.addProperty(
              "studentMinusControl",
              mean.get("student").getAsDouble() - mean.get("control").getAsDouble());
          out.add(mean);
        });
    return out;
  }

  /** The README's table: one row per cell, then the mean per label count. */
  static String markdown(JsonObject table) {
    StringBuilder s = new StringBuilder();
    s.append(
        "| labels | seed | first teacher | student | student - teacher | control | student - control | wall time |\n");
    s.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (var element : table.getAsJsonArray("cells")) {
      JsonObject c = element.getAsJsonObject();
      s.append(row(c.get("labels").getAsInt(), c.get("seed").getAsString(), c));
    }
    for (var element : table.getAsJsonArray("means")) {
      JsonObject m = element.getAsJsonObject();
      s.append(row(m.get("labels").getAsInt(), "mean", m));
    }
    return s.toString();
  }

  private static String row(int labels, String seed, JsonObject c) {
    double teacher = 100 * c.get("teacher").getAsDouble();
    double student = 100 * c.get("student").getAsDouble();
    double control = 100 * c.get("control").getAsDouble();
    return String.format(
        Locale.ROOT,
        "| %d | %s | %.2f%% | %.2f%% | %+.2f | %.2f%% | %+.2f | %.0f s |%n",
        labels,
        seed,
        teacher,
        student,
        student - teacher,
        control,
        student - control,
        c.get("wallSeconds").getAsDouble());
  }
}
