package io.selftrain.models.segmentation;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.selftrain.MaskTarget;
import io.selftrain.Prediction;
import io.selftrain.Student;
import io.selftrain.models.internal.LayoutNames;
import java.util.ArrayList;
import java.util.List;

/**
 * The segmentation model as a student: its block outputs logits (batch, numClasses, H, W) ({@link
 * SegmentationBlock}); targets are class maps with {@link MaskTarget#IGNORE} kept; the loss is the
 * per-pixel softmax cross entropy averaged over an example's non-ignored pixels; decoding is the
 * per-pixel argmax, with pixels below {@link SegmentationConfig#minPixelConfidence()} ignored.
 */
final class SegmentationStudent implements Student<MaskTarget> {
  private final SegmentationConfig config;

  SegmentationStudent(SegmentationConfig config) {
    this.config = config;
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
    return new SegmentationBlock(config);
  }

  /**
   * Encodes masks as one INT32 array (batch, size, size) of class indices, {@link
   * MaskTarget#IGNORE} included.
   *
   * @throws IllegalArgumentException if a mask is not {@code inputSize x inputSize} or holds a
   *     class that is neither below {@code numClasses} nor 255
   */
  @Override
  public NDArray encodeTargets(List<MaskTarget> targets, NDManager manager) {
    int size = config.inputSize();
    int plane = size * size;
    int[] labels = new int[targets.size() * plane];
    for (int i = 0; i < targets.size(); i++) {
      MaskTarget t = targets.get(i);
      checkArgument(
          t.height() == size && t.width() == size,
          "targets[%s] must be %sx%s: %s",
          i,
          size,
          size,
          t);
      byte[] classes = t.classes();
      for (int p = 0; p < plane; p++) {
        int c = classes[p] & 0xFF;
        if (c >= config.numClasses() && c != MaskTarget.IGNORE) {
          throw new IllegalArgumentException(
              String.format(
                  "targets[%s] has class %s at (%s, %s); classes must be below numClasses %s or 255",
                  i, c, p / size, p % size, config.numClasses()));
        }
        labels[i * plane + p] = c;
      }
    }
    return manager.create(labels, new Shape(targets.size(), size, size));
  }

  /**
   * The mean over an example's non-ignored pixels of {@code -log softmax(z)_label}; 0, with zero
   * gradient, for an example whose pixels are all ignored (a pseudo-labelled image on which the
   * teacher was never confident). NOTE: TF {@code SegmentationLoss} divides the batch's summed loss
   * by the batch's valid pixel count; the mean per example lets human and pseudo examples be
   * weighted separately (loss normalization), at the price of weighting examples rather than pixels
   * equally. The logits are compared at full input resolution (TF {@code use_groundtruth_dimension:
   * true}, the segmentation default; the PASCAL self-training configs instead resize the labels to
   * the logits).
   */
  @Override
  public NDArray lossPerExample(NDList predictions, NDArray targets) {
    NDArray logits = predictions.singletonOrThrow();
    Shape s = logits.getShape();
    checkArgument(
        targets.getShape().equals(new Shape(s.get(0), s.get(2), s.get(3))),
        "targets must be (batch, height, width) = (%s, %s, %s): %s",
        s.get(0),
        s.get(2),
        s.get(3),
        targets.getShape());
    NDArray valid = targets.neq(MaskTarget.IGNORE);
    NDArray labels =
        targets.mul(valid.toType(targets.getDataType(), false)).toType(DataType.INT64, false);
    NDArray logProbabilities = logits.logSoftmax(1).gather(labels.expandDims(1), 1).squeeze(1);
    NDArray weights = valid.toType(logits.getDataType(), false);
    NDArray total = logProbabilities.mul(weights).sum(new int[] {2}).sum(new int[] {1}).neg();
    NDArray count = weights.sum(new int[] {2}).sum(new int[] {1});
    return total.div(count.maximum(1f));
  }

  /**
   * Per pixel the class of highest probability, or {@link MaskTarget#IGNORE} where that probability
   * is below {@link SegmentationConfig#minPixelConfidence()} (0 by default: every pixel keeps its
   * argmax), with each pixel's top probability attached ({@link MaskTarget#confidences()}) so that
   * pseudo-labelers threshold it themselves; the prediction's confidence is the mean top
   * probability over all pixels (ignored ones included), so confidence filters see how sure the
   * teacher was of the whole image.
   */
  @Override
  public List<Prediction<MaskTarget>> decode(NDList predictions) {
    NDArray logits = predictions.singletonOrThrow();
    Shape s = logits.getShape();
    int batch = (int) s.get(0);
    int h = (int) s.get(2);
    int w = (int) s.get(3);
    float[] top;
    long[] classes;
    try (NDManager scope = logits.getManager().newSubManager()) {
      logits.tempAttach(
          scope); // intermediate arrays close with the scope; logits go back afterwards
      NDArray probabilities = logits.softmax(1);
      top = probabilities.max(new int[] {1}).toFloatArray();
      classes = probabilities.argMax(1).toLongArray();
    }
    float threshold = config.minPixelConfidence();
    int plane = h * w;
    List<Prediction<MaskTarget>> out = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      byte[] mask = new byte[plane];
      double sum = 0;
      for (int p = 0; p < plane; p++) {
        float q = top[i * plane + p];
        sum += q;
        mask[p] = (byte) (q >= threshold ? classes[i * plane + p] : MaskTarget.IGNORE);
      }
      float confidence = (float) Math.min(1.0, Math.max(0.0, sum / plane));
      float[] pixels = new float[plane];
      for (int p = 0; p < plane; p++) {
        pixels[p] = Math.min(1f, Math.max(0f, top[i * plane + p]));
      }
      out.add(new Prediction<>(MaskTarget.of(h, w, mask, pixels), confidence));
    }
    return out;
  }

  /**
   * Every block is made of selftrain's layers: the backbone's stochastic depth draws from {@link
   * io.selftrain.TrainingNoise}, and the pyramid and head have no noise, so the supervised control
   * can train beside the student.
   */
  @Override
  public boolean reproducibleNoise() {
    return true;
  }

  @Override
  public String toString() {
    return name();
  }
}
