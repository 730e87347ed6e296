package io.selftrain.examples;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.selftrain.Metrics;
import io.selftrain.core.PseudoSummary;
import io.selftrain.core.RoundResult;
import io.selftrain.core.SelfTrainingResult;
import java.util.Locale;
import java.util.function.Function;

/**
 * The {@code result.json} and the closing console table that {@code detect} and {@code segment}
 * share: the rounds (teacher, student, pseudo labels), the supervised control, the files and the
 * wall time, with the task's own metric fields.
 *
 * @param task the task's name in {@code result.json} and the table's title ("detection",
 *     "segmentation")
 * @param metric the headline metric's name in the table ("AP", "mIoU")
 * @param pseudoNoun what the pseudo labels are called in the table ("pseudo boxes", "pseudo masks")
 * @param header the table's header row and separator, one model per row after them
 * @param scores one model's metrics as JSON fields
 * @param cells one model's table cells after its name, each followed by " |"
 * @param pseudo one round's pseudo-label statistics as JSON fields
 */
record RunSummary(
    String task,
    String metric,
    String pseudoNoun,
    String header,
    Function<Metrics, JsonObject> scores,
    Function<Metrics, String> cells,
    Function<PseudoSummary, JsonObject> pseudo) {

  JsonObject json(
      SelfTrainingResult result,
      int labels,
      int unlabeled,
      String eval,
      JsonObject files,
      double wall) {
    JsonObject json = new JsonObject();
    json.addProperty("task", task);
    json.addProperty("labels", labels);
    json.addProperty("unlabeled", unlabeled);
    json.addProperty("seed", result.seed());
    json.addProperty("evaluatedOn", eval);
    JsonArray rounds = new JsonArray();
    for (RoundResult r : result.rounds()) {
      JsonObject round = new JsonObject();
      round.addProperty("round", r.round());
      round.add("teacher", scores.apply(r.teacher()));
      round.add("student", scores.apply(r.student()));
      round.add("pseudo", pseudo.apply(r.pseudo()));
      rounds.add(round);
    }
    json.add("rounds", rounds);
    json.add("baseline", result.control().map(scores).orElse(null));
    json.add("files", files);
    json.addProperty("wallSeconds", wall);
    return json;
  }

  String table(SelfTrainingResult result, String eval, double wall) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "%nSelf-training for %s (%s on the %s set, seed %d)%n",
            task,
            metric,
            eval,
            result.seed()));
    s.append(header);
    s.append(row("first teacher", result.firstTeacher()));
    for (RoundResult r : result.rounds()) {
      s.append(row("round " + r.round() + " student", r.student()));
    }
    result.control().ifPresent(c -> s.append(row("supervised control", c)));
    for (RoundResult r : result.rounds()) {
      s.append(String.format(Locale.ROOT, "round %d %s: %s%n", r.round(), pseudoNoun, r.pseudo()));
    }
    double gain = 100 * (result.finalStudent().value() - result.firstTeacher().value());
    s.append(
        String.format(Locale.ROOT, "final student %+.2f %s over the first teacher", gain, metric));
    result
        .control()
        .ifPresent(
            c ->
                s.append(
                    String.format(
                        Locale.ROOT,
                        ", %+.2f over the control",
                        100 * (result.finalStudent().value() - c.value()))));
    s.append(String.format(Locale.ROOT, "%nwall time %.0f s%n", wall));
    return s.toString();
  }

  private String row(String name, Metrics m) {
    return "| " + name + " | " + cells.apply(m) + "\n";
  }
}
