package io.selftrain;

/**
 * What a model should predict for one image: a class ({@link ClassTarget}), boxes ({@link
 * BoxesTarget}) or a per-pixel class map ({@link MaskTarget}). Human labels and teacher pseudo
 * labels use the same types; {@link Origin} tells them apart.
 */
public sealed interface Target permits ClassTarget, BoxesTarget, MaskTarget {}
