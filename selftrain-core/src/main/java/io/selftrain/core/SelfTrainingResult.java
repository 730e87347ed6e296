package io.selftrain.core;

import io.selftrain.Metrics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The outcome of a run with its provenance.
 *
 * @param task "classification" or "detection"
 * @param seed the run's seed
 * @param settings every setting that shaped the run (models, noise, schedules, labeler, loss rule)
 * @param rounds per-round teacher and student metrics
 * @param control the supervised control's metrics (the student's recipe on labeled data only), if
 *     run
 * @param wallSeconds wall time of {@code fit()}, including stages read back from the work directory
 */
public record SelfTrainingResult(
    String task,
    long seed,
    Map<String, String> settings,
    List<RoundResult> rounds,
    Optional<Metrics> control,
    double wallSeconds) {
  /** Copies the collections. */
  public SelfTrainingResult {
    settings = Map.copyOf(settings);
    rounds = List.copyOf(rounds);
  }

  /**
   * @return the first teacher's metrics
   */
  public Metrics firstTeacher() {
    return rounds.get(0).teacher();
  }

  /**
   * @return the last student's metrics
   */
  public Metrics finalStudent() {
    return rounds.get(rounds.size() - 1).student();
  }

  /**
   * @return the first teacher's top-1 (classification)
   */
  public double firstTeacherTop1() {
    return rounds.get(0).teacherTop1();
  }

  /**
   * @return the last student's top-1 (classification)
   */
  public double finalStudentTop1() {
    return rounds.get(rounds.size() - 1).studentTop1();
  }

  /**
   * @return the supervised control's top-1, if run (classification)
   */
  public OptionalDouble controlTop1() {
    return control.map(m -> OptionalDouble.of(m.get("top1"))).orElse(OptionalDouble.empty());
  }
}
