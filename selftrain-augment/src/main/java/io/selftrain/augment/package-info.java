/**
 * Augmentation for self-training: seeded, per-example operations that move targets with pixels
 * (Zoph et al. 2020, Sec. 3.1, Augment-S1..S4). Start at {@link io.selftrain.augment.Augmenters}.
 */
@io.selftrain.internal.ValueStyle
package io.selftrain.augment;
