package io.selftrain.core;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Optional;

/**
 * A task network plus the auxiliary classification head of {@link JointTraining} on its backbone
 * (Zoph et al. 2020, Sec. 6). One input: the task's outputs, unchanged. Two inputs (task images,
 * auxiliary images): the task's outputs followed by the auxiliary logits (batch, classes), computed
 * from the global average of the backbone's last feature map. The auxiliary batch passes the
 * backbone as in inference (normalized by batch normalization's running statistics, which it leaves
 * as the task batch left them; no dropout or stochastic depth), gradients recorded: the auxiliary
 * images come from another distribution, and averaging their statistics into the task's would
 * normalize the task's images wrongly at inference. Saving and loading cover the task network only,
 * so a joint student's parameter file is the plain student's.
 */
final class JointBlock extends AbstractBlock {
  private static final byte VERSION = 1;

  /** The name ending of the child block that joint training shares. */
  static final String BACKBONE = "backbone";

  private final Block task;
  private final Block backbone;
  private final Block head;

  JointBlock(Block task, int auxiliaryClasses) {
    super(VERSION);
    this.backbone =
        backboneOf(task)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "joint training needs a student with a backbone block (RetinaNet, NAS-FPN"
                            + " segmentation): "
                            + task.getClass().getSimpleName()
                            + " has none"));
    this.task = addChildBlock("task", task);
    this.head = addChildBlock("auxiliaryHead", Linear.builder().setUnits(auxiliaryClasses).build());
  }

  /**
   * @param task a task network
   * @return its child block whose name ends with {@value #BACKBONE}, if any
   */
  static Optional<Block> backboneOf(Block task) {
    for (Pair<String, Block> child : task.getChildren()) {
      if (child.getKey().endsWith(BACKBONE)) {
        return Optional.of(child.getValue());
      }
    }
    return Optional.empty();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList out = task.forward(ps, new NDList(inputs.get(0)), training, params);
    if (inputs.size() < 2) {
      return out;
    }
    NDList features = auxiliaryFeatures(ps, inputs.get(1), params);
    NDArray last = features.get(features.size() - 1);
    Shape shape = last.getShape();
    // Global average pooling as one mean over the flattened plane (the engine reduces one axis).
    NDArray pooled = last.reshape(shape.get(0), shape.get(1), -1).mean(new int[] {2});
    NDList result = new NDList(out);
    result.add(head.forward(ps, new NDList(pooled), training, params).singletonOrThrow());
    return result;
  }

  /**
   * The backbone's features of the auxiliary batch, computed as in inference (batch normalization
   * by the task's running statistics, which it leaves unchanged; no dropout or stochastic depth)
   * but recorded for gradients like any training forward pass. Restoring the statistics after a
   * training-mode pass is not an option: the engine saved them for the backward pass.
   */
  private NDList auxiliaryFeatures(
      ParameterStore ps, NDArray images, PairList<String, Object> params) {
    return backbone.forward(ps, new NDList(images), false, params);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return task.getOutputShapes(new Shape[] {inputShapes[0]});
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    task.initialize(manager, dataType, inputShapes[0]);
    Shape[] features = backbone.getOutputShapes(new Shape[] {inputShapes[0]});
    head.initialize(manager, dataType, new Shape(1, features[features.length - 1].get(1)));
  }

  /** Writes the task network's parameters only (the plain student's file). */
  @Override
  public void saveParameters(DataOutputStream os) throws IOException {
    task.saveParameters(os);
  }

  /** Reads a plain student's parameter file into the task network; the head keeps its own. */
  @Override
  public void loadParameters(NDManager manager, DataInputStream is)
      throws IOException, MalformedModelException {
    task.loadParameters(manager, is);
  }
}
