/**
 * The self-training round loop: start at {@link io.selftrain.core.SelfTraining}. One run, {@link
 * io.selftrain.core.SelfTrainingRun}, serves every task; {@link
 * io.selftrain.core.ClassificationRun} and {@link io.selftrain.core.DetectionRun} add their task's
 * labeler, batch encoding and metric (docs/architecture.md). Engine set-up lives in {@link
 * io.selftrain.core.Engines}.
 */
@io.selftrain.internal.ValueStyle
package io.selftrain.core;
