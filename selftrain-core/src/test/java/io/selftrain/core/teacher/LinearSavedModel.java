package io.selftrain.core.teacher;

import io.selftrain.Image;
import java.io.IOException;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A softmax-regression classifier exported from TF Java as a SavedModel, and the same model
 * computed in plain Java, for tests: {@code logits = flatten(x) W + b} on an NHWC or NCHW float
 * input in [0, 1].
 */
public final class LinearSavedModel {
  final int height;
  final int width;
  final int channels;
  final int classes;
  final float[] weights;
  final float[] bias;

  /**
   * A model with these parameters.
   *
   * @param weights (height * width * channels, classes), row-major, features in HWC order
   * @param bias (classes)
   */
  public LinearSavedModel(int height, int width, int channels, float[] weights, float[] bias) {
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.classes = bias.length;
    this.weights = weights.clone();
    this.bias = bias.clone();
  }

  /** A model with uniform random parameters. */
  public LinearSavedModel(int height, int width, int channels, int classes, long seed) {
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.classes = classes;
    java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
    int features = height * width * channels;
    weights = new float[features * classes];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) (rng.nextDouble() * 2 - 1);
    }
    bias = new float[classes];
    for (int k = 0; k < classes; k++) {
      bias[k] = (float) (rng.nextDouble() - 0.5);
    }
  }

  /**
   * Exports the model.
   *
   * @param dir the SavedModel folder to write
   * @param nchw whether the input is laid out (batch, channels, height, width)
   * @param signatureKey the signature's key
   * @param tags the meta graph's tags
   */
  public void export(Path dir, boolean nchw, String signatureKey, String... tags)
      throws IOException {
    int features = height * width * channels;
    try (Graph graph = new Graph();
        Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Shape inputShape =
          nchw ? Shape.of(-1, channels, height, width) : Shape.of(-1, height, width, channels);
      Placeholder<TFloat32> x =
          tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(inputShape));
      Operand<TFloat32> hwc =
          nchw ? tf.linalg.transpose(x, tf.constant(new int[] {0, 2, 3, 1})) : x;
      Operand<TFloat32> flat = tf.reshape(hwc, tf.constant(new long[] {-1, features}));
      Operand<TFloat32> w =
          tf.constant(Shape.of(features, classes), DataBuffers.of(weights, true, false));
      Operand<TFloat32> b = tf.constant(Shape.of(classes), DataBuffers.of(bias, true, false));
      Operand<TFloat32> logits = tf.withName("logits").math.add(tf.linalg.matMul(flat, w), b);
      Operand<TFloat32> probabilities = tf.withName("probabilities").nn.softmax(logits);
      Signature signature =
          Signature.builder()
              .key(signatureKey)
              .input("image", x)
              .output("logits", logits)
              .output("probabilities", probabilities)
              .build();
      SavedModelBundle.exporter(dir.toString())
          .withTags(tags)
          .withSession(session)
          .withSignature(signature)
          .export();
    }
  }

  /** The logits of one HWC image, in double precision. */
  public double[] logits(Image image) {
    byte[] pixels = image.pixels();
    double[] out = new double[classes];
    for (int k = 0; k < classes; k++) {
      out[k] = bias[k];
    }
    for (int f = 0; f < pixels.length; f++) {
      double v = (pixels[f] & 0xFF) / 255.0;
      for (int k = 0; k < classes; k++) {
        out[k] += v * weights[f * classes + k];
      }
    }
    return out;
  }

  /** The softmax of {@link #logits}. */
  public double[] probabilities(Image image) {
    double[] z = logits(image);
    double max = java.util.Arrays.stream(z).max().orElseThrow();
    double sum = 0;
    for (int k = 0; k < z.length; k++) {
      z[k] = Math.exp(z[k] - max);
      sum += z[k];
    }
    for (int k = 0; k < z.length; k++) {
      z[k] /= sum;
    }
    return z;
  }
}
