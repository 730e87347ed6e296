/**
 * Trainable DJL blocks offered as self-training students and teachers. Start at {@link
 * io.selftrain.models.EfficientNet} (B0..B7, L2 and tiny variants) or {@link
 * io.selftrain.models.ConvNets} (CPU-sized classifiers for 28x28 images); {@link
 * io.selftrain.models.GradientGuard} stops training on non-finite gradients.
 */
@io.selftrain.internal.ValueStyle
package io.selftrain.models;
