package io.selftrain.models.detection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.selftrain.models.internal.Layers;
import java.util.ArrayList;
import java.util.List;

/**
 * One NAS-FPN cell (TF {@code Nasfpn._build_feature_pyramid}): P3..P7 in, the nodes of {@link
 * NasFpnConfig#nodes()} evaluated in order, the last five nodes out, ordered by level. Every node
 * owns a 3x3 convolution (regular or separable) and a batch norm; resampling and merging have no
 * parameters. See {@link NasFpn} for the node computation.
 */
final class NasFpnCellBlock extends AbstractBlock {
  private static final byte VERSION = 1;

  private final List<NasFpnNode> nodes;
  private final int[][] unusedInputs;
  private final List<Block> convs = new ArrayList<>();
  private final List<Block> norms = new ArrayList<>();

  NasFpnCellBlock(NasFpnConfig config) {
    super(VERSION);
    this.nodes = config.nodes();
    this.unusedInputs = unusedInputs(nodes);
    int f = config.channels();
    for (int i = 0; i < nodes.size(); i++) {
      String name = "node" + (NasFpn.NUM_LEVELS + i);
      convs.add(
          addChildBlock(
              name + "Conv",
              config.separableConv() ? Layers.separableConv(f, f, 3) : Layers.conv(f, 3, 1)));
      norms.add(
          addChildBlock(
              name + "Bn",
              Layers.batchNorm(config.batchNormMomentum(), config.batchNormEpsilon())));
    }
  }

  /**
   * The features each node adds besides its two inputs (TF: "Add intermediate nodes that do not
   * have any connections to output"): for an output node, every earlier feature of the node's level
   * that no node has taken as input yet, counting the node's own inputs; such a feature then counts
   * as used. For {@link NasFpn#cell()} these are P5 (index 2) for node 9 and P7 (index 4) for node
   * 10.
   *
   * @param nodes the cell
   * @return per node, the feature indices added, in index order
   */
  static int[][] unusedInputs(List<NasFpnNode> nodes) {
    int total = NasFpn.NUM_LEVELS + nodes.size();
    int[] levels = new int[total];
    int[] uses = new int[total];
    for (int j = 0; j < NasFpn.NUM_LEVELS; j++) {
      levels[j] = NasFpn.MIN_LEVEL + j;
    }
    int[][] extra = new int[nodes.size()][];
    for (int i = 0; i < nodes.size(); i++) {
      NasFpnNode node = nodes.get(i);
      uses[node.input0()]++;
      uses[node.input1()]++;
      List<Integer> added = new ArrayList<>();
      if (node.output()) {
        for (int j = 0; j < NasFpn.NUM_LEVELS + i; j++) {
          if (uses[j] == 0 && levels[j] == node.level()) {
            uses[j]++;
            added.add(j);
          }
        }
      }
      extra[i] = added.stream().mapToInt(Integer::intValue).toArray();
      levels[NasFpn.NUM_LEVELS + i] = node.level();
    }
    return extra;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    List<NDArray> feats = new ArrayList<>(inputs);
    List<Integer> levels = new ArrayList<>();
    for (int j = 0; j < NasFpn.NUM_LEVELS; j++) {
      levels.add(NasFpn.MIN_LEVEL + j);
    }
    for (int i = 0; i < nodes.size(); i++) {
      NasFpnNode node = nodes.get(i);
      Shape target = inputs.get(node.level() - NasFpn.MIN_LEVEL).getShape();
      int level0 = levels.get(node.input0());
      int level1 = levels.get(node.input1());
      NDArray a = resample(feats.get(node.input0()), level0, node.level(), target);
      NDArray b = resample(feats.get(node.input1()), level1, node.level(), target);
      NDArray merged =
          switch (node.merge()) {
            case SUM -> a.add(b);
            case ATTENTION -> level0 >= level1 ? attention(a, b) : attention(b, a);
          };
      for (int j : unusedInputs[i]) {
        merged = merged.add(resample(feats.get(j), levels.get(j), node.level(), target));
      }
      NDArray h = Layers.apply(convs.get(i), ps, Activation.relu(merged), training, params);
      feats.add(Layers.apply(norms.get(i), ps, h, training, params));
      levels.add(node.level());
    }
    NDArray[] byLevel = new NDArray[NasFpn.NUM_LEVELS];
    for (int j = feats.size() - NasFpn.NUM_LEVELS; j < feats.size(); j++) {
      byLevel[levels.get(j) - NasFpn.MIN_LEVEL] = feats.get(j);
    }
    return new NDList(byLevel);
  }

  /**
   * TF {@code global_attention(hi, lo)}: {@code hi + lo * sigmoid(max over H, W of hi)}, the
   * maximum taken per example and channel, one axis at a time (multi-axis reductions throw on
   * PyTorch).
   */
  static NDArray attention(NDArray hi, NDArray lo) {
    NDArray gate = Activation.sigmoid(hi.max(new int[] {3}, true).max(new int[] {2}, true));
    return hi.add(lo.mul(gate));
  }

  /**
   * Max pooling by {@code 2^(to - from)} down, nearest upsampling (cropped to {@code target}) up.
   */
  private static NDArray resample(NDArray x, int from, int to, Shape target) {
    if (from < to) {
      return Layers.maxPoolSame(x, 1 << (to - from));
    }
    if (from > to) {
      return Layers.nearestUpsample(x, 1 << (from - to), target.get(2), target.get(3));
    }
    return x;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes.clone();
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (int i = 0; i < nodes.size(); i++) {
      Shape s = inputShapes[nodes.get(i).level() - NasFpn.MIN_LEVEL];
      Layers.init(norms.get(i), manager, dataType, Layers.init(convs.get(i), manager, dataType, s));
    }
  }
}
