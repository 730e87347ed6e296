package io.selftrain.core;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.selftrain.EpochReport;
import io.selftrain.SelfTrainingListener;
import io.selftrain.Stage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every finished epoch of a run, one JSON line each, appended to {@code epochs.jsonl} in the work
 * directory as it ends, so that the report ({@link RunReport}) shows the losses of stages that a
 * resumed run loaded instead of training. An epoch trained again after a crash is appended again;
 * {@link #read} keeps its last line. A line a crash cut short is skipped and counted.
 */
final class EpochLog implements SelfTrainingListener {
  /** The log's file name in the work directory. */
  static final String FILE = "epochs.jsonl";

  private final Path file;

  /** What {@link #read} found: the epochs in first-seen order and the damaged lines skipped. */
  record Contents(List<EpochReport> epochs, int damagedLines) {}

  EpochLog(Path workDir) {
    this.file = workDir.resolve(FILE);
  }

  @Override
  public synchronized void onEpoch(EpochReport r) {
    JsonObject line = new JsonObject();
    line.addProperty("round", r.round());
    line.addProperty("stage", r.stage().name());
    line.addProperty("epoch", r.epoch());
    line.addProperty("epochs", r.epochs());
    line.addProperty("humanLoss", r.humanLoss());
    line.addProperty("pseudoLoss", r.pseudoLoss());
    line.addProperty("learningRate", r.learningRate());
    line.addProperty("imagesPerSecond", r.imagesPerSecond());
    line.addProperty("seconds", r.seconds());
    if (!Double.isNaN(r.auxiliaryLoss())) {
      line.addProperty("auxiliaryLoss", r.auxiliaryLoss());
    }
    try {
      Files.writeString(
          file,
          line.toString() + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a work directory's log: one report per (round, stage, epoch), the last line written for
   * it.
   *
   * @param workDir the run's work directory
   * @return the epochs (none when the run logged none) and how many damaged lines were skipped
   * @throws IOException if the file exists but cannot be read
   */
  static Contents read(Path workDir) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(workDir.resolve(FILE), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new Contents(List.of(), 0);
    }
    Map<String, EpochReport> byEpoch = new LinkedHashMap<>();
    int damaged = 0;
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
        EpochReport r =
            new EpochReport(
                o.get("round").getAsInt(),
                Stage.valueOf(o.get("stage").getAsString()),
                o.get("epoch").getAsInt(),
                o.get("epochs").getAsInt(),
                o.get("humanLoss").getAsDouble(),
                o.get("pseudoLoss").getAsDouble(),
                o.get("learningRate").getAsDouble(),
                o.get("imagesPerSecond").getAsDouble(),
                o.get("seconds").getAsDouble(),
                o.has("auxiliaryLoss") ? o.get("auxiliaryLoss").getAsDouble() : Double.NaN);
        byEpoch.put(r.round() + "/" + r.stage() + "/" + r.epoch(), r);
      } catch (JsonParseException
          | IllegalStateException
          | IllegalArgumentException
          | NullPointerException
          | UnsupportedOperationException e) {
        damaged++;
      }
    }
    return new Contents(new ArrayList<>(byEpoch.values()), damaged);
  }
}
