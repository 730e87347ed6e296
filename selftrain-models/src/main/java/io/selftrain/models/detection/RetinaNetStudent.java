package io.selftrain.models.detection;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.selftrain.BoxesTarget;
import io.selftrain.Prediction;
import io.selftrain.Student;
import io.selftrain.models.internal.LayoutNames;
import java.util.List;

/**
 * A RetinaNet as a detection student: its block outputs class logits and box codes per anchor
 * ({@link RetinaNetBlock}); targets are assigned to anchors in one batched pass ({@link
 * RetinaNetLabeler}); the loss is the focal plus Huber loss per example ({@link RetinaNetLoss});
 * decoding is the paper's post-processing ({@link RetinaNetDecoder}).
 */
final class RetinaNetStudent implements Student<BoxesTarget> {
  private final RetinaNetConfig config;

  RetinaNetStudent(RetinaNetConfig config) {
    this.config = config;
  }

  RetinaNetConfig config() {
    return config;
  }

  @Override
  public String name() {
    return LayoutNames.of(
        config.name(), config.backbone().channelsLast(), config.backbone().fusedOps());
  }

  @Override
  public Shape inputShape() {
    return new Shape(config.backbone().inputChannels(), config.inputSize(), config.inputSize());
  }

  @Override
  public Block newBlock() {
    return new RetinaNetBlock(config);
  }

  @Override
  public NDArray encodeTargets(List<BoxesTarget> targets, NDManager manager) {
    return RetinaNetLabeler.assign(config, targets, manager);
  }

  @Override
  public NDArray lossPerExample(NDList predictions, NDArray targets) {
    checkArgument(
        predictions.size() == 2,
        "predictions must hold class logits and box codes: %s arrays",
        predictions.size());
    return RetinaNetLoss.perExample(config, predictions.get(0), predictions.get(1), targets);
  }

  /**
   * Every block is made of selftrain's layers: the backbone's stochastic depth draws from {@link
   * io.selftrain.TrainingNoise}, and the pyramid and heads have no noise.
   */
  @Override
  public boolean reproducibleNoise() {
    return true;
  }

  @Override
  public List<Prediction<BoxesTarget>> decode(NDList predictions) {
    checkArgument(
        predictions.size() == 2,
        "predictions must hold class logits and box codes: %s arrays",
        predictions.size());
    return RetinaNetDecoder.decode(config, predictions.get(0), predictions.get(1));
  }

  @Override
  public String toString() {
    return name();
  }
}
