package io.selftrain.models.detection;

import static com.google.common.base.Preconditions.checkState;

import java.util.List;
import org.immutables.value.Value;

/**
 * A NAS-FPN feature pyramid (Ghiasi et al. 2019, "NAS-FPN: Learning Scalable Feature Pyramid
 * Architecture for Object Detection", arXiv 1904.07392): P3..P7 with {@link #channels()} channels
 * each, refined by {@link #numRepeats()} copies of the cell {@link #nodes()}. Build one with {@link
 * #builder()} or start from {@code NasFpnConfig.builder().build()} (the TF detection defaults) and
 * change fields with the {@code withX} copies:
 *
 * <pre>{@code
 * NasFpnConfig pascal = NasFpnConfig.builder().numRepeats(7).separableConv(true).batchNormEpsilon(1e-3f).build();
 * }</pre>
 *
 * <p>Defaults are those of the TF detection code ({@code configs/detection_config.py} and {@code
 * configs/yaml/retinanet_nasfpn.yaml}: 256 channels, 5 repeats, regular convolutions; {@code
 * configs/base_config.py}: batch norm momentum 0.997, epsilon 1e-4) and the paper's searched cell
 * ({@link NasFpn#cell()}). The self-training paper's PASCAL segmentation models (Zoph et al. 2020,
 * TF {@code projects/self_training/configs/pascal_seg_efficientnet-*-nasfpn.yaml}) use 7 repeats,
 * separable convolutions and epsilon 1e-3.
 */
@Value.Immutable
public interface NasFpnConfig {
  /**
   * @return channels of every pyramid level (TF {@code fpn_feat_dims}, 256)
   */
  @Value.Default
  default int channels() {
    return 256;
  }

  /**
   * @return cells stacked on the input pyramid (TF {@code num_repeats}, 5; 7 in the PASCAL configs)
   */
  @Value.Default
  default int numRepeats() {
    return 5;
  }

  /**
   * @return whether the convolutions (the 3x3 one after every merge and the 1x1 ones that bring
   *     backbone features to {@link #channels()}) are separable: depthwise, then pointwise with
   *     bias (TF {@code use_separable_conv}, false; true in the PASCAL configs)
   */
  @Value.Default
  default boolean separableConv() {
    return false;
  }

  /**
   * @return batch norm momentum in the Keras convention (0.997)
   */
  @Value.Default
  default float batchNormMomentum() {
    return 0.997f;
  }

  /**
   * @return batch norm epsilon (1e-4; 1e-3 in the PASCAL configs)
   */
  @Value.Default
  default float batchNormEpsilon() {
    return 1e-4f;
  }

  /**
   * @return the cell: merging nodes in order; inputs refer to P3..P7 (indices 0..4) and earlier
   *     nodes (index {@code 5 + i} for node {@code i}), and the last five nodes, one per level
   *     3..7, are the cell's outputs. The paper's searched cell by default ({@link NasFpn#cell()}).
   */
  @Value.Default
  default List<NasFpnNode> nodes() {
    return NasFpn.cell();
  }

  /** Checks ranges and the wiring of {@link #nodes()}. */
  @Value.Check
  default void check() {
    checkState(channels() >= 1, "channels must be positive: %s", channels());
    checkState(numRepeats() >= 1, "numRepeats must be positive: %s", numRepeats());
    checkState(
        batchNormMomentum() >= 0f && batchNormMomentum() < 1f,
        "batchNormMomentum must be in [0, 1): %s",
        batchNormMomentum());
    checkState(
        batchNormEpsilon() > 0f, "batchNormEpsilon must be positive: %s", batchNormEpsilon());
    List<NasFpnNode> nodes = nodes();
    checkState(
        nodes.size() >= NasFpn.NUM_LEVELS, "nodes must hold at least 5 nodes: %s", nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      NasFpnNode node = nodes.get(i);
      int available = NasFpn.NUM_LEVELS + i;
      checkState(
          node.input0() < available && node.input1() < available,
          "nodes[%s] inputs must refer to P3..P7 or earlier nodes (index < %s): %s",
          i,
          available,
          node);
    }
    boolean[] seen = new boolean[NasFpn.NUM_LEVELS];
    for (int i = nodes.size() - NasFpn.NUM_LEVELS; i < nodes.size(); i++) {
      int level = nodes.get(i).level();
      checkState(
          !seen[level - NasFpn.MIN_LEVEL],
          "nodes must end with one node per level 3 to 7: level %s twice in the last five",
          level);
      seen[level - NasFpn.MIN_LEVEL] = true;
    }
  }

  /**
   * @param value the new {@link #channels()}
   * @return a copy with this many channels per level
   * @throws IllegalStateException if it is not positive
   */
  NasFpnConfig withChannels(int value);

  /**
   * @param value the new {@link #numRepeats()}
   * @return a copy with this many cells
   * @throws IllegalStateException if it is not positive
   */
  NasFpnConfig withNumRepeats(int value);

  /**
   * @param value the new {@link #separableConv()}
   * @return a copy with separable or regular convolutions
   */
  NasFpnConfig withSeparableConv(boolean value);

  /**
   * @param value the new {@link #batchNormEpsilon()}
   * @return a copy with this epsilon
   * @throws IllegalStateException if it is not positive
   */
  NasFpnConfig withBatchNormEpsilon(float value);

  /**
   * @return a builder; every field has a default
   */
  static ImmutableNasFpnConfig.Builder builder() {
    return ImmutableNasFpnConfig.builder();
  }
}
