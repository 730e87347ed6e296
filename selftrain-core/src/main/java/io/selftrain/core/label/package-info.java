/** Pseudo-label selection rules (Xie et al. 2020, Sec. 3.1; Zoph et al. 2020, Sec. 3). */
@io.selftrain.internal.ValueStyle
package io.selftrain.core.label;
