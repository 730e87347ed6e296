package io.selftrain.augment;

/**
 * One resolved step of an augmentation draw: every random choice already made, so applying the same
 * steps to the same example always gives the same image, boxes and mask. A draw is a {@code
 * List<AugmentStep>} returned by {@link PolicyAugmenter#sample} and replayed by {@link
 * PolicyAugmenter#apply}.
 */
public sealed interface AugmentStep permits OpParams, ResizeCrop {}
