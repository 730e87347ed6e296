package io.selftrain.core;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.selftrain.Metrics;

/**
 * The JSON form of a {@link SelfTrainingResult} (written as {@code result.json} in the work
 * directory).
 */
public final class ResultJson {
  static final Gson GSON =
      new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

  private ResultJson() {}

  /**
   * The result as JSON: {@code task}, {@code seed}, {@code settings}, {@code rounds} (round, the
   * teacher's and the student's metrics, pseudo statistics), {@code control} (its metrics or null)
   * and {@code wallSeconds}.
   *
   * @param result the result
   * @return a JSON object
   */
  public static JsonObject of(SelfTrainingResult result) {
    JsonObject json = new JsonObject();
    json.addProperty("task", result.task());
    json.addProperty("seed", result.seed());
    json.add("settings", GSON.toJsonTree(result.settings()));
    JsonArray rounds = new JsonArray();
    for (RoundResult r : result.rounds()) {
      JsonObject round = new JsonObject();
      round.addProperty("round", r.round());
      round.add("teacher", metrics(r.teacher()));
      round.add("student", metrics(r.student()));
      round.add("pseudo", GSON.toJsonTree(r.pseudo().asMap()));
      rounds.add(round);
    }
    json.add("rounds", rounds);
    json.add("control", result.control().map(ResultJson::metrics).orElse(null));
    json.addProperty("wallSeconds", result.wallSeconds());
    return json;
  }

  /**
   * Metrics as a JSON object of their values by name.
   *
   * @param metrics the metrics
   * @return a JSON object
   */
  public static JsonObject metrics(Metrics metrics) {
    JsonObject o = new JsonObject();
    metrics.values().forEach(o::addProperty);
    return o;
  }

  /**
   * Pretty-printed JSON text.
   *
   * @param json the object
   * @return the text
   */
  public static String toText(JsonObject json) {
    return GSON.toJson(json);
  }
}
