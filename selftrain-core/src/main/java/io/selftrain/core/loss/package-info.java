/**
 * Combining the human-label and pseudo-label losses (Zoph et al. 2020, Appendix; Xie et al. 2020).
 */
@io.selftrain.internal.ValueStyle
package io.selftrain.core.loss;
