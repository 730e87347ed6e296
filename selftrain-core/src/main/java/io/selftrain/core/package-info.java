/**
 * The self-training round loop: start at {@link io.selftrain.core.SelfTraining}. Engine set-up lives in
 * {@link io.selftrain.core.Engines}.
 */
@io.selftrain.internal.ValueStyle
package io.selftrain.core;
