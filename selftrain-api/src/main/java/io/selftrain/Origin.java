package io.selftrain;

/** Where a target came from: a person (ground truth) or a teacher (pseudo label). */
public enum Origin {
  /** A human label from the labeled set. */
  HUMAN,
  /** A pseudo label produced by a teacher on an unlabeled image. */
  PSEUDO
}
