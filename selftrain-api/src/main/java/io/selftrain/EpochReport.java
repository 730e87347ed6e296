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
    double seconds) {}
