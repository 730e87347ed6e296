/**
 * The vocabulary of selftrain: images, targets (classes, boxes, masks), examples with their origin,
 * and the four roles of self-training (Zoph et al. 2020, "Rethinking Pre-training and
 * Self-training"; Xie et al. 2020, "Self-training with Noisy Student improves ImageNet
 * classification"): {@link io.selftrain.Teacher}, {@link io.selftrain.PseudoLabeler}, {@link
 * io.selftrain.Augmenter} and {@link io.selftrain.Student}.
 */
package io.selftrain;
