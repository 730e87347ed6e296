package io.selftrain.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.selftrain.Student;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a model's parameters start: random (the engine's seeded initialisers), a DJL checkpoint, or
 * the final student of an earlier selftrain run. Zoph et al. 2020 (Sec. 3.1, Tables 2 and 3)
 * compare random and pre-trained initialisation of the same self-trained model; {@link
 * ClassificationRun.Builder#studentInit} and {@link ClassificationRun.Builder#teacherInit} make the
 * same comparison one setting.
 *
 * <pre>{@code
 * .studentInit(Initialization.checkpoint(Path.of("pretrained/cnn-0010.params")))
 * .studentInit(Initialization.previousRun(Path.of("runs/fashion-mnist-1000-s0")))
 * }</pre>
 *
 * <p>The whole network is loaded; the parameter file must come from the same architecture (same
 * {@code Student#name()} layout), or loading fails with the file named. The file's SHA-256 is part
 * of the description, so a resumed run retrains when the file changes.
 */
public final class Initialization {
  private static final Initialization RANDOM = new Initialization(null, "random");
  private static final byte[] DJL_MAGIC = "DJL@".getBytes(StandardCharsets.US_ASCII);

  /** The checkpoint format version {@code ai.djl.BaseModel#save} writes. */
  private static final int DJL_CHECKPOINT_VERSION = 1;

  private final Path file;
  private final String description;

  /**
   * For a backbone transfer, the network the file was saved from; null when the file holds the
   * whole model.
   */
  private final Student<?> source;

  /**
   * For a backbone transfer, the child block of the target that receives the source's parameters.
   */
  private final String child;

  private Initialization(Path file, String description) {
    this(file, description, null, null);
  }

  private Initialization(Path file, String description, Student<?> source, String child) {
    this.file = file;
    this.description = description;
    this.source = source;
    this.child = child;
  }

  /**
   * A detector's backbone from a classification network, such as the student of a classification
   * run (Zoph et al. 2020 initialise RetinaNet's EfficientNet backbone from ImageNet
   * classification, Sec. 3.1): the detector is first initialised at random (seeded per stage), then
   * every parameter of its {@code backbone} block is replaced by the classifier's parameter of the
   * same name; the classifier's head (its last convolution, batch norm and fully connected layer)
   * is left out.
   *
   * <pre>{@code
   * .studentInit(Initialization.backbone(Path.of("runs/fashion/round-1/student.params"),
   *     EfficientNet.student(EfficientNet.tiny64())))
   * }</pre>
   *
   * @param file the classifier's parameters: a selftrain {@code student.params}, {@code
   *     teacher.params} or a DJL checkpoint
   * @param classifier the classifier's architecture, whose features equal the detector's backbone
   *     (for RetinaNet: {@code EfficientNet.student(config.backbone())} with any number of classes)
   * @return the initialisation
   * @throws IllegalArgumentException if the file does not exist
   * @throws UncheckedIOException if it cannot be read
   */
  public static Initialization backbone(Path file, Student<?> classifier) {
    checkNotNull(file, "file");
    checkNotNull(classifier, "classifier");
    checkArgument(Files.isRegularFile(file), "backbone file does not exist: %s", file);
    Initialization whole = fromFile(file, "backbone");
    return new Initialization(
        file, whole.description + " from " + classifier.name(), classifier, "backbone");
  }

  /**
   * @return random initialisation from the engine's initialisers, seeded per stage (the default)
   */
  public static Initialization random() {
    return RANDOM;
  }

  /**
   * Parameters from a file: a DJL checkpoint ({@code Model.save(dir, name)} writes {@code
   * name-0000.params}), or a raw {@code Block.saveParameters} file such as a selftrain work
   * directory's {@code student.params}.
   *
   * @param file the parameter file
   * @return the initialisation
   * @throws IllegalArgumentException if the file does not exist
   * @throws UncheckedIOException if it cannot be read
   */
  public static Initialization checkpoint(Path file) {
    checkNotNull(file, "file");
    checkArgument(Files.isRegularFile(file), "checkpoint file does not exist: %s", file);
    return fromFile(file, "checkpoint");
  }

  /**
   * The last round's student of a selftrain run (finished, or stopped after at least one student),
   * verified against the checksum in the run's manifest.
   *
   * @param workDir the earlier run's work directory
   * @return the initialisation
   * @throws IllegalArgumentException if the folder holds no run or no completed student
   * @throws UncheckedIOException if the manifest or the parameters cannot be read or are corrupt
   */
  public static Initialization previousRun(Path workDir) {
    checkNotNull(workDir, "workDir");
    checkArgument(Files.isDirectory(workDir), "previousRun workDir does not exist: %s", workDir);
    try {
      return fromFile(WorkDirectory.lastStudent(workDir), "previous-run");
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  private static Initialization fromFile(Path file, String kind) {
    try {
      return new Initialization(
          file, kind + "(" + file + " sha256=" + WorkDirectory.sha256(file) + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * @return the parameter file, empty for random initialisation
   */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /**
   * @return {@code random}, or the kind, file and SHA-256 of the parameters
   */
  public String describe() {
    return description;
  }

  @Override
  public String toString() {
    return describe();
  }

  /**
   * Sets an uninitialised block's parameters from the file (random initialisation: does nothing;
   * the trainer's initialisers run later). Checks every parameter's shape, which DJL's own loading
   * does not.
   *
   * @param block the model's block
   * @param manager owner of the parameter arrays
   * @param inputShape the block's input shape with a batch dimension
   * @param modelName the model's name, for messages
   * @throws IOException naming the file and the parameter, if it cannot be read or does not fit the
   *     block
   */
  public void initialize(Block block, NDManager manager, Shape inputShape, String modelName)
      throws IOException {
    checkNotNull(block, "block");
    checkNotNull(manager, "manager");
    if (file == null) {
      return;
    }
    if (source == null) {
      load(file, block, manager, inputShape, modelName);
      return;
    }
    block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, inputShape);
    try (NDManager scratch = manager.newSubManager()) {
      Block classifier = source.newBlock();
      load(file, classifier, scratch, new Shape(1).addAll(source.inputShape()), source.name());
      transfer(classifier, block, child, modelName);
    }
  }

  /**
   * Copies every parameter of {@code target}'s child block {@code child} from the same-named one of
   * {@code from}.
   */
  private void transfer(Block from, Block target, String child, String modelName)
      throws IOException {
    java.util.Map<String, Parameter> source = new java.util.HashMap<>();
    for (Pair<String, Parameter> p : from.getParameters()) {
      source.put(p.getKey(), p.getValue());
    }
    // DJL names a parameter by its path of child blocks, each numbered in order:
    // "01backbone_01stemConv_weight", or "01task_01backbone_01stemConv_weight" inside the block of
    // a joint-training student (JointBlock).
    java.util.regex.Pattern prefix =
        java.util.regex.Pattern.compile(
            "(?:.*_)?\\d+" + java.util.regex.Pattern.quote(child) + "_(.+)");
    int copied = 0;
    for (Pair<String, Parameter> p : target.getParameters()) {
      java.util.regex.Matcher m = prefix.matcher(p.getKey());
      if (!m.matches()) {
        continue;
      }
      String name = m.group(1);
      Parameter found = source.get(name);
      if (found == null) {
        throw new IOException(
            "parameter file "
                + file
                + " of "
                + this.source.name()
                + " has no parameter "
                + name
                + " for "
                + modelName
                + "'s "
                + child);
      }
      Shape have = found.getArray().getShape();
      Shape need = p.getValue().getArray().getShape();
      if (!have.equals(need)) {
        throw new IOException(
            "parameter file "
                + file
                + " does not fit "
                + modelName
                + "'s "
                + child
                + ": parameter "
                + name
                + " has shape "
                + have
                + ", the model needs "
                + need);
      }
      p.getValue().getArray().set(java.nio.FloatBuffer.wrap(found.getArray().toFloatArray()));
      copied++;
    }
    if (copied == 0) {
      throw new IOException(
          modelName + " has no block named " + child + " to initialise from " + file);
    }
  }

  /**
   * Initialises a block and reads its parameters from a DJL checkpoint or a raw parameter file.
   *
   * @throws IOException naming the file, if it cannot be read or does not fit the block
   */
  static void load(Path file, Block block, NDManager manager, Shape inputShape, String modelName)
      throws IOException {
    block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, inputShape);
    List<Shape> expected = new ArrayList<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      expected.add(p.getValue().getArray().getShape());
    }
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      if (startsWithDjlMagic(in)) {
        skipDjlCheckpointHeader(in, file);
      }
      block.loadParameters(manager, in);
      // DJL replaces each array by the stored one without comparing shapes: a wider network loads
      // silently.
      int i = 0;
      for (Pair<String, Parameter> p : block.getParameters()) {
        Shape found = p.getValue().getArray().getShape();
        if (!found.equals(expected.get(i++))) {
          throw new IOException(
              "parameter file "
                  + file
                  + " does not fit "
                  + modelName
                  + ": parameter "
                  + p.getKey()
                  + " has shape "
                  + found
                  + ", the model needs "
                  + expected.get(i - 1));
        }
      }
      if (in.read() != -1) {
        throw new IOException(
            "parameter file "
                + file
                + " does not fit "
                + modelName
                + ": it holds more parameters than the model");
      }
    } catch (MalformedModelException
        | IllegalArgumentException
        | IllegalStateException
        | java.io.EOFException e) {
      throw new IOException("parameter file " + file + " does not fit " + modelName + ": " + e, e);
    }
  }

  private static boolean startsWithDjlMagic(InputStream in) throws IOException {
    in.mark(DJL_MAGIC.length);
    byte[] head = in.readNBytes(DJL_MAGIC.length);
    if (java.util.Arrays.equals(head, DJL_MAGIC)) {
      return true;
    }
    in.reset();
    return false;
  }

  /**
   * Skips the header of DJL's checkpoint format (after the magic: version, model name, data type,
   * input descriptions, properties); the block's parameters follow.
   */
  private static void skipDjlCheckpointHeader(DataInputStream in, Path file) throws IOException {
    int version = in.readInt();
    if (version != DJL_CHECKPOINT_VERSION) {
      throw new IOException(
          "DJL checkpoint "
              + file
              + " has format version "
              + version
              + "; supported: "
              + DJL_CHECKPOINT_VERSION);
    }
    in.readUTF();
    in.readUTF();
    int inputs = in.readInt();
    for (int i = 0; i < inputs; i++) {
      in.readUTF();
      Shape.decode(in);
    }
    int properties = in.readInt();
    for (int i = 0; i < properties; i++) {
      in.readUTF();
      in.readUTF();
    }
  }
}
