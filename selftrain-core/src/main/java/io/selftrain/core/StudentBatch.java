package io.selftrain.core;

/**
 * How one student batch divides into human and pseudo-labeled examples.
 *
 * <p>By default the student schedule's batch size is split between them, {@code pseudoRatio} pseudo
 * examples per human one (a batch of 16 at ratio 1: 8 human + 8 pseudo), so a student's step costs
 * what its supervised control's does, but it sees fewer human examples per step. With {@code
 * pseudoOnTop} it is Noisy Student's layout (Xie et al. 2020; the official code's {@code
 * unlabel_ratio}, whose unlabeled batch is {@code unlabel_ratio} times the labeled one and comes on
 * top of it): the whole batch size of human examples, as many as the control's batch, plus {@code
 * pseudoRatio} times as many pseudo examples, so student and control see the same human examples
 * per step and the student's step costs {@code 1 + pseudoRatio} times as much.
 *
 * @param batchSize the schedule's batch size: a batch of human examples only (the supervised
 *     control's, or a student's whose teacher kept no pseudo label) holds this many
 * @param human human examples per batch (the first rows)
 * @param pseudo pseudo examples per batch (the rows after them)
 */
record StudentBatch(int batchSize, int human, int pseudo) {

  /**
   * The layout of a schedule's batches.
   *
   * @param batchSize the student schedule's batch size
   * @param pseudoRatio pseudo examples per human example, at least 1
   * @param pseudoOnTop whether the pseudo examples come on top of a full human batch
   * @return human and pseudo examples per batch
   */
  static StudentBatch of(int batchSize, int pseudoRatio, boolean pseudoOnTop) {
    if (pseudoOnTop) {
      return new StudentBatch(batchSize, batchSize, Math.multiplyExact(batchSize, pseudoRatio));
    }
    int pseudo =
        Math.min(
            batchSize - 1,
            Math.max(1, Math.round((float) batchSize * pseudoRatio / (pseudoRatio + 1))));
    return new StudentBatch(batchSize, batchSize - pseudo, pseudo);
  }

  /**
   * Steps of one pass over {@code pseudoCount} pseudo examples (the last batch wraps around).
   *
   * @param pseudoCount pseudo examples, positive
   * @return the steps
   */
  int stepsPerPass(int pseudoCount) {
    return (pseudoCount + pseudo - 1) / pseudo;
  }

  /**
   * Steps whose human examples pass over {@code labeled} ones {@code passes} times.
   *
   * @param passes passes over the labeled set
   * @param labeled labeled examples
   * @return the steps
   */
  long stepsForHumanPasses(int passes, int labeled) {
    return ((long) passes * labeled + human - 1) / human;
  }

  /**
   * For settings and logs.
   *
   * @return e.g. {@code "16 human + 16 pseudo"}
   */
  String describe() {
    return human + " human + " + pseudo + " pseudo";
  }
}
