package io.selftrain.core;

/**
 * How a cell of a {@link Study} trains its model, the methods Zoph et al. 2020 compare (Sec. 4-6):
 * each with any initialisation ({@link StudyInit}), so pre-training combines with every one of
 * them.
 */
public enum StudyMethod {
  /** Supervised training on the labeled data (the run's supervised control). */
  SUPERVISED(false, false),
  /** Self-training: the student on human and pseudo labels (the run's final student). */
  SELF_TRAINING(true, false),
  /**
   * Joint training with the auxiliary classification dataset, without pseudo labels (the control of
   * a run with {@link JointTraining}).
   */
  JOINT_TRAINING(false, true),
  /** Joint training and self-training together (the student of a run with joint training). */
  JOINT_AND_SELF_TRAINING(true, true);

  private final boolean selfTraining;
  private final boolean joint;

  StudyMethod(boolean selfTraining, boolean joint) {
    this.selfTraining = selfTraining;
    this.joint = joint;
  }

  /**
   * @return whether the model learns from pseudo labels
   */
  public boolean selfTraining() {
    return selfTraining;
  }

  /**
   * @return whether the model also learns the auxiliary dataset
   */
  public boolean joint() {
    return joint;
  }

  /**
   * @return the name in tables and folders, such as {@code self-training}
   */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
