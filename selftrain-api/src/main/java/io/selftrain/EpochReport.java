package io.selftrain;

/**
 * Progress of one training epoch.
 *
 * @param round the round, from 1 (0 for the supervised control)
 * @param stage the training stage
 * @param epoch the epoch, from 1
 * @param epochs epochs in this stage
 * @param humanLoss mean loss on human-labeled examples
 * @param pseudoLoss mean loss on pseudo-labeled examples (NaN when the stage has none)
 * @param learningRate the learning rate at the end of the epoch
 * @param imagesPerSecond training throughput
 * @param seconds wall time of the epoch
 * @param auxiliaryLoss mean auxiliary classification loss of joint training (Zoph et al. 2020, Sec.
 *     6), unweighted; NaN when the stage trains on its task alone
 */
public record EpochReport(
    int round,
    Stage stage,
    int epoch,
    int epochs,
    double humanLoss,
    double pseudoLoss,
    double learningRate,
    double imagesPerSecond,
    double seconds,
    double auxiliaryLoss) {

  /**
   * A report of a stage without joint training ({@link #auxiliaryLoss} NaN).
   *
   * @param round the round, from 1 (0 for the supervised control)
   * @param stage the training stage
   * @param epoch the epoch, from 1
   * @param epochs epochs in this stage
   * @param humanLoss mean loss on human-labeled examples
   * @param pseudoLoss mean loss on pseudo-labeled examples (NaN when the stage has none)
   * @param learningRate the learning rate at the end of the epoch
   * @param imagesPerSecond training throughput
   * @param seconds wall time of the epoch
   */
  public EpochReport(
      int round,
      Stage stage,
      int epoch,
      int epochs,
      double humanLoss,
      double pseudoLoss,
      double learningRate,
      double imagesPerSecond,
      double seconds) {
    this(
        round,
        stage,
        epoch,
        epochs,
        humanLoss,
        pseudoLoss,
        learningRate,
        imagesPerSecond,
        seconds,
        Double.NaN);
  }
}
