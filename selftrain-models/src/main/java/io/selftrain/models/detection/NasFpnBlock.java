package io.selftrain.models.detection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.selftrain.models.internal.Layers;
import java.util.ArrayList;
import java.util.List;

/**
 * NAS-FPN as one DJL block ({@link NasFpn}): the input pyramid (1x1 convolution and batch norm
 * where the backbone's channels differ, P6 and P7 by max pooling) and {@code numRepeats} {@link
 * NasFpnCellBlock}s. Input C3, C4, C5; output P3..P7.
 */
final class NasFpnBlock extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int channels;

  /** Per input level 3..5: the 1x1 convolution, or null where the channels already match. */
  private final List<Block> resampleConvs = new ArrayList<>();

  private final List<Block> resampleNorms = new ArrayList<>();
  private final List<Block> cells = new ArrayList<>();

  NasFpnBlock(NasFpnConfig config, int[] inputChannels) {
    super(VERSION);
    this.channels = config.channels();
    for (int i = 0; i < NasFpn.NUM_INPUTS; i++) {
      int level = NasFpn.MIN_LEVEL + i;
      if (inputChannels[i] == channels) {
        resampleConvs.add(null);
        resampleNorms.add(null);
        continue;
      }
      Block conv =
          config.separableConv()
              ? Layers.separableConv(inputChannels[i], channels, 1)
              : Layers.conv(channels, 1, 1);
      resampleConvs.add(addChildBlock("resample" + level, conv));
      resampleNorms.add(
          addChildBlock(
              "resample" + level + "Bn",
              Layers.batchNorm(config.batchNormMomentum(), config.batchNormEpsilon())));
    }
    for (int r = 0; r < config.numRepeats(); r++) {
      cells.add(addChildBlock("cell" + r, new NasFpnCellBlock(config)));
    }
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList pyramid = new NDList(NasFpn.NUM_LEVELS);
    for (int i = 0; i < NasFpn.NUM_INPUTS; i++) {
      NDArray c = inputs.get(i);
      Block conv = resampleConvs.get(i);
      if (conv != null) {
        c =
            Layers.apply(
                resampleNorms.get(i),
                ps,
                Layers.apply(conv, ps, c, training, params),
                training,
                params);
      }
      pyramid.add(c);
    }
    for (int level = NasFpn.MIN_LEVEL + NasFpn.NUM_INPUTS; level <= NasFpn.MAX_LEVEL; level++) {
      pyramid.add(Layers.maxPoolSame(pyramid.get(pyramid.size() - 1), 2));
    }
    for (Block cell : cells) {
      pyramid = cell.forward(ps, pyramid, training, params);
    }
    return pyramid;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return pyramidShapes(inputShapes);
  }

  /** P3..P7 for C3..C5: the inputs with {@code channels} channels, then two halvings rounded up. */
  private Shape[] pyramidShapes(Shape[] inputShapes) {
    Shape[] shapes = new Shape[NasFpn.NUM_LEVELS];
    for (int i = 0; i < NasFpn.NUM_LEVELS; i++) {
      Shape s = i < NasFpn.NUM_INPUTS ? inputShapes[i] : shapes[i - 1];
      int factor = i < NasFpn.NUM_INPUTS ? 1 : 2;
      shapes[i] =
          new Shape(
              s.get(0),
              channels,
              Layers.pooledSize(s.get(2), factor),
              Layers.pooledSize(s.get(3), factor));
    }
    return shapes;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (int i = 0; i < NasFpn.NUM_INPUTS; i++) {
      Block conv = resampleConvs.get(i);
      if (conv != null) {
        Layers.init(
            resampleNorms.get(i),
            manager,
            dataType,
            Layers.init(conv, manager, dataType, inputShapes[i]));
      }
    }
    Shape[] pyramid = pyramidShapes(inputShapes);
    for (Block cell : cells) {
      cell.initialize(manager, dataType, pyramid);
    }
  }
}
