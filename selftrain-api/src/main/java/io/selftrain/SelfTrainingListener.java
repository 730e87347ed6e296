package io.selftrain;

/**
 * Receives progress from a self-training run. All methods have empty defaults; implement what you
 * need. Calls come from the thread that runs {@code fit()}, or from the thread that trains the
 * supervised control alongside round 1's student; they never overlap.
 */
public interface SelfTrainingListener {
  /**
   * A stage starts (or is found complete on disk and skipped).
   *
   * @param round the round, from 1 (0 for the supervised control)
   * @param stage the stage
   * @param resumed whether the stage's output was read back from the work directory instead of
   *     computed
   */
  default void onStage(int round, Stage stage, boolean resumed) {}

  /**
   * A training epoch ended.
   *
   * @param report losses, throughput and time
   */
  default void onEpoch(EpochReport report) {}

  /**
   * Pseudo-labeling progressed.
   *
   * @param round the round
   * @param done images labeled so far
   * @param total images in the pool
   */
  default void onPseudoLabelProgress(int round, int done, int total) {}

  /**
   * A model was evaluated on the validation set.
   *
   * @param round the round (0 for the supervised control)
   * @param role "teacher", "student" or "control"
   * @param metrics the task's metrics: top-1 for classification, the COCO AP family for detection
   */
  default void onEvaluation(int round, String role, Metrics metrics) {}

  /**
   * A setting or an intermediate result that usually defeats self-training (a student trained far
   * shorter than its teacher, a pool smaller than the labeled set, pseudo labels that keep almost
   * nothing); the run goes on.
   *
   * @param message one line saying what is wrong and what to change
   */
  default void onWarning(String message) {}
}
