package io.selftrain.core.teacher;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import io.selftrain.ClassTarget;
import io.selftrain.Image;
import io.selftrain.Prediction;
import io.selftrain.Teacher;
import io.selftrain.core.Engines;
import io.selftrain.core.teacher.SavedModelSignatures.Signature;
import io.selftrain.core.teacher.SavedModelSignatures.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A classification {@link Teacher} backed by a TensorFlow SavedModel, run on DJL's TensorFlow
 * engine. DJL's TensorFlow engine cannot train; it serves teachers trained elsewhere (Keras, TF
 * Java) while students train on PyTorch in the same process.
 *
 * <pre>{@code
 * Engines.configure(2);
 * try (SavedModelTeacher teacher = SavedModelTeacher.open(
 *         SavedModelConfig.builder().modelDir(Path.of("teacher")).build())) {
 *   SelfTraining.classification().firstTeacher(teacher)...
 * }
 * }</pre>
 *
 * <p>{@link #open} reads the SavedModel's signatures first, so that a wrong tag, signature, input
 * or output fails with the available names listed (DJL itself falls back to another signature with
 * a warning). Images are packed into one float buffer per batch and handed to the engine in bulk;
 * outputs come back as one array per batch ({@link #outputs} copies them to another engine's
 * manager in bulk).
 *
 * <p>Needs {@code ai.djl.tensorflow:tensorflow-engine} and {@code
 * org.tensorflow:tensorflow-core-native} (classifier {@code linux-x86_64}) at runtime; {@link
 * Engines#configure} sets up the natives offline.
 */
public final class SavedModelTeacher implements Teacher<ClassTarget> {
  private final SavedModelConfig config;
  private final ZooModel<NDList, NDList> model;
  private final String inputName;
  private final String outputName;
  private final TensorSpec input;
  private final int numClasses;
  private final String digest;

  private SavedModelTeacher(
      SavedModelConfig config,
      ZooModel<NDList, NDList> model,
      String inputName,
      TensorSpec input,
      String outputName,
      int numClasses,
      String digest) {
    this.config = config;
    this.model = model;
    this.inputName = inputName;
    this.input = input;
    this.outputName = outputName;
    this.numClasses = numClasses;
    this.digest = digest;
  }

  /**
   * Loads the SavedModel on DJL's TensorFlow engine.
   *
   * @param config where the model is and how to feed it
   * @return the teacher; close it to free the TensorFlow session
   * @throws IllegalArgumentException if the folder, tags, signature, input or output do not exist
   *     or do not fit (the message lists what the model has), or if the TensorFlow engine is not on
   *     the classpath
   * @throws IOException if {@code saved_model.pb} or the variables cannot be read
   */
  public static SavedModelTeacher open(SavedModelConfig config) throws IOException {
    checkNotNull(config, "config");
    Path dir = config.modelDir();
    checkArgument(Files.isDirectory(dir), "modelDir does not exist or is not a folder: %s", dir);
    checkArgument(
        Files.isRegularFile(dir.resolve("saved_model.pb")),
        "modelDir holds no saved_model.pb, so it is not a TensorFlow SavedModel: %s",
        dir);
    SavedModelSignatures signatures = SavedModelSignatures.read(dir);
    Set<String> tags = Set.copyOf(config.tags());
    Signature signature = signatures.signature(tags, config.signature());
    String inputName =
        pick("input", config.input().orElse(null), signature.inputs(), config.signature());
    String outputName =
        pick("output", config.output().orElse(null), signature.outputs(), config.signature());
    checkArgument(
        signature.inputs().size() == 1,
        "signature %s has inputs %s; a selftrain teacher feeds exactly one image input",
        config.signature(),
        signature.inputs().keySet());
    TensorSpec input = signature.inputs().get(inputName);
    checkArgument(
        input.dtype() == SavedModelSignatures.DT_FLOAT
            || input.dtype() == SavedModelSignatures.DT_UINT8,
        "input %s is %s; selftrain feeds float32 or uint8 images",
        inputName,
        input.describe());
    checkArgument(
        input.dtype() != SavedModelSignatures.DT_UINT8
            || config.valueRange() == SavedModelConfig.ValueRange.BYTE,
        "input %s is uint8, so valueRange must be BYTE: %s",
        inputName,
        config.valueRange());
    checkArgument(
        input.unknownRank() || input.shape().length == 4,
        "input %s must be a batch of images (rank 4, %s): %s",
        inputName,
        config.layout(),
        input.describe());
    TensorSpec output = signature.outputs().get(outputName);
    checkArgument(
        output.unknownRank() || output.shape().length == 2,
        "output %s must hold one score row per image (rank 2): %s",
        outputName,
        output.describe());
    int numClasses = output.unknownRank() || output.shape()[1] < 0 ? -1 : (int) output.shape()[1];
    Engines.load(Engines.TENSORFLOW);
    Criteria<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optEngine(Engines.TENSORFLOW)
            .optModelPath(dir)
            .optTranslator(new NoopTranslator())
            .optOption("Tags", String.join(",", config.tags()))
            .optOption("SignatureDefKey", config.signature())
            .build();
    String digest = SavedModelDigest.of(dir);
    try {
      ZooModel<NDList, NDList> model = criteria.loadModel();
      return new SavedModelTeacher(config, model, inputName, input, outputName, numClasses, digest);
    } catch (ModelNotFoundException | MalformedModelException e) {
      throw new IOException("cannot load the SavedModel in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String pick(
      String role, String requested, Map<String, TensorSpec> available, String signature) {
    if (requested != null) {
      checkArgument(
          available.containsKey(requested),
          "%s %s is not in signature %s; available: %s",
          role,
          requested,
          signature,
          available.keySet());
      return requested;
    }
    checkArgument(
        available.size() == 1,
        "signature %s has %s %ss %s; name the one to use with SavedModelConfig.%s(...)",
        signature,
        available.size(),
        role,
        available.keySet(),
        role);
    return available.keySet().iterator().next();
  }

  /**
   * @return the classes the model scores, or -1 while the signature leaves it open and nothing ran
   *     yet
   */
  public int numClasses() {
    return numClasses;
  }

  /**
   * The content of the model folder (a SHA-256 over {@code saved_model.pb} and the variables) and
   * the feeding settings: a run resumes its pseudo labels only while both are unchanged.
   */
  @Override
  public String describe() {
    return config.describe() + " sha256=" + digest;
  }

  @Override
  public List<Prediction<ClassTarget>> predict(List<Image> images) {
    checkNotNull(images, "images");
    List<Prediction<ClassTarget>> out = new ArrayList<>(images.size());
    for (int start = 0; start < images.size(); start += config.batchSize()) {
      List<Image> batch =
          images.subList(start, Math.min(images.size(), start + config.batchSize()));
      try (NDManager scope = model.getNDManager().newSubManager()) {
        NDArray scores = run(batch, start, scope);
        float[] flat = scores.toType(DataType.FLOAT32, false).toFloatArray();
        int classes = (int) scores.getShape().get(1);
        for (int i = 0; i < batch.size(); i++) {
          float[] row = new float[classes];
          System.arraycopy(flat, i * classes, row, 0, classes);
          ClassTarget target = ClassTarget.probabilities(normalise(row, start + i));
          out.add(new Prediction<>(target, target.confidence()));
        }
      }
    }
    return out;
  }

  /**
   * The raw output (scores as the model returns them) for a batch of images, copied in bulk into
   * another manager, for instance a PyTorch student's.
   *
   * @param images images of the size the model expects
   * @param into the manager (of any engine) that owns the result
   * @return shape (images, classes)
   */
  public NDArray outputs(List<Image> images, NDManager into) {
    checkNotNull(images, "images");
    checkNotNull(into, "into");
    checkArgument(!images.isEmpty(), "images must not be empty: %s", images.size());
    try (NDManager scope = model.getNDManager().newSubManager()) {
      NDArray scores = run(images, 0, scope);
      return into.from(scores);
    }
  }

  private NDArray run(List<Image> batch, int firstIndex, NDManager scope) {
    NDArray x = encode(batch, firstIndex, scope);
    x.setName(inputName);
    NDList result =
        model.getBlock().forward(new ParameterStore(scope, false), new NDList(x), false);
    NDArray scores = result.get(outputName);
    checkState(scores != null, "the model returned no output %s: %s", outputName, result);
    Shape shape = scores.getShape();
    checkState(
        shape.dimension() == 2 && shape.get(0) == batch.size(),
        "output %s has shape %s for %s images; expected (%s, classes)",
        outputName,
        shape,
        batch.size(),
        batch.size());
    return scores;
  }

  /**
   * Packs the batch into one buffer in the configured layout and value range, checking every
   * image's size.
   */
  private NDArray encode(List<Image> batch, int firstIndex, NDManager scope) {
    Image first = batch.get(0);
    int h = first.height();
    int w = first.width();
    int c = first.channels();
    for (int i = 0; i < batch.size(); i++) {
      Image image = batch.get(i);
      checkImage(image, firstIndex + i, h, w, c);
    }
    boolean nhwc = config.layout() == SavedModelConfig.Layout.NHWC;
    Shape shape = nhwc ? new Shape(batch.size(), h, w, c) : new Shape(batch.size(), c, h, w);
    int perImage = h * w * c;
    if (input.dtype() == SavedModelSignatures.DT_UINT8) {
      ByteBuffer bytes =
          ByteBuffer.allocateDirect(batch.size() * perImage).order(ByteOrder.nativeOrder());
      for (Image image : batch) {
        bytes.put(nhwc ? image.pixels() : chw(image));
      }
      bytes.rewind();
      return scope.create(bytes, shape, DataType.UINT8);
    }
    float[] data = new float[batch.size() * perImage];
    SavedModelConfig.ValueRange range = config.valueRange();
    for (int i = 0; i < batch.size(); i++) {
      byte[] pixels = nhwc ? batch.get(i).pixels() : chw(batch.get(i));
      int offset = i * perImage;
      for (int k = 0; k < perImage; k++) {
        data[offset + k] = range.apply(pixels[k] & 0xFF);
      }
    }
    return scope.create(FloatBuffer.wrap(data), shape);
  }

  private void checkImage(Image image, int index, int h, int w, int c) {
    long[] dims = input.shape();
    boolean nhwc = config.layout() == SavedModelConfig.Layout.NHWC;
    long[] expected = input.unknownRank() ? new long[] {-1, -1, -1, -1} : dims;
    long eh = nhwc ? expected[1] : expected[2];
    long ew = nhwc ? expected[2] : expected[3];
    long ec = nhwc ? expected[3] : expected[1];
    boolean fits =
        (eh < 0 || eh == image.height())
            && (ew < 0 || ew == image.width())
            && (ec < 0 || ec == image.channels())
            && image.height() == h
            && image.width() == w
            && image.channels() == c;
    if (!fits) {
      throw new IllegalArgumentException(
          String.format(
              "images must fit input %s, %s in %s layout: image %d is %dx%dx%d (HxWxC)%s",
              inputName,
              input.describe(),
              config.layout(),
              index,
              image.height(),
              image.width(),
              image.channels(),
              image.height() == h && image.width() == w && image.channels() == c
                  ? ""
                  : String.format(", the batch's first is %dx%dx%d", h, w, c)));
    }
  }

  private static byte[] chw(Image image) {
    int c = image.channels();
    int plane = image.height() * image.width();
    byte[] src = image.pixels();
    byte[] dst = new byte[src.length];
    for (int i = 0; i < plane; i++) {
      for (int k = 0; k < c; k++) {
        dst[k * plane + i] = src[i * c + k];
      }
    }
    return dst;
  }

  /**
   * Softmax of logits, or renormalised probabilities; a non-finite or negative score is an error.
   */
  private float[] normalise(float[] row, int index) {
    if (config.scores() == SavedModelConfig.Scores.LOGITS) {
      float max = Float.NEGATIVE_INFINITY;
      for (float v : row) {
        checkFinite(v, index, row);
        max = Math.max(max, v);
      }
      double sum = 0;
      double[] e = new double[row.length];
      for (int k = 0; k < row.length; k++) {
        e[k] = Math.exp(row[k] - max);
        sum += e[k];
      }
      for (int k = 0; k < row.length; k++) {
        row[k] = (float) (e[k] / sum);
      }
      return row;
    }
    double sum = 0;
    for (float v : row) {
      checkFinite(v, index, row);
      checkState(
          v >= 0,
          "output %s of image %s holds a negative probability (are they logits? set scores(LOGITS)): %s",
          outputName,
          index,
          java.util.Arrays.toString(row));
      sum += v;
    }
    checkState(
        sum > 0,
        "output %s of image %s sums to 0: %s",
        outputName,
        index,
        java.util.Arrays.toString(row));
    for (int k = 0; k < row.length; k++) {
      row[k] = (float) (row[k] / sum);
    }
    return row;
  }

  private void checkFinite(float v, int index, float[] row) {
    checkState(
        Float.isFinite(v),
        "output %s of image %s is not finite: %s",
        outputName,
        index,
        java.util.Arrays.toString(row));
  }

  /** Closes the TensorFlow session and frees its memory. */
  @Override
  public void close() {
    model.close();
  }
}
