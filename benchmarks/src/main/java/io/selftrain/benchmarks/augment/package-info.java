/**
 * JMH benchmarks of the augmentation policies Augment-S1..S4 (Zoph et al. 2020, Sec. 3.1) on CPU
 * and on the device, with and without boxes; {@code benchmarks/torchvision_peer.py} measures the
 * peer side by side.
 */
package io.selftrain.benchmarks.augment;
