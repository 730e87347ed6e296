package io.selftrain.models.detection;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.nn.Block;
import io.selftrain.models.detection.NasFpnNode.Merge;
import java.util.List;

/**
 * NAS-FPN (Ghiasi et al. 2019, "NAS-FPN: Learning Scalable Feature Pyramid Architecture for Object
 * Detection", arXiv 1904.07392), the feature pyramid found by architecture search, as the TF
 * detection code builds it ({@code modeling/architecture/nasfpn.py}, class {@code Nasfpn}). It is
 * the neck of RetinaNet ({@link RetinaNetConfig.Neck#NAS_FPN}) and of the self-training paper's
 * segmentation model (Zoph et al. 2020; {@code io.selftrain.models.segmentation.Segmentation}).
 *
 * <pre>{@code
 * Block neck = NasFpn.block(NasFpnConfig.builder().build(), EfficientNet.featureChannels(EfficientNet.b0()));
 * // input: the backbone's C3, C4, C5 (strides 8, 16, 32); output: P3 .. P7, 256 channels each
 * }</pre>
 *
 * <h2>Input pyramid</h2>
 *
 * P3..P5 are the backbone's C3..C5 brought to {@code channels} by a 1x1 convolution and batch norm
 * (only when their channel count differs); P6 and P7 are P5 and P6 max-pooled with window and
 * stride 2 (TF {@code resample_feature_map}: levels the backbone lacks are "added by downsampling
 * the last feature map").
 *
 * <h2>Cell</h2>
 *
 * Each of {@code numRepeats} cells maps P3..P7 to new P3..P7 through its {@linkplain NasFpnNode
 * nodes}. Resampling to a node's level (TF {@code resample_feature_map}): max pooling with window
 * and stride {@code 2^k} down, nearest-neighbour upsampling by {@code 2^k} up (channels are equal
 * inside a cell, so no 1x1 convolution). After the merge: ReLU, 3x3 convolution (with bias), batch
 * norm without activation (TF {@code op_after_combine}: {@code self._activation(new_node)}, then
 * {@code block_group} with {@code block_fn='conv'}: conv, {@code
 * batch_norm_activation(relu=False)}). The cell's last five nodes, ordered by level, are its
 * output. No dropblock, no drop connect (TF defaults).
 *
 * <h2>Sizes</h2>
 *
 * Max pooling uses TF {@code SAME} padding, so P6 and P7 have {@code ceil(size / 2)} cells, and
 * upsampled maps are cropped to the finer level's size. For inputs that are multiples of 128 this
 * is exactly TF; for smaller ones (a 64x64 image has P6 and P7 of 1x1) it keeps the cell well
 * defined where TF would fail on mismatched shapes. NOTE: not in TF.
 *
 * <h2>Not in the paper</h2>
 *
 * Weights start from DJL's default initializers (TF: Glorot uniform).
 */
public final class NasFpn {
  /** The finest pyramid level of a cell (stride 8). */
  public static final int MIN_LEVEL = 3;

  /** The coarsest pyramid level of a cell (stride 128). */
  public static final int MAX_LEVEL = 7;

  static final int NUM_LEVELS = MAX_LEVEL - MIN_LEVEL + 1;

  /** The number of backbone endpoints the block takes, C3..C5. */
  static final int NUM_INPUTS = 3;

  /** The searched cell, TF {@code NASFPN_BLOCK_SPECS}. */
  private static final List<NasFpnNode> CELL =
      List.of(
          // level, merge, inputs, is_output; inputs 0..4 are P3..P7, node i is feature 5 + i
          new NasFpnNode(4, Merge.ATTENTION, 1, 3, false), // 5: P4, P6
          new NasFpnNode(4, Merge.SUM, 1, 5, false), //       6: P4, 5
          new NasFpnNode(3, Merge.SUM, 0, 6, true), //        7: P3, 6        -> output P3
          new NasFpnNode(4, Merge.SUM, 6, 7, true), //        8: 6, 7         -> output P4
          new NasFpnNode(5, Merge.ATTENTION, 7, 8, true), //  9: 7, 8 (+ P5)  -> output P5
          new NasFpnNode(7, Merge.ATTENTION, 6, 9, true), // 10: 6, 9 (+ P7)  -> output P7
          new NasFpnNode(6, Merge.ATTENTION, 9, 10, true)); // 11: 9, 10      -> output P6

  private NasFpn() {}

  /**
   * The seven merging nodes of the searched cell (Ghiasi et al. 2019), as TF {@code
   * NASFPN_BLOCK_SPECS} ({@code modeling/architecture/nasfpn.py}; reference/paper-spec.md section
   * 7):
   *
   * <pre>
   * feature  level  merge      inputs   output
   *  5       4      attention  (1, 3)   no
   *  6       4      sum        (1, 5)   no
   *  7       3      sum        (0, 6)   yes
   *  8       4      sum        (6, 7)   yes
   *  9       5      attention  (7, 8)   yes   (+ P5, unused so far)
   * 10       7      attention  (6, 9)   yes   (+ P7, unused so far)
   * 11       6      attention  (9, 10)  yes
   * </pre>
   *
   * @return the nodes, immutable
   */
  public static List<NasFpnNode> cell() {
    return CELL;
  }

  /**
   * The network: inputs the backbone's C3, C4, C5 (batch, c_l, H_l, W_l) at strides 8, 16, 32;
   * outputs P3..P7 (batch, channels, H_l, W_l), finest first, with {@code H_6 = ceil(H_5 / 2)} and
   * {@code H_7 = ceil(H_6 / 2)}.
   *
   * @param config the pyramid
   * @param inputChannels channels of C3, C4 and C5 ({@code EfficientNet.featureChannels})
   * @return a new, uninitialised block
   * @throws IllegalArgumentException if {@code inputChannels} does not hold three positive values
   */
  public static Block block(NasFpnConfig config, int... inputChannels) {
    checkNotNull(config, "config");
    checkInputChannels(inputChannels);
    return new NasFpnBlock(config, inputChannels);
  }

  /**
   * The number of trainable parameters of {@link #block}, from the configuration alone: the 1x1
   * convolutions and batch norms of the input pyramid (for inputs whose channels differ from {@code
   * channels}) and, per cell and node, the 3x3 convolution (regular: {@code 9 f^2 + f}; separable:
   * {@code 9 f + f^2 + f}) and batch norm scale and shift ({@code 2 f}); not the running
   * statistics.
   *
   * @param config the pyramid
   * @param inputChannels channels of C3, C4 and C5
   * @return the count
   * @throws IllegalArgumentException if {@code inputChannels} does not hold three positive values
   */
  public static long parameterCount(NasFpnConfig config, int... inputChannels) {
    checkNotNull(config, "config");
    checkInputChannels(inputChannels);
    long f = config.channels();
    long count = 0;
    for (int c : inputChannels) {
      if (c != f) {
        count += (config.separableConv() ? c : 0) + c * f + f + 2 * f;
      }
    }
    long node = (config.separableConv() ? 9 * f + f * f + f : 9 * f * f + f) + 2 * f;
    return count + node * config.nodes().size() * config.numRepeats();
  }

  private static void checkInputChannels(int[] inputChannels) {
    checkNotNull(inputChannels, "inputChannels");
    checkArgument(
        inputChannels.length == NUM_INPUTS,
        "inputChannels must hold the channels of C3, C4 and C5: %s values",
        inputChannels.length);
    for (int c : inputChannels) {
      checkArgument(c >= 1, "inputChannels must be positive: %s", c);
    }
  }
}
