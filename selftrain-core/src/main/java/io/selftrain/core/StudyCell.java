package io.selftrain.core;

import io.selftrain.augment.AugmentPolicy;
import java.util.Locale;

/**
 * One cell of a {@link Study}'s grid: initialisation, augmentation policy, fraction of the labeled
 * set, method and seed (Zoph et al. 2020, Tables 2-6, vary the first four).
 *
 * @param init the initialisation's name ({@link StudyInit#name()})
 * @param policy the augmentation of every model of the cell
 * @param labelFraction the fraction of the labeled set the cell trains on, in (0, 1]
 * @param method how the cell's model trains
 * @param seed the run's seed
 */
public record StudyCell(
    String init, AugmentPolicy policy, double labelFraction, StudyMethod method, long seed) {
  /**
   * The work directory name of the run this cell's model comes from: supervised and self-training
   * cells share one run (its control and its student), joint cells another.
   *
   * @return for instance {@code random-S1-f050-plain-s0}
   */
  public String runName() {
    return String.format(
        Locale.ROOT,
        "%s-%s-f%03d-%s-s%d",
        init,
        policy,
        Math.round(labelFraction * 100),
        method.joint() ? "joint" : "plain",
        seed);
  }
}
