/**
 * The command line ({@code java -jar examples/target/selftrain-examples.jar <command>}): Noisy
 * Student self-training for classification, detection and segmentation on the benchmark data or a
 * user's own, plus model listing, augmentation grids and SavedModel teacher export; each command is
 * one class.
 */
package io.selftrain.examples;
