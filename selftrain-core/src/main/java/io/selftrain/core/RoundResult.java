package io.selftrain.core;

/**
 * One round: the teacher's and the student's top-1 on the validation set and what pseudo-labeling kept.
 *
 * @param round the round, from 1
 * @param teacherTop1 the teacher's top-1 accuracy, a fraction in [0, 1]
 * @param studentTop1 the student's top-1 accuracy, a fraction in [0, 1]
 * @param pseudo pseudo-label statistics
 */
public record RoundResult(int round, double teacherTop1, double studentTop1, PseudoLabelStats pseudo) {}
