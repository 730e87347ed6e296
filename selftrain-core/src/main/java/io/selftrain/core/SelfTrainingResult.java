package io.selftrain.core;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The outcome of a run with its provenance.
 *
 * @param seed the run's seed
 * @param settings every setting that shaped the run (models, noise, schedules, labeler, loss rule)
 * @param rounds per-round teacher and student metrics
 * @param controlTop1 the supervised control's top-1 (the student's recipe on labeled data only), if run
 * @param wallSeconds wall time of {@code fit()}, including stages read back from the work directory
 */
public record SelfTrainingResult(
    long seed, Map<String, String> settings, List<RoundResult> rounds, OptionalDouble controlTop1, double wallSeconds) {
  /** Copies the collections. */
  public SelfTrainingResult {
    settings = Map.copyOf(settings);
    rounds = List.copyOf(rounds);
  }

  /** @return the first teacher's top-1 */
  public double firstTeacherTop1() {
    return rounds.get(0).teacherTop1();
  }

  /** @return the last student's top-1 */
  public double finalStudentTop1() {
    return rounds.get(rounds.size() - 1).studentTop1();
  }
}
