package io.selftrain.examples;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Writes a trained {@code ConvNets} network (a DJL block, any engine) as a TensorFlow SavedModel
 * built with TF Java's graph API: the same layers in NHWC with the trained values as constants,
 * BatchNorm folded into a scale and shift with its running statistics (inference mode, epsilon 1e-5
 * as DJL's default), dropout and stochastic depth absent (they are identities at inference).
 *
 * <p>Signatures: {@code serving_default} maps {@code image} (float32, (?, H, W, C), values in [0,
 * 1]) to {@code probabilities}; {@code logits} maps the same input to {@code logits}.
 */
final class ConvNetSavedModel {
  /** DJL's default BatchNorm epsilon. */
  private static final float BATCH_NORM_EPSILON = 1e-5f;

  private final Ops tf;
  private final Iterator<Pair<String, Parameter>> parameters;

  /** The first linear layer's weight, read ahead to learn the flattened width. */
  private NDArray pendingWeight;

  private ConvNetSavedModel(Ops tf, Iterator<Pair<String, Parameter>> parameters) {
    this.tf = tf;
    this.parameters = parameters;
  }

  /**
   * Exports the network.
   *
   * @param block an initialised {@code ConvNets} block
   * @param inputShape one image's shape (channels, height, width)
   * @param dir the SavedModel folder to create
   * @throws IOException if the folder cannot be written
   * @throws IllegalArgumentException if the block's parameters are not a {@code ConvNets} layout
   */
  static void export(Block block, Shape inputShape, Path dir) throws IOException {
    int c = (int) inputShape.get(0);
    int h = (int) inputShape.get(1);
    int w = (int) inputShape.get(2);
    try (Graph graph = new Graph();
        Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      ConvNetSavedModel builder = new ConvNetSavedModel(tf, block.getParameters().iterator());
      Placeholder<TFloat32> image =
          tf.withName("image")
              .placeholder(
                  TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, h, w, c)));
      Operand<TFloat32> x = builder.maxPool(builder.convBnRelu(image));
      x = builder.maxPool(builder.convBnRelu(x));
      Operand<TFloat32> branch = builder.batchNorm(builder.conv(builder.convBnRelu(x)));
      x = tf.nn.relu(tf.math.add(x, branch));
      // DJL flattens NCHW: (channels, height, width) order.
      Operand<TFloat32> nchw = tf.linalg.transpose(x, tf.constant(new int[] {0, 3, 1, 2}));
      Operand<TFloat32> flat =
          tf.reshape(nchw, tf.constant(new long[] {-1, builder.nextLinearInputs()}));
      Operand<TFloat32> hidden = tf.nn.relu(builder.linear(flat));
      Operand<TFloat32> logits = tf.withName("logits").identity(builder.linear(hidden));
      Operand<TFloat32> probabilities = tf.withName("probabilities").nn.softmax(logits);
      checkArgument(
          !builder.parameters.hasNext(),
          "block is not a ConvNets network: it has parameters after the classifier");
      Signature serving =
          Signature.builder()
              .key(Signature.DEFAULT_KEY)
              .input("image", image)
              .output("probabilities", probabilities)
              .build();
      Signature raw =
          Signature.builder().key("logits").input("image", image).output("logits", logits).build();
      SavedModelBundle.exporter(dir.toString())
          .withSession(session)
          .withSignatures(serving, raw)
          .export();
    }
  }

  private Operand<TFloat32> convBnRelu(Operand<TFloat32> x) {
    return tf.nn.relu(batchNorm(conv(x)));
  }

  /**
   * A 3x3, stride 1, zero-padded convolution without bias; DJL's (out, in, kh, kw) becomes TF's
   * HWIO.
   */
  private Operand<TFloat32> conv(Operand<TFloat32> x) {
    NDArray weight = next("weight", 4);
    long[] s = weight.getShape().getShape();
    int out = (int) s[0];
    int in = (int) s[1];
    int kh = (int) s[2];
    int kw = (int) s[3];
    float[] oihw = weight.toFloatArray();
    float[] hwio = new float[oihw.length];
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        for (int y = 0; y < kh; y++) {
          for (int z = 0; z < kw; z++) {
            hwio[((y * kw + z) * in + i) * out + o] = oihw[((o * in + i) * kh + y) * kw + z];
          }
        }
      }
    }
    Operand<TFloat32> kernel =
        tf.constant(
            org.tensorflow.ndarray.Shape.of(kh, kw, in, out), DataBuffers.of(hwio, true, false));
    return tf.nn.conv2d(x, kernel, List.of(1L, 1L, 1L, 1L), "SAME");
  }

  /** Inference-mode BatchNorm over the channel (last) axis as {@code x * scale + shift}. */
  private Operand<TFloat32> batchNorm(Operand<TFloat32> x) {
    float[] gamma = next("gamma", 1).toFloatArray();
    float[] beta = next("beta", 1).toFloatArray();
    float[] mean = next("runningMean", 1).toFloatArray();
    float[] variance = next("runningVar", 1).toFloatArray();
    float[] scale = new float[gamma.length];
    float[] shift = new float[gamma.length];
    for (int k = 0; k < gamma.length; k++) {
      scale[k] = (float) (gamma[k] / Math.sqrt(variance[k] + BATCH_NORM_EPSILON));
      shift[k] = beta[k] - mean[k] * scale[k];
    }
    org.tensorflow.ndarray.Shape channels = org.tensorflow.ndarray.Shape.of(gamma.length);
    return tf.math.add(
        tf.math.mul(x, tf.constant(channels, DataBuffers.of(scale, true, false))),
        tf.constant(channels, DataBuffers.of(shift, true, false)));
  }

  private Operand<TFloat32> maxPool(Operand<TFloat32> x) {
    return tf.nn.maxPool(
        x, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
  }

  /** The input width of the next linear layer (reads its weight ahead). */
  private long nextLinearInputs() {
    pendingWeight = next("weight", 2);
    return pendingWeight.getShape().get(1);
  }

  /** {@code x W^T + b} with DJL's (units, inputs) weight. */
  private Operand<TFloat32> linear(Operand<TFloat32> x) {
    NDArray weight = pendingWeight != null ? pendingWeight : next("weight", 2);
    pendingWeight = null;
    NDArray bias = next("bias", 1);
    int units = (int) weight.getShape().get(0);
    int inputs = (int) weight.getShape().get(1);
    float[] w = weight.toFloatArray();
    float[] transposed = new float[w.length];
    for (int u = 0; u < units; u++) {
      for (int i = 0; i < inputs; i++) {
        transposed[i * units + u] = w[u * inputs + i];
      }
    }
    Operand<TFloat32> kernel =
        tf.constant(
            org.tensorflow.ndarray.Shape.of(inputs, units),
            DataBuffers.of(transposed, true, false));
    Operand<TFloat32> b =
        tf.constant(
            org.tensorflow.ndarray.Shape.of(units),
            DataBuffers.of(bias.toFloatArray(), true, false));
    return tf.math.add(tf.linalg.matMul(x, kernel), b);
  }

  /** The next parameter, checked to be the expected kind and rank. */
  private NDArray next(String suffix, int rank) {
    checkArgument(
        parameters.hasNext(),
        "block has fewer parameters than a ConvNets network; expected a %s next",
        suffix);
    Pair<String, Parameter> p = parameters.next();
    NDArray array = p.getValue().getArray();
    checkArgument(
        p.getKey().endsWith(suffix) && array.getShape().dimension() == rank,
        "block is not a ConvNets network: expected a rank-%s %s, found %s %s",
        rank,
        suffix,
        p.getKey(),
        array.getShape());
    return array;
  }
}
