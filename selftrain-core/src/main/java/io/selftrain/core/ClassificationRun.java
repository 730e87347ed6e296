package io.selftrain.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.common.base.Throwables;
import com.google.common.collect.Lists;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.google.common.util.concurrent.Uninterruptibles;
import com.google.gson.JsonObject;
import io.selftrain.Augmenter;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Origin;
import io.selftrain.Prediction;
import io.selftrain.PseudoLabel;
import io.selftrain.SelfTrainingListener;
import io.selftrain.Stage;
import io.selftrain.Student;
import io.selftrain.Teacher;
import io.selftrain.TrainingNoise;
import io.selftrain.augment.AugmentPolicy;
import io.selftrain.augment.Augmenters;
import io.selftrain.augment.Task;
import io.selftrain.core.label.PseudoLabelConfig;
import io.selftrain.core.label.PseudoLabelers;
import io.selftrain.core.loss.LossNormalization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A Noisy Student run for image classification (Xie et al. 2020; Zoph et al. 2020, Sec. 3): train a teacher
 * on the labeled data; pseudo-label the unlabeled pool with the un-noised teacher; train a fresh, noised
 * student on human and pseudo labels mixed in every batch, with the losses combined by a
 * {@link LossNormalization}; the student becomes the next round's teacher.
 *
 * <pre>{@code
 * try (ClassificationRun run = SelfTraining.classification()
 *         .labeled(split.labeled().toExamples())
 *         .unlabeled(split.unlabeled())
 *         .validation(dataset.test().toExamples())
 *         .teacher(ConvNets.student(ConvNetConfig.builder().build()))
 *         .student(ConvNets.student(ConvNetConfig.builder().dropout(0.3f).stochasticDepth(0.2f).build()))
 *         .augment(Augmenters.flipCrop(FlipCropConfig.builder().build()))
 *         .pseudoLabels(PseudoLabelConfig.soft())
 *         .lossNormalization(LossNormalization.paper(1.0))
 *         .rounds(2).seed(0)
 *         .workDir(Path.of("runs/fashion-mnist"))
 *         .build()) {
 *   SelfTrainingResult result = run.fit();
 * }
 * }</pre>
 *
 * <h2>Resuming</h2>
 *
 * Every stage (teacher, pseudo labels, student, control) is written atomically to the work directory
 * and recorded in its manifest with a digest of the settings it depends on; {@link #fit()} on a folder
 * that holds an unfinished run skips the completed stages and reaches the same result. Changing a
 * setting recomputes only the stages that depend on it: a new student recipe reuses the trained teacher
 * and its pseudo labels (cheap ablations).
 *
 * <h2>Reproducibility</h2>
 *
 * One seed drives everything: each stage re-seeds the engine (for its initial parameters) and the data
 * order from the run's seed and the stage's name, draws its dropout and stochastic-depth masks from its own
 * {@link TrainingNoise} stream, and augments each example with its own generator. On CPU with a fixed
 * thread count, the same seed gives the same pseudo labels and the same metrics.
 *
 * <h2>The control in parallel</h2>
 *
 * With the supervised control on, at least two PyTorch threads and a student whose noise comes from {@link
 * TrainingNoise} (every selftrain model), round 1's student and the control train at the same time on two
 * threads with half the intra-op threads each (on the project's 2-core machine the two together train
 * 1.02-1.08x as many images per second as one stage with both threads). Each gives exactly what it gives when
 * trained alone with that many threads; the student of a run without the control trains with all threads,
 * so its last digits can differ. Listener calls then come from both threads, one at a time.
 */
public final class ClassificationRun implements AutoCloseable {
  /** Held while a stage seeds the engine's (process-wide) generator and draws its initial parameters. */
  private static final Object ENGINE_GENERATOR = new Object();
  /**
   * Enters every trained stage's digest: stages trained before dropout and stochastic depth drew from
   * {@link TrainingNoise} had other masks, so their outputs are not resumed as if they were these.
   */
  private static final String NOISE = "noise=TrainingNoise";
  private final Builder b;
  private final WorkDirectory workDir;
  private final StageTrainer trainer;
  private final SelfTrainingListener listener;
  private final Device device;
  private final Map<String, String> settings;
  private boolean closed;

  private ClassificationRun(Builder b, Map<String, String> settings, WorkDirectory workDir, Device device) {
    this.b = b;
    this.settings = settings;
    this.workDir = workDir;
    this.device = device;
    this.listener = Listeners.all(b.listeners);
    this.trainer = new StageTrainer(listener);
  }

  /** @return a builder; see the class documentation */
  static Builder builder() {
    return new Builder();
  }

  /** @return the work directory holding stage outputs and the manifest */
  public Path workDir() {
    return workDir.root();
  }

  /**
   * Runs (or resumes) all rounds and, if requested, the supervised control.
   *
   * @return teacher and student metrics per round, pseudo-label statistics and provenance
   * @throws UncheckedIOException if the work directory cannot be read or written
   * @throws ai.djl.TrainingDivergedException if a loss or a parameter becomes NaN or infinite
   */
  public SelfTrainingResult fit() {
    checkState(!closed, "run is closed");
    long start = System.nanoTime();
    try {
      List<RoundResult> rounds = new ArrayList<>();
      boolean controlTrained = false;
      Teacher<ClassTarget> teacher = teacherStage();
      try {
        double teacherTop1 = metric("round-1/teacher", teacherInputs(), "top1");
        for (int round = 1; round <= b.rounds; round++) {
          PseudoStage pseudo = pseudoStage(round, teacher);
          boolean alongside = round == 1 && controlAlongsideRoundOne();
          TrainedModel student = alongside ? studentWithControl(pseudo.labels) : studentStage(round, pseudo.labels);
          controlTrained |= alongside;
          if (teacher != b.firstTeacher) {
            teacher.close();
          }
          // The student is the next round's teacher; on failure the finally block frees it.
          teacher = student;
          double studentTop1 = metric(stageKey(round, "student"), studentInputs(round), "top1");
          rounds.add(new RoundResult(round, teacherTop1, studentTop1, pseudo.stats));
          teacherTop1 = studentTop1;
        }
      } finally {
        if (teacher != b.firstTeacher) {
          teacher.close();
        }
      }
      OptionalDouble control = OptionalDouble.empty();
      if (b.control) {
        if (!controlTrained) {
          controlStage().close();
        }
        control = OptionalDouble.of(metric("control/student", controlInputs(), "top1"));
      }
      SelfTrainingResult result =
          new SelfTrainingResult(b.seed, settings, rounds, control, (System.nanoTime() - start) / 1e9);
      workDir.writeJson("result.json", ResultJson.of(result));
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("work directory " + workDir.root() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Trains (or resumes) round 1's teacher only, for instance to export it or to reuse it as a checkpoint
   * in other runs.
   *
   * @return the teacher's parameter file in the work directory (a {@code Block.saveParameters} stream that
   *     {@link Initialization#checkpoint} reads)
   * @throws IllegalStateException if the run was given a {@code firstTeacher}, which it does not train
   * @throws UncheckedIOException if the work directory cannot be read or written
   */
  public Path fitFirstTeacher() {
    checkState(!closed, "run is closed");
    checkState(b.firstTeacher == null, "this run was given a trained firstTeacher; there is no teacher to train");
    try {
      teacherStage().close();
      return workDir.resolve("round-1/teacher.params");
    } catch (IOException e) {
      throw new UncheckedIOException("work directory " + workDir.root() + ": " + e.getMessage(), e);
    }
  }

  /** The first teacher: trained on the labeled data, or the given one (evaluated once and recorded). */
  private Teacher<ClassTarget> teacherStage() throws IOException {
    String key = "round-1/teacher";
    if (b.firstTeacher == null) {
      return trainOrLoad(
          key, teacherInputs(), 1, Stage.TEACHER_TRAINING, b.teacher, b.teacherInit, () -> supervised(b.teacherAugment, b.teacherSchedule));
    }
    java.util.Optional<JsonObject> done = workDir.completed(key, teacherInputs());
    double top1 = done.isPresent() ? done.get().get("top1").getAsDouble() : Teachers.top1(b.firstTeacher, b.validation);
    if (done.isEmpty()) {
      JsonObject metrics = new JsonObject();
      metrics.addProperty("top1", top1);
      workDir.complete(key, teacherInputs(), List.of(), metrics);
    }
    listener.onEvaluation(1, "teacher", top1);
    return b.firstTeacher;
  }

  /** Digests of the settings each stage's output depends on, chained through the stages it consumes. */
  private String teacherInputs() {
    if (b.firstTeacher != null) {
      return digest("given teacher", b.firstTeacher.describe());
    }
    // Random initialisation adds nothing, so work directories written before initialisations existed resume.
    String init = b.teacherInit.file().isPresent() ? b.teacherInit.describe() : null;
    return init == null
        ? digest("teacher", b.teacher.name(), b.teacherAugment.describe(), b.teacherSchedule.describe(), b.seed, b.engine, NOISE)
        : digest("teacher", b.teacher.name(), b.teacherAugment.describe(), b.teacherSchedule.describe(), b.seed, b.engine, init, NOISE);
  }

  private String pseudoInputs(int round) {
    String previous = round == 1 ? teacherInputs() : studentInputs(round - 1);
    return digest("pseudo", previous, b.pseudoLabels.describe(), b.teacherFlipAveraging ? "flip-averaged" : "single view");
  }

  private String studentInputs(int round) {
    // Pseudo-only noise keys the students, not the control; a setting at its "off" value adds nothing, so
    // the keys of runs made before it existed stay valid.
    List<Object> parts = new ArrayList<>(List.of("student", pseudoInputs(round), studentRecipe(), b.lossNormalization.describe()));
    if (b.pseudoMixup > 0) {
      parts.add("pseudoMixup=" + b.pseudoMixup);
    }
    if (b.pseudoCutMix > 0) {
      parts.add("pseudoCutMix=" + b.pseudoCutMix);
    }
    if (b.pseudoModelNoise != 1) {
      parts.add("pseudoModelNoise=" + b.pseudoModelNoise);
    }
    return digest(parts.toArray());
  }

  private String controlInputs() {
    return digest("control", pseudoInputs(1), studentRecipe());
  }

  private String studentRecipe() {
    return b.student.name() + " " + b.augment.describe() + " " + b.studentSchedule.describe() + " ratio=" + b.pseudoRatio
        + " seed=" + b.seed + " engine=" + b.engine + (b.studentInit.file().isPresent() ? " init=" + b.studentInit.describe() : "")
        + " " + NOISE;
  }

  private static String digest(Object... parts) {
    com.google.common.hash.Hasher h = com.google.common.hash.Hashing.sha256().newHasher();
    for (Object part : parts) {
      h.putString(String.valueOf(part), java.nio.charset.StandardCharsets.UTF_8).putByte((byte) 0);
    }
    return h.hash().toString();
  }

  private TrainedModel studentStage(int round, List<PseudoLabel<ClassTarget>> labels) throws IOException {
    List<Example<ClassTarget>> pseudo = new ArrayList<>(labels.size());
    for (PseudoLabel<ClassTarget> label : labels) {
      pseudo.add(new Example<>(b.unlabeled.get(label.poolIndex()), label.target(), Origin.PSEUDO));
    }
    return trainOrLoad(
        stageKey(round, "student"), studentInputs(round), round, Stage.STUDENT_TRAINING, b.student, b.studentInit, () -> new Plan(pseudo, b.augment, b.studentSchedule));
  }

  /** The student's recipe (model, noise, augmentation, batch size, steps, learning rate) on human labels only. */
  private TrainedModel controlStage() throws IOException {
    int pseudoCount = (int) metric(stageKey(1, "pseudo"), pseudoInputs(1), "kept");
    // As many steps as the first student: its epochs are passes over the pseudo labels.
    int steps = pseudoCount == 0
        ? (b.labeled.size() + b.studentSchedule.batchSize() - 1) / b.studentSchedule.batchSize()
        : MixedBatches.mixedStepsPerEpoch(pseudoCount, b.studentSchedule.batchSize(), b.pseudoRatio);
    return trainOrLoad(
        "control/student", controlInputs(), 0, Stage.SUPERVISED_CONTROL, b.student, b.studentInit, () -> new Plan(List.of(), b.augment, b.studentSchedule, steps));
  }

  /**
   * Whether the control trains on a second thread while round 1's student trains: both stages still to
   * train, a student whose noise is reproducible on any thread, and at least two intra-op threads to split.
   */
  private boolean controlAlongsideRoundOne() {
    return b.control
        && b.student.reproducibleNoise()
        && IntraOpThreads.get(b.engine).orElse(1) >= 2
        && workDir.completed(stageKey(1, "student"), studentInputs(1)).isEmpty()
        && workDir.completed("control/student", controlInputs()).isEmpty();
  }

  /**
   * Trains round 1's student on this thread and the supervised control on another, each with half the
   * intra-op threads: two small networks use two cores better side by side than one after the other. Each
   * stage draws its masks from its own {@link TrainingNoise} stream and initialises its parameters under a
   * lock, so both give exactly what they give alone. If one fails, the other still finishes (and is saved).
   */
  private TrainedModel studentWithControl(List<PseudoLabel<ClassTarget>> labels) throws IOException {
    workDir.invalidate(stageKey(1, "student"));
    workDir.invalidate("control/student");
    int threads = IntraOpThreads.get(b.engine).getAsInt();
    IntraOpThreads.set(b.engine, Math.max(1, threads / 2));
    ExecutorService controlThread =
        Executors.newSingleThreadExecutor(new ThreadFactoryBuilder().setNameFormat("selftrain-control").setDaemon(true).build());
    try {
      Future<?> control =
          controlThread.submit(
              () -> {
                controlStage().close();
                return null;
              });
      TrainedModel student = null;
      Throwable failure = null;
      try {
        student = studentStage(1, labels);
      } catch (IOException | RuntimeException | Error e) {
        failure = e;
      }
      try {
        Uninterruptibles.getUninterruptibly(control);
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause();
        } else {
          failure.addSuppressed(e.getCause());
        }
      }
      if (failure != null) {
        if (student != null) {
          student.close();
        }
        Throwables.throwIfInstanceOf(failure, IOException.class);
        Throwables.throwIfUnchecked(failure);
        throw new IllegalStateException("the supervised control failed", failure);
      }
      return student;
    } finally {
      controlThread.shutdown();
      IntraOpThreads.set(b.engine, threads);
    }
  }

  private Plan supervised(Augmenter<ClassTarget> augment, TrainingSchedule schedule) {
    return new Plan(List.of(), augment, schedule);
  }

  /** What one training stage trains on. */
  private record Plan(List<Example<ClassTarget>> pseudo, Augmenter<ClassTarget> augment, TrainingSchedule schedule, int humanOnlySteps) {
    Plan(List<Example<ClassTarget>> pseudo, Augmenter<ClassTarget> augment, TrainingSchedule schedule) {
      this(pseudo, augment, schedule, 0);
    }
  }

  private TrainedModel trainOrLoad(
      String key, String inputs, int round, Stage stage, Student<ClassTarget> student, Initialization init, java.util.function.Supplier<Plan> plan)
      throws IOException {
    String file = key + ".params";
    if (workDir.completed(key, inputs).isPresent()) {
      listener.onStage(round, stage, true);
      TrainedModel model = TrainedModel.load(student, b.engine, device, workDir.resolve(file));
      listener.onEvaluation(round, role(stage), metric(key, inputs, "top1"));
      return model;
    }
    listener.onStage(round, stage, false);
    long stageSeed = Seeds.derive(b.seed, key);
    TrainedModel model;
    // The engine's generator is shared by all threads: seed it and draw the initial parameters in one step.
    synchronized (ENGINE_GENERATOR) {
      Engine.getEngine(b.engine).setRandomSeed((int) stageSeed);
      model = TrainedModel.create(student, b.engine, device, init);
    }
    try {
      Plan p = plan.get();
      MixedBatches batches =
          p.humanOnlySteps > 0
              ? MixedBatches.humanOnly(b.labeled, p.augment, p.schedule.batchSize(), p.humanOnlySteps, p.schedule.labelSmoothing(), stageSeed)
              : MixedBatches.mixed(
                  b.labeled, p.pseudo, p.augment, p.schedule.batchSize(), b.pseudoRatio, p.schedule.labelSmoothing(),
                  b.pseudoMixup, b.pseudoCutMix, stageSeed);
      // Batches put their human examples first; a stage without pseudo examples has no row from humanPerBatch on.
      try (TrainingNoise.Binding noise =
          TrainingNoise.bind(Seeds.derive(stageSeed, "noise"), batches.humanPerBatch(), b.pseudoModelNoise)) {
        trainer.train(model, batches, p.schedule, b.lossNormalization, round, stage);
      }
      double top1 = Teachers.top1(model, b.validation);
      model.save(workDir, file);
      JsonObject metrics = new JsonObject();
      metrics.addProperty("top1", top1);
      metrics.addProperty("steps", batches.stepsPerEpoch() * p.schedule.epochs());
      workDir.complete(key, inputs, List.of(file), metrics);
      listener.onEvaluation(round, role(stage), top1);
      return model;
    } catch (RuntimeException | IOException e) {
      model.close();
      throw e;
    }
  }

  private static String role(Stage stage) {
    switch (stage) {
      case TEACHER_TRAINING:
        return "teacher";
      case SUPERVISED_CONTROL:
        return "control";
      default:
        return "student";
    }
  }

  private record PseudoStage(List<PseudoLabel<ClassTarget>> labels, PseudoLabelStats stats) {}

  private PseudoStage pseudoStage(int round, Teacher<ClassTarget> teacher) throws IOException {
    String key = stageKey(round, "pseudo");
    String file = key + ".bin";
    String inputs = pseudoInputs(round);
    java.util.Optional<JsonObject> finished = workDir.completed(key, inputs);
    if (finished.isPresent()) {
      listener.onStage(round, Stage.PSEUDO_LABELING, true);
      List<PseudoLabel<ClassTarget>> labels = PseudoLabelStore.read(workDir.resolve(file));
      return new PseudoStage(labels, statsFrom(finished.get()));
    }
    listener.onStage(round, Stage.PSEUDO_LABELING, false);
    int views = b.teacherFlipAveraging ? 2 : 1;
    int pool = b.unlabeled.size();
    List<Prediction<ClassTarget>> predictions =
        Teachers.predictAll(teacher, b.unlabeled, (done, total) -> listener.onPseudoLabelProgress(round, done, views * pool));
    if (b.teacherFlipAveraging) {
      List<Prediction<ClassTarget>> mirrored =
          Teachers.predictAll(
              teacher,
              Lists.transform(b.unlabeled, ClassificationRun::mirror),
              (done, total) -> listener.onPseudoLabelProgress(round, pool + done, views * pool));
      predictions = average(predictions, mirrored);
    }
    SplittableRandom rng = new SplittableRandom(Seeds.derive(b.seed, key));
    List<PseudoLabel<ClassTarget>> labels = PseudoLabelers.classification(b.pseudoLabels).select(predictions, rng);
    PseudoLabelStats stats = stats(predictions, labels);
    PseudoLabelStore.write(workDir, file, labels, b.numClasses);
    JsonObject metrics = new JsonObject();
    metrics.addProperty("pool", stats.pool());
    metrics.addProperty("kept", stats.kept());
    metrics.addProperty("unique", stats.unique());
    metrics.add("perClass", ResultJson.GSON.toJsonTree(stats.perClass()));
    metrics.addProperty("meanConfidence", stats.meanConfidence());
    metrics.addProperty("teacherMeanConfidence", stats.teacherMeanConfidence());
    workDir.writeJson(key + "-stats.json", metrics);
    workDir.complete(key, inputs, List.of(file, key + "-stats.json"), metrics);
    return new PseudoStage(labels, stats);
  }

  /** The image mirrored left-right. */
  static Image mirror(Image image) {
    int w = image.width();
    int c = image.channels();
    byte[] src = image.pixels();
    byte[] dst = new byte[src.length];
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < w; x++) {
        System.arraycopy(src, (y * w + x) * c, dst, (y * w + (w - 1 - x)) * c, c);
      }
    }
    return Image.of(image.height(), w, c, dst);
  }

  /** The mean of two views' class probabilities, per image. */
  static List<Prediction<ClassTarget>> average(List<Prediction<ClassTarget>> a, List<Prediction<ClassTarget>> b) {
    List<Prediction<ClassTarget>> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      float[] p = a.get(i).target().probabilities();
      float[] q = b.get(i).target().probabilities();
      double sum = 0;
      for (int k = 0; k < p.length; k++) {
        p[k] = 0.5f * (p[k] + q[k]);
        sum += p[k];
      }
      for (int k = 0; k < p.length; k++) {
        p[k] = (float) (p[k] / sum);
      }
      ClassTarget target = ClassTarget.probabilities(p);
      out.add(new Prediction<>(target, target.confidence()));
    }
    return out;
  }

  private PseudoLabelStats stats(List<Prediction<ClassTarget>> predictions, List<PseudoLabel<ClassTarget>> labels) {
    int[] perClass = new int[b.numClasses];
    double confidence = 0;
    java.util.BitSet unique = new java.util.BitSet(predictions.size());
    for (PseudoLabel<ClassTarget> label : labels) {
      perClass[label.target().classIndex()]++;
      confidence += label.confidence();
      unique.set(label.poolIndex());
    }
    double teacherConfidence = 0;
    for (Prediction<ClassTarget> p : predictions) {
      teacherConfidence += p.confidence();
    }
    return new PseudoLabelStats(
        predictions.size(),
        labels.size(),
        unique.cardinality(),
        perClass,
        labels.isEmpty() ? 0 : confidence / labels.size(),
        predictions.isEmpty() ? 0 : teacherConfidence / predictions.size());
  }

  private static PseudoLabelStats statsFrom(JsonObject m) {
    return new PseudoLabelStats(
        m.get("pool").getAsInt(),
        m.get("kept").getAsInt(),
        m.get("unique").getAsInt(),
        ResultJson.GSON.fromJson(m.get("perClass"), int[].class),
        m.get("meanConfidence").getAsDouble(),
        m.get("teacherMeanConfidence").getAsDouble());
  }

  private double metric(String key, String inputs, String name) {
    return workDir
        .completed(key, inputs)
        .orElseThrow(() -> new IllegalStateException("stage " + key + " is not complete in " + workDir.root()))
        .get(name)
        .getAsDouble();
  }

  private static String stageKey(int round, String stage) {
    return "round-" + round + "/" + stage;
  }

  /** Marks the run closed; models are released as soon as each stage is done, so nothing else is held. */
  @Override
  public void close() {
    closed = true;
  }

  /**
   * Builds a {@link ClassificationRun}. Setters check their own argument; {@link #build()} checks required
   * settings, cross-setting rules and the engine.
   */
  public static final class Builder {
    private List<Example<ClassTarget>> labeled;
    private List<Image> unlabeled;
    private List<Example<ClassTarget>> validation;
    private Student<ClassTarget> teacher;
    private Teacher<ClassTarget> firstTeacher;
    private Student<ClassTarget> student;
    private Initialization teacherInit = Initialization.random();
    private Initialization studentInit = Initialization.random();
    private Augmenter<ClassTarget> augment = Augmenters.none();
    private AugmentPolicy augmentPolicy;
    private Augmenter<ClassTarget> teacherAugment;
    private PseudoLabelConfig pseudoLabels = PseudoLabelConfig.soft();
    private LossNormalization lossNormalization = LossNormalization.paper(1.0);
    private int pseudoRatio = 3;
    private double pseudoMixup = 0;
    private double pseudoCutMix = 0;
    private double pseudoModelNoise = 1;
    private TrainingSchedule teacherSchedule = TrainingSchedule.epochs(30);
    private TrainingSchedule studentSchedule = TrainingSchedule.epochs(2);
    private int rounds = 1;
    private long seed;
    private Path workDir;
    private String engine = Engines.PYTORCH;
    private boolean control;
    private boolean teacherFlipAveraging;
    private int numClasses;
    private final List<SelfTrainingListener> listeners = new ArrayList<>();

    private Builder() {}

    /**
     * The human-labeled training examples.
     *
     * @param examples at least one example per class, all of one image size
     * @return this builder (for chaining)
     * @throws IllegalArgumentException if the list is empty
     */
    @CanIgnoreReturnValue
    public Builder labeled(List<Example<ClassTarget>> examples) {
      checkNotNull(examples, "labeled");
      checkArgument(!examples.isEmpty(), "labeled must not be empty: %s", examples.size());
      this.labeled = List.copyOf(examples);
      return this;
    }

    /**
     * The unlabeled pool the teacher pseudo-labels. Only pixels: no label is ever read.
     *
     * @param images the pool, possibly empty (then the student trains on human labels only)
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder unlabeled(List<Image> images) {
      this.unlabeled = List.copyOf(checkNotNull(images, "unlabeled"));
      return this;
    }

    /**
     * The held-out examples every teacher and student is evaluated on (top-1).
     *
     * @param examples at least one example
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder validation(List<Example<ClassTarget>> examples) {
      checkNotNull(examples, "validation");
      checkArgument(!examples.isEmpty(), "validation must not be empty: %s", examples.size());
      this.validation = List.copyOf(examples);
      return this;
    }

    /**
     * The first teacher's architecture, trained on the labeled data.
     *
     * @param model the teacher model
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder teacher(Student<ClassTarget> model) {
      this.teacher = checkNotNull(model, "teacher");
      return this;
    }

    /**
     * A teacher trained elsewhere (for instance a {@link io.selftrain.core.teacher.SavedModelTeacher}) as
     * round 1's teacher, instead of training one on the labeled data; later rounds use the students. The run
     * evaluates it but does not close it: its owner does. Needs {@link #student}; excludes {@link #teacher}.
     *
     * @param trained the teacher, predicting as many classes as the labels have
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder firstTeacher(Teacher<ClassTarget> trained) {
      this.firstTeacher = checkNotNull(trained, "firstTeacher");
      return this;
    }

    /**
     * Where the first teacher's parameters start before it trains on the labeled data (default random).
     *
     * @param init random, a checkpoint or a previous run's student
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder teacherInit(Initialization init) {
      this.teacherInit = checkNotNull(init, "teacherInit");
      return this;
    }

    /**
     * Where every student's (and the supervised control's) parameters start (default random, as in Noisy
     * Student; Zoph et al. 2020 compare random with pre-trained initialisation, Sec. 3.1).
     *
     * @param init random, a checkpoint or a previous run's student
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder studentInit(Initialization init) {
      this.studentInit = checkNotNull(init, "studentInit");
      return this;
    }

    /**
     * The student's architecture and model noise (dropout, stochastic depth); default: the teacher's.
     *
     * @param model the student model, equal to or larger than the teacher
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder student(Student<ClassTarget> model) {
      this.student = checkNotNull(model, "student");
      return this;
    }

    /**
     * The student's input noise (default: none).
     *
     * @param augmenter the augmenter
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder augment(Augmenter<ClassTarget> augmenter) {
      this.augment = checkNotNull(augmenter, "augment");
      this.augmentPolicy = null;
      return this;
    }

    /**
     * The student's input noise as one of the paper's policies Augment-S1..S4 (Zoph et al. 2020, Sec. 3.1),
     * at the model's input size; replaces any {@link #augment(Augmenter)}.
     *
     * @param policy S1 (flip + scale jitter 0.8-1.2 + crop) .. S4 (RandAugment + large scale jitter)
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder augment(AugmentPolicy policy) {
      this.augmentPolicy = checkNotNull(policy, "augment");
      return this;
    }

    /**
     * The first teacher's augmentation (default: the student's).
     *
     * @param augmenter the augmenter
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder teacherAugment(Augmenter<ClassTarget> augmenter) {
      this.teacherAugment = checkNotNull(augmenter, "teacherAugment");
      return this;
    }

    /**
     * Pseudo-label rules (default: soft, temperature 1, no threshold, no balancing).
     *
     * @param config the rules
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder pseudoLabels(PseudoLabelConfig config) {
      this.pseudoLabels = checkNotNull(config, "pseudoLabels");
      return this;
    }

    /**
     * How human and pseudo losses combine (default: the paper's rule with alpha 1).
     *
     * @param rule the rule
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder lossNormalization(LossNormalization rule) {
      this.lossNormalization = checkNotNull(rule, "lossNormalization");
      return this;
    }

    /**
     * Pseudo examples per human example in each student batch (Noisy Student's {@code unlabel_ratio};
     * default 3).
     *
     * @param ratio at least 1
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder pseudoRatio(int ratio) {
      checkArgument(ratio >= 1, "pseudoRatio must be at least 1: %s", ratio);
      this.pseudoRatio = ratio;
      return this;
    }

    /**
     * Mixup between the pseudo-labeled examples of each student batch, as extra student noise: each pseudo
     * example is blended with another one of its batch, inputs and target distributions alike, with weight
     * {@code max(lambda, 1 - lambda)}, {@code lambda ~ Beta(alpha, alpha)} (Zhang et al. 2018). The teacher
     * still labels clean images, and human examples (so the supervised control) are not mixed. Default 0: off.
     *
     * @param alpha the Beta parameter; 0 turns mixup off, 1 draws the weight uniformly from [0.5, 1]
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder pseudoMixup(double alpha) {
      checkArgument(alpha >= 0 && Double.isFinite(alpha), "pseudoMixup must be a finite non-negative number: %s", alpha);
      this.pseudoMixup = alpha;
      return this;
    }

    /**
     * CutMix between the pseudo-labeled examples of each student batch, as extra student noise (after mixup
     * when both are on): a rectangle of each pseudo example, {@code 1 - max(lambda, 1 - lambda)} of its area
     * with {@code lambda ~ Beta(alpha, alpha)}, is replaced by the same rectangle of another pseudo example of
     * its batch, and the target distributions are mixed by area (Yun et al. 2019). The teacher still labels
     * clean images, and human examples (so the supervised control) are not cut. Default 0: off.
     *
     * @param alpha the Beta parameter; 0 turns CutMix off
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder pseudoCutMix(double alpha) {
      checkArgument(alpha >= 0 && Double.isFinite(alpha), "pseudoCutMix must be a finite non-negative number: %s", alpha);
      this.pseudoCutMix = alpha;
      return this;
    }

    /**
     * Stronger model noise (dropout and stochastic depth, Xie et al. 2020 Sec. 2) on the pseudo-labeled rows
     * of each student batch: there a unit or residual branch is kept with probability {@code keep^exponent}
     * instead of the layer's {@code keep}, as if it passed {@code exponent} independent masks; human rows (so
     * the supervised control) keep the layer's own rate. Needs a student whose noise comes from {@link
     * io.selftrain.TrainingNoise} (every selftrain model). Default 1: the same noise on both sources.
     *
     * @param exponent at least 1
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder pseudoModelNoise(double exponent) {
      checkArgument(exponent >= 1 && Double.isFinite(exponent), "pseudoModelNoise must be a finite number of at least 1: %s", exponent);
      this.pseudoModelNoise = exponent;
      return this;
    }

    /**
     * The first teacher's schedule (default 30 epochs over the labeled data).
     *
     * @param schedule the schedule
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder teacherSchedule(TrainingSchedule schedule) {
      this.teacherSchedule = checkNotNull(schedule, "teacherSchedule");
      return this;
    }

    /**
     * Each student's schedule; an epoch is one pass over the selected pseudo labels (default 2).
     *
     * @param schedule the schedule
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder studentSchedule(TrainingSchedule schedule) {
      this.studentSchedule = checkNotNull(schedule, "studentSchedule");
      return this;
    }

    /**
     * Teacher-student iterations (default 1).
     *
     * @param count at least 1
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder rounds(int count) {
      checkArgument(count >= 1, "rounds must be at least 1: %s", count);
      this.rounds = count;
      return this;
    }

    /**
     * The run's seed (default 0).
     *
     * @param value any value
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /**
     * Where stage outputs go; a folder holding an unfinished run with the same settings is resumed
     * (default: a new temporary folder).
     *
     * @param dir the folder
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder workDir(Path dir) {
      this.workDir = checkNotNull(dir, "workDir");
      return this;
    }

    /**
     * The DJL engine that trains teachers and students (default PyTorch; TensorFlow cannot train).
     *
     * @param name the engine name
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder engine(String name) {
      this.engine = checkNotNull(name, "engine");
      return this;
    }

    /**
     * Also trains the supervised control: the student's exact recipe on the labeled data alone, to show
     * what the pseudo labels add beyond stronger noise and longer training.
     *
     * @param enabled whether to run it
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder control(boolean enabled) {
      this.control = enabled;
      return this;
    }

    /**
     * Averages the teacher's class probabilities over each unlabeled image and its left-right mirror
     * before selecting pseudo labels (default off). The teacher itself stays un-noised (no dropout, no
     * stochastic depth); only use it where mirroring keeps the class (garments, natural images; not
     * digits). NOTE: not in Noisy Student; a two-view test-time ensemble of the teacher.
     *
     * @param enabled whether to average over the two views
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder teacherFlipAveraging(boolean enabled) {
      this.teacherFlipAveraging = enabled;
      return this;
    }

    /**
     * Adds a progress listener.
     *
     * @param listener the listener
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder addListener(SelfTrainingListener listener) {
      listeners.add(checkNotNull(listener, "listener"));
      return this;
    }

    /**
     * Validates every setting, loads the engine and opens the work directory.
     *
     * @return the run
     * @throws IllegalStateException if a required setting is missing, or the work directory holds a run
     *     with other settings
     * @throws IllegalArgumentException if settings contradict each other or the engine cannot train
     */
    public ClassificationRun build() {
      checkState(labeled != null, "labeled was not set");
      checkState(unlabeled != null, "unlabeled was not set");
      checkState(validation != null, "validation was not set");
      checkState(
          teacher != null || firstTeacher != null, "teacher was not set: set teacher(Student) or firstTeacher(Teacher)");
      checkArgument(
          teacher == null || firstTeacher == null,
          "set either teacher (an architecture to train) or firstTeacher (a trained teacher), not both: %s and %s",
          teacher == null ? null : teacher.name(),
          firstTeacher == null ? null : firstTeacher.describe());
      checkState(firstTeacher == null || student != null, "student was not set (needed with firstTeacher)");
      checkArgument(
          firstTeacher == null || teacherInit.file().isEmpty(),
          "teacherInit applies to a trained teacher, not to firstTeacher: %s",
          teacherInit);
      if (student == null) {
        student = teacher;
      }
      Student<ClassTarget> shapeModel = teacher != null ? teacher : student;
      if (augmentPolicy != null) {
        augment =
            Augmenters.policy(
                augmentPolicy, Task.CLASSIFICATION, (int) shapeModel.inputShape().get(1), (int) shapeModel.inputShape().get(2));
      }
      if (teacherAugment == null) {
        teacherAugment = augment;
      }
      numClasses = labeled.get(0).target().numClasses();
      checkSameShape("labeled", labeled.stream().map(Example::image).toList(), shapeModel);
      checkSameShape("unlabeled", unlabeled, shapeModel);
      checkSameShape("validation", validation.stream().map(Example::image).toList(), shapeModel);
      checkArgument(
          student.inputShape().equals(shapeModel.inputShape()),
          "student input shape must equal the teacher's (%s): %s",
          shapeModel.inputShape(),
          student.inputShape());
      for (List<Example<ClassTarget>> set : List.of(labeled, validation)) {
        for (Example<ClassTarget> e : set) {
          checkArgument(
              e.target().numClasses() == numClasses,
              "every target must have %s classes: %s",
              numClasses,
              e.target().numClasses());
        }
      }
      int[] perClass = new int[numClasses];
      labeled.forEach(e -> perClass[e.target().classIndex()]++);
      for (int k = 0; k < numClasses; k++) {
        checkArgument(perClass[k] > 0, "labeled must hold every class; class %s has no example: %s", k, 0);
      }
      checkArgument(
          studentSchedule.batchSize() >= pseudoRatio + 1,
          "studentSchedule batchSize must hold at least pseudoRatio + 1 = %s examples: %s",
          pseudoRatio + 1,
          studentSchedule.batchSize());
      checkArgument(
          pseudoModelNoise == 1 || student.reproducibleNoise(),
          "pseudoModelNoise needs a student whose dropout and stochastic depth draw from TrainingNoise"
              + " (Student.reproducibleNoise()): %s",
          student.name());
      Engine loaded = Engines.loadForTraining(engine);
      if (firstTeacher != null) {
        int classes = firstTeacher.predict(List.of(validation.get(0).image())).get(0).target().numClasses();
        checkArgument(
            classes == numClasses,
            "firstTeacher predicts %s classes, the labels have %s: %s",
            classes,
            numClasses,
            firstTeacher.describe());
      }
      Map<String, String> settings = settings();
      try {
        Path dir = workDir != null ? workDir : Files.createTempDirectory("selftrain-run");
        WorkDirectory opened = WorkDirectory.open(dir, dataFingerprint());
        return new ClassificationRun(this, settings, opened, loaded.defaultDevice());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open workDir " + workDir + ": " + e.getMessage(), e);
      }
    }

    private static void checkSameShape(String name, List<Image> images, Student<?> model) {
      long c = model.inputShape().get(0);
      long h = model.inputShape().get(1);
      long w = model.inputShape().get(2);
      for (int i = 0; i < images.size(); i++) {
        Image image = images.get(i);
        if (image.channels() != c || image.height() != h || image.width() != w) {
          throw new IllegalArgumentException(
              String.format(
                  "%s images must be %dx%dx%d (HxWxC) as the model expects: image %d is %dx%dx%d",
                  name, h, w, c, i, image.height(), image.width(), image.channels()));
        }
      }
    }

    private Map<String, String> settings() {
      Map<String, String> s = new LinkedHashMap<>();
      s.put("labeled", Integer.toString(labeled.size()));
      s.put("unlabeled", Integer.toString(unlabeled.size()));
      s.put("validation", Integer.toString(validation.size()));
      s.put("teacher", teacher != null ? teacher.name() : firstTeacher.describe());
      s.put("student", student.name());
      s.put("teacherInit", firstTeacher != null ? "given" : teacherInit.describe());
      s.put("studentInit", studentInit.describe());
      s.put("teacherAugment", teacherAugment.describe());
      s.put("augment", augment.describe());
      s.put("pseudoLabels", pseudoLabels.describe() + (teacherFlipAveraging ? " teacher=flip-averaged" : ""));
      s.put("lossNormalization", lossNormalization.describe());
      s.put("pseudoRatio", Integer.toString(pseudoRatio));
      s.put("pseudoMixup", Double.toString(pseudoMixup));
      s.put("pseudoCutMix", Double.toString(pseudoCutMix));
      s.put("pseudoModelNoise", Double.toString(pseudoModelNoise));
      s.put("teacherSchedule", teacherSchedule.describe());
      s.put("studentSchedule", studentSchedule.describe());
      s.put("rounds", Integer.toString(rounds));
      s.put("seed", Long.toString(seed));
      s.put("engine", engine);
      s.put("control", Boolean.toString(control));
      return s;
    }

    /** A digest of the data, so a folder is never resumed on other data. */
    private String dataFingerprint() {
      com.google.common.hash.Hasher h = com.google.common.hash.Hashing.murmur3_128().newHasher();
      for (Example<ClassTarget> e : labeled) {
        h.putBytes(e.image().pixels()).putInt(e.target().classIndex());
      }
      for (Image image : unlabeled) {
        h.putBytes(image.pixels());
      }
      return "labeled=" + labeled.size() + " unlabeled=" + unlabeled.size() + " digest=" + h.hash();
    }
  }
}
