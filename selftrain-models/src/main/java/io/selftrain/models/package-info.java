/**
 * Trainable DJL blocks offered as self-training students and teachers. Start at
 * {@link io.selftrain.models.ConvNets} (CPU-sized classifiers for 28x28 images).
 */
@io.selftrain.internal.ValueStyle
package io.selftrain.models;
