package io.selftrain.models.detection;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * One merging node of a NAS-FPN cell (Ghiasi et al. 2019, "NAS-FPN: Learning Scalable Feature
 * Pyramid Architecture for Object Detection", arXiv 1904.07392), an entry {@code (block_level,
 * combine_fn, (input_offset0, input_offset1), is_output)} of the TF detection code's {@code
 * NASFPN_BLOCK_SPECS} ({@code modeling/architecture/nasfpn.py}).
 *
 * <p>A cell starts from the five features P3..P7 (indices 0..4); node {@code i} of the cell
 * (0-based) is appended as feature {@code 5 + i}. The node resamples its two inputs to {@link
 * #level()}, merges them with {@link #merge()}, adds (for an {@link #output()} node) every earlier
 * feature of the same level that no node has used yet, then applies ReLU, a 3x3 convolution and
 * batch norm.
 *
 * @param level pyramid level of the node's feature (stride {@code 2^level}), 3 to 7
 * @param merge how the two resampled inputs are combined
 * @param input0 index of the first input feature
 * @param input1 index of the second input feature
 * @param output whether unused same-level features are added to this node (TF {@code is_output});
 *     the cell's outputs are its last five nodes either way
 */
public record NasFpnNode(int level, Merge merge, int input0, int input1, boolean output) {
  /** How a node combines its two resampled inputs (TF {@code combine_fn}). */
  public enum Merge {
    /** {@code a + b} (TF {@code 'sum'}). */
    SUM,
    /**
     * Global attention (TF {@code 'attention'}, {@code global_attention}; the paper's "global
     * pooling" merge): {@code hi + lo * sigmoid(max over H, W of hi)}, where {@code hi} is the
     * input whose own level is the higher (coarser; the first input on a tie) and both are already
     * resampled to the node's level. NOTE: the pooling is the spatial maximum ({@code
     * tf.reduce_max}) as in the TF code, not an average.
     */
    ATTENTION
  }

  /** Checks the level range, the merge and the input indices' sign. */
  public NasFpnNode {
    checkNotNull(merge, "merge");
    checkArgument(
        level >= NasFpn.MIN_LEVEL && level <= NasFpn.MAX_LEVEL,
        "level must be in [3, 7]: %s",
        level);
    checkArgument(input0 >= 0, "input0 must be non-negative: %s", input0);
    checkArgument(input1 >= 0, "input1 must be non-negative: %s", input1);
  }
}
