package io.selftrain;

/** The stages of a self-training round, in order, plus the optional supervised control. */
public enum Stage {
  /** Supervised training of the first teacher on the labeled data. */
  TEACHER_TRAINING,
  /** Un-noised teacher inference over the unlabeled pool and pseudo-label selection. */
  PSEUDO_LABELING,
  /** Training of a fresh, noised student on human and pseudo labels. */
  STUDENT_TRAINING,
  /** The student's exact recipe on the labeled data alone (what the pseudo labels add). */
  SUPERVISED_CONTROL
}
