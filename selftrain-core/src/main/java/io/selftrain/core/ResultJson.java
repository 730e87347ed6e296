package io.selftrain.core;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/** The JSON form of a {@link SelfTrainingResult} (written as {@code result.json} in the work directory). */
public final class ResultJson {
  static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

  private ResultJson() {}

  /**
   * The result as JSON: {@code seed}, {@code settings}, {@code rounds} (round, teacher.top1, student.top1,
   * pseudo statistics), {@code control} ({@code {"top1": ...}} or null) and {@code wallSeconds}.
   *
   * @param result the result
   * @return a JSON object
   */
  public static JsonObject of(SelfTrainingResult result) {
    JsonObject json = new JsonObject();
    json.addProperty("seed", result.seed());
    json.add("settings", GSON.toJsonTree(result.settings()));
    JsonArray rounds = new JsonArray();
    for (RoundResult r : result.rounds()) {
      JsonObject round = new JsonObject();
      round.addProperty("round", r.round());
      round.add("teacher", top1(r.teacherTop1()));
      round.add("student", top1(r.studentTop1()));
      JsonObject pseudo = new JsonObject();
      pseudo.addProperty("pool", r.pseudo().pool());
      pseudo.addProperty("kept", r.pseudo().kept());
      pseudo.addProperty("unique", r.pseudo().unique());
      pseudo.add("perClass", GSON.toJsonTree(r.pseudo().perClass()));
      pseudo.addProperty("meanConfidence", r.pseudo().meanConfidence());
      pseudo.addProperty("teacherMeanConfidence", r.pseudo().teacherMeanConfidence());
      round.add("pseudo", pseudo);
      rounds.add(round);
    }
    json.add("rounds", rounds);
    json.add("control", result.controlTop1().isPresent() ? top1(result.controlTop1().getAsDouble()) : null);
    json.addProperty("wallSeconds", result.wallSeconds());
    return json;
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

  private static JsonObject top1(double value) {
    JsonObject o = new JsonObject();
    o.addProperty("top1", value);
    return o;
  }
}
