/**
 * JMH benchmarks of the models: forward passes and training steps of the EfficientNet students, and
 * a matrix product measuring the machine's peak multiply-add rate for comparison.
 */
package io.selftrain.benchmarks.models;
