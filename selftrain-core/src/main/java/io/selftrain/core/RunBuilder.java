package io.selftrain.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import io.selftrain.Augmenter;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.SelfTrainingListener;
import io.selftrain.Student;
import io.selftrain.Target;
import io.selftrain.Teacher;
import io.selftrain.TrainingNoise;
import io.selftrain.augment.AugmentPolicy;
import io.selftrain.augment.Augmenters;
import io.selftrain.augment.Task;
import io.selftrain.core.data.StreamedExamples;
import io.selftrain.core.data.StreamedImages;
import io.selftrain.core.loss.LossNormalization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings every self-training run shares, whatever its task: data, teacher and student,
 * initialisation, noise, loss normalization, schedules, rounds, seed, work directory, engine,
 * control and listeners. Each task's builder ({@link ClassificationRun.Builder}, {@link
 * DetectionRun.Builder}) adds its own settings. Setters check their own argument and reject a
 * setting that contradicts one already made; {@code build()} checks required settings and
 * cross-setting rules, then snapshots everything into an immutable run: setters called afterwards
 * change no run, and {@code build()} may be called again.
 *
 * @param <T> the target type
 * @param <B> the task's builder (for chaining)
 */
public abstract class RunBuilder<T extends Target, B extends RunBuilder<T, B>> {
  private List<Example<T>> labeled;
  private List<Image> unlabeled;
  private List<Example<T>> validation;
  private Student<T> teacher;
  private Teacher<T> firstTeacher;
  private Student<T> student;
  private Initialization teacherInit = Initialization.random();
  private Initialization studentInit = Initialization.random();
  private Augmenter<T> augment;
  private AugmentPolicy augmentPolicy;
  private Augmenter<T> teacherAugment;
  private AugmentPolicy teacherAugmentPolicy;
  private LossNormalization lossNormalization = LossNormalization.paper(1.0);
  private int pseudoRatio = 3;
  private boolean pseudoOnTop;
  private double pseudoModelNoise = 1;
  private JointTraining jointTraining;
  private boolean controlCurve;
  private TrainingSchedule teacherSchedule = TrainingSchedule.epochs(30);
  private TrainingSchedule studentSchedule = TrainingSchedule.epochs(2);
  private int rounds = 1;
  private long seed;
  private Path workDir;
  private String engine = Engines.PYTORCH;
  private boolean control;
  private int shardSize = PredictionShards.DEFAULT_SHARD_SIZE;
  private boolean skipUnreadableImages;
  private final List<SelfTrainingListener> listeners = new ArrayList<>();

  RunBuilder() {}

  /**
   * @return this builder, typed as the task's
   */
  abstract B self();

  /**
   * @return the task that {@link AugmentPolicy} policies are built for
   */
  abstract Task augmentTask();

  /**
   * The task's support for a snapshot of the shared settings, from the task builder's own settings.
   *
   * @param config the shared settings
   * @return the task support
   */
  abstract TaskSupport<T> task(RunConfig<T> config);

  /**
   * The human-labeled training examples.
   *
   * @param examples at least one example, all of the model's input size; a {@link StreamedExamples}
   *     list keeps its images on disk and is never copied, any other is copied
   * @return this builder (for chaining)
   * @throws IllegalArgumentException if the list is empty
   */
  @CanIgnoreReturnValue
  public B labeled(List<Example<T>> examples) {
    checkNotNull(examples, "labeled");
    checkArgument(!examples.isEmpty(), "labeled must not be empty: %s", examples.size());
    this.labeled = examples instanceof StreamedExamples ? examples : List.copyOf(examples);
    return self();
  }

  /**
   * @return the labeled examples set so far, or null (a {@link Study} takes its subsets from them)
   */
  List<Example<T>> labeledExamples() {
    return labeled;
  }

  /**
   * @return the first teacher's schedule set so far (a {@link Study} scales it to label fractions)
   */
  TrainingSchedule teacherScheduleSetting() {
    return teacherSchedule;
  }

  /**
   * @return whether the first teacher's augmentation is set apart from the student's (then a {@link
   *     Study}'s runs that differ only in their policy share one teacher)
   */
  boolean teacherAugmentFixed() {
    return teacherAugment != null || teacherAugmentPolicy != null;
  }

  /**
   * The unlabeled pool the teacher pseudo-labels. Only pixels: no label is ever read. A {@link
   * StreamedImages} pool is read from disk as needed and never copied into memory; any other list
   * is copied.
   *
   * @param images the pool, possibly empty (then the student trains on human labels only)
   * @return this builder (for chaining)
   */
  @CanIgnoreReturnValue
  public B unlabeled(List<Image> images) {
    checkNotNull(images, "unlabeled");
    this.unlabeled = images instanceof StreamedImages ? images : List.copyOf(images);
    return self();
  }

  /**
   * How many pool images each file of the teacher's predictions holds: shards are written
   * atomically, digest-checked and resumed one by one, and can be computed on a cluster ({@link
   * PoolLabeling}). Default {@value PredictionShards#DEFAULT_SHARD_SIZE}, a multiple of every
   * task's inference batch.
   *
   * @param images pool images per shard, at least 1
   * @return this builder (for chaining)
   */
  @CanIgnoreReturnValue
  public B shardSize(int images) {
    checkArgument(images >= 1, "shardSize must be at least 1: %s", images);
    this.shardSize = images;
    return self();
  }

  /**
   * Whether a pool image that cannot be read or decoded while pseudo-labeling is skipped (reported
   * through {@link SelfTrainingListener#onWarning} with its file, and given no pseudo label) rather
   * than failing the run with an error naming the file. Default false: fail.
   *
   * @param skip whether to skip
   * @return this builder (for chaining)
   */
  @CanIgnoreReturnValue
  public B skipUnreadableImages(boolean skip) {
    this.skipUnreadableImages = skip;
    return self();
  }

  /**
   * The held-out examples every teacher and student is evaluated on.
   *
   * @param examples at least one example
   * @return this builder (for chaining)
   */
  @CanIgnoreReturnValue
  public B validation(List<Example<T>> examples) {
    checkNotNull(examples, "validation");
    checkArgument(!examples.isEmpty(), "validation must not be empty: %s", examples.size());
    this.validation = List.copyOf(examples);
    return self();
  }

  /**
   * The first teacher's architecture, trained on the labeled data.
   *
   * @param model the teacher model
   * @return this builder (for chaining)
   * @throws IllegalArgumentException if {@link #firstTeacher} was set
   */
  @CanIgnoreReturnValue
  public B teacher(Student<T> model) {
    checkNotNull(model, "teacher");
    checkArgument(
        firstTeacher == null,
        "set either teacher (an architecture to train) or firstTeacher (a trained teacher), not both: %s and %s",
        model.name(),
        firstTeacher == null ? null : firstTeacher.describe());
    this.teacher = model;
    return self();
  }

  /**
   * A teacher trained elsewhere (for instance a {@link
   * io.selftrain.core.teacher.SavedModelTeacher}) as round 1's teacher, instead of training one on
   * the labeled data; later rounds use the students. The run evaluates it but does not close it:
   * its owner does. Needs {@link #student}; excludes {@link #teacher}.
   *
   * @param trained the teacher
   * @return this builder (for chaining)
   * @throws IllegalArgumentException if {@link #teacher} was set
   */
  @CanIgnoreReturnValue
  public B firstTeacher(Teacher<T> trained) {
    checkNotNull(trained, "firstTeacher");
    checkArgument(
        teacher == null,
        "set either teacher (an architecture to train) or firstTeacher (a trained teacher), not both: %s and %s",
        teacher == null ? null : teacher.name(),
        trained.describe());
    this.firstTeacher = trained;
    return self();
  }

  /**
   * Where the first teacher's parameters start before it trains on the labeled data (default
   * random).
   *
   * @param init random, a checkpoint or a previous run's student
   * @return this builder (for chaining)
   */
  @CanIgnoreReturnValue
  public B teacherInit(Initialization init) {
    this.teacherInit = checkNotNull(init, "teacherInit");
    return self();
  }

  /**
   * Where every student's (and the supervised control's) parameters start (default random, as in
   * Noisy Student; Zoph et al. 2020 compare random with pre-trained initialisation, Sec. 3.1).
   *
   * @param init random, a checkpoint or a previous run's student
   * @return this builder (for chaining)
   */
  @CanIgnoreReturnValue
  public B studentInit(Initialization init) {
    this.studentInit = checkNotNull(init, "studentInit");
    return self();
  }

  /**
   * The student's architecture and model noise (dropout, stochastic depth); default: the teacher's.
   *
   * @param model the student model, equal to or larger than the teacher
   * @return this builder (for chaining)
   */
  @CanIgnoreReturnValue
  public B student(Student<T> model) {
    this.student = checkNotNull(model, "student");
    return self();
  }

  /**
   * The student's input noise (default: none).
   *
   * @param augmenter the augmenter
   * @return this builder (for chaining)
   * @throws IllegalArgumentException if {@link #augment(AugmentPolicy)} was set
   */
  @CanIgnoreReturnValue
  public B augment(Augmenter<T> augmenter) {
    checkOneForm("augment", checkNotNull(augmenter, "augment"), augmentPolicy);
    this.augment = augmenter;
    return self();
  }

  /**
   * The student's input noise as one of the paper's policies Augment-S1..S4 (Zoph et al. 2020, Sec.
   * 3.1), at the model's input size, moving boxes (detection) with the pixels.
   *
   * @param policy S1 (flip + scale jitter 0.8-1.2 + crop) .. S4 (RandAugment + large scale jitter)
   * @return this builder (for chaining)
   * @throws IllegalArgumentException if {@link #augment(Augmenter)} was set
   */
  @CanIgnoreReturnValue
  public B augment(AugmentPolicy policy) {
    checkOneForm("augment", augment, checkNotNull(policy, "augment"));
    this.augmentPolicy = policy;
    return self();
  }

  /**
   * The first teacher's augmentation (default: the student's).
   *
   * @param augmenter the augmenter
   * @return this builder (for chaining)
   * @throws IllegalArgumentException if {@link #teacherAugment(AugmentPolicy)} was set
   */
  @CanIgnoreReturnValue
  public B teacherAugment(Augmenter<T> augmenter) {
    checkOneForm("teacherAugment", checkNotNull(augmenter, "teacherAugment"), teacherAugmentPolicy);
    this.teacherAugment = augmenter;
    return self();
  }

  /**
   * The first teacher's augmentation as one of the paper's policies (default: the student's), at
   * the model's input size. The teacher only labels the pool, unnoised (Xie et al. 2020, Sec. 2);
   * how it was trained is the recipe's choice: a policy too strong for the teacher's schedule
   * leaves it too weak to pseudo-label, while the student still learns under the strong one.
   *
   * @param policy the teacher's policy
   * @return this builder (for chaining)
   * @throws IllegalArgumentException if {@link #teacherAugment(Augmenter)} was set
   */
  @CanIgnoreReturnValue
  public B teacherAugment(AugmentPolicy policy) {
    checkOneForm("teacherAugment", teacherAugment, checkNotNull(policy, "teacherAugment"));
    this.teacherAugmentPolicy = policy;
    return self();
  }

  /**
   * An augmentation set in either form: the policy at the model's input size, else the augmenter,
   * else {@code otherwise}.
   */
  private Augmenter<T> augmenter(
      AugmentPolicy policy, Augmenter<T> augmenter, Augmenter<T> otherwise, int height, int width) {
    if (policy != null) {
      return Augmenters.policy(policy, augmentTask(), height, width);
    }
    return augmenter != null ? augmenter : otherwise;
  }

  /** Refuses an augmentation set both as an {@link Augmenter} and as a policy, naming both. */
  private static void checkOneForm(String option, Augmenter<?> augmenter, AugmentPolicy policy) {
    checkArgument(
        augmenter == null || policy == null,
        "set %s as an Augmenter or as a policy, not both: %s and %s",
        option,
        augmenter == null ? null : augmenter.describe(),
        policy);
  }

  /**
   * How human and pseudo losses combine (default: the paper's rule with alpha 1, Zoph et al. 2020
   * Sec. 3.2).
   *
   * @param rule the rule
   * @return this builder (for chaining)
   */
  @CanIgnoreReturnValue
  public B lossNormalization(LossNormalization rule) {
    this.lossNormalization = checkNotNull(rule, "lossNormalization");
    return self();
  }

  /**
   * Pseudo examples per human example in each student batch (Noisy Student's {@code unlabel_ratio};
   * default 3).
   *
   * @param ratio at least 1
   * @return this builder (for chaining)
   */
  @CanIgnoreReturnValue
  public B pseudoRatio(int ratio) {
    checkArgument(ratio >= 1, "pseudoRatio must be at least 1: %s", ratio);
    this.pseudoRatio = ratio;
    return self();
  }

  /**
   * Noisy Student's batch layout (Xie et al. 2020; the official code's unlabeled batch is {@code
   * unlabel_ratio} times the labeled one, on top of it): each student batch holds the student
   * schedule's whole batch size of human examples, as many as the supervised control's batch, plus
   * {@link #pseudoRatio} times as many pseudo examples; a student step then costs {@code 1 +
   * pseudoRatio} times a control step. Off by default: the batch size is split between human and
   * pseudo examples, so a student sees fewer human examples per step than its control (README,
   * "Choosing the study's schedule").
   *
   * @param onTop whether pseudo examples come on top of a full human batch
   * @return this builder (for chaining)
   */
  @CanIgnoreReturnValue
  public B pseudoOnTop(boolean onTop) {
    this.pseudoOnTop = onTop;
    return self();
  }

  /**
   * Stronger model noise (dropout and stochastic depth, Xie et al. 2020 Sec. 2) on the
   * pseudo-labeled rows of each student batch: there a unit or residual branch is kept with
   * probability {@code keep^exponent} instead of the layer's {@code keep}; human rows (so the
   * supervised control) keep the layer's own rate. Needs a student whose noise comes from {@link
   * TrainingNoise} (every selftrain model). Default 1.
   *
   * @param exponent at least 1
   * @return this builder (for chaining)
   */
  @CanIgnoreReturnValue
  public B pseudoModelNoise(double exponent) {
    checkArgument(
        exponent >= 1 && Double.isFinite(exponent),
        "pseudoModelNoise must be a finite number of at least 1: %s",
        exponent);
    this.pseudoModelNoise = exponent;
    return self();
  }

  /**
   * Whether the supervised control is also scored on the validation set after each epoch, recorded
   * as a curve of (steps, primary metric) in its stage's metrics: how fast supervised training
   * learns, which a {@link Study} turns into pre-training's speed-up (Zoph et al. 2020 find
   * pre-training mostly buys speed, 1.3x to 8x fewer steps). Costs one evaluation per epoch; the
   * model trained is the same. Default false.
   *
   * @param enabled whether to score the control every epoch
   * @return this builder (for chaining)
   */
  @CanIgnoreReturnValue
  public B controlCurve(boolean enabled) {
    this.controlCurve = enabled;
    return self();
  }

  /**
   * Joint training (Zoph et al. 2020, Sec. 6): the students and the supervised control also learn
   * an auxiliary classification dataset through their backbone, a weighted auxiliary loss added at
   * every step; the first teacher trains on the task alone. Works with any initialisation and with
   * or without pseudo labels (an empty pool), so pre-training, joint training and self-training
   * combine as settings. Needs a student with a backbone (RetinaNet, NAS-FPN segmentation) and
   * auxiliary images with the student's input channels.
   *
   * @param joint the auxiliary data and its weight
   * @return this builder (for chaining)
   */
  @CanIgnoreReturnValue
  public B jointTraining(JointTraining joint) {
    this.jointTraining = checkNotNull(joint, "jointTraining");
    return self();
  }

  /**
   * The first teacher's schedule (default 30 epochs over the labeled data).
   *
   * @param schedule the schedule
   * @return this builder (for chaining)
   */
  @CanIgnoreReturnValue
  public B teacherSchedule(TrainingSchedule schedule) {
    this.teacherSchedule = checkNotNull(schedule, "teacherSchedule");
    return self();
  }

  /**
   * Each student's schedule; an epoch is one pass over the selected pseudo labels (default 2).
   *
   * @param schedule the schedule
   * @return this builder (for chaining)
   */
  @CanIgnoreReturnValue
  public B studentSchedule(TrainingSchedule schedule) {
    this.studentSchedule = checkNotNull(schedule, "studentSchedule");
    return self();
  }

  /**
   * Teacher-student iterations (default 1).
   *
   * @param count at least 1
   * @return this builder (for chaining)
   */
  @CanIgnoreReturnValue
  public B rounds(int count) {
    checkArgument(count >= 1, "rounds must be at least 1: %s", count);
    this.rounds = count;
    return self();
  }

  /**
   * The run's seed (default 0).
   *
   * @param value any value
   * @return this builder (for chaining)
   */
  @CanIgnoreReturnValue
  public B seed(long value) {
    this.seed = value;
    return self();
  }

  /**
   * Where stage outputs go; a folder holding an unfinished run with the same settings is resumed
   * (default: a new temporary folder).
   *
   * @param dir the folder
   * @return this builder (for chaining)
   */
  @CanIgnoreReturnValue
  public B workDir(Path dir) {
    this.workDir = checkNotNull(dir, "workDir");
    return self();
  }

  /**
   * The DJL engine that trains teachers and students (default PyTorch; TensorFlow cannot train).
   *
   * @param name the engine name
   * @return this builder (for chaining)
   */
  @CanIgnoreReturnValue
  public B engine(String name) {
    this.engine = checkNotNull(name, "engine");
    return self();
  }

  /**
   * Also trains the supervised control: the student's exact recipe on the labeled data alone, to
   * show what the pseudo labels add beyond stronger noise and longer training.
   *
   * @param enabled whether to run it
   * @return this builder (for chaining)
   */
  @CanIgnoreReturnValue
  public B control(boolean enabled) {
    this.control = enabled;
    return self();
  }

  /**
   * Adds a progress listener.
   *
   * @param listener the listener
   * @return this builder (for chaining)
   */
  @CanIgnoreReturnValue
  public B addListener(SelfTrainingListener listener) {
    listeners.add(checkNotNull(listener, "listener"));
    return self();
  }

  /**
   * The task's {@code build()}, for code that holds any task's builder (a {@link Study}).
   *
   * @return the run
   */
  abstract SelfTrainingRun<T> buildRun();

  /** Makes the task's run from a validated snapshot. */
  interface RunFactory<T extends Target, R> {
    R create(
        RunConfig<T> config,
        TaskSupport<T> task,
        Map<String, String> settings,
        WorkDirectory workDir,
        Device device);
  }

  /**
   * Validates every setting, snapshots them, loads the engine and opens the work directory.
   *
   * @throws IllegalStateException if a required setting is missing, or the work directory holds a
   *     run with other data
   * @throws IllegalArgumentException if settings contradict each other or the engine cannot train
   */
  <R> R build(RunFactory<T, R> factory) {
    checkState(labeled != null, "labeled was not set");
    checkState(unlabeled != null, "unlabeled was not set");
    checkState(validation != null, "validation was not set");
    checkState(
        teacher != null || firstTeacher != null,
        "teacher was not set: set teacher(Student) or firstTeacher(Teacher)");
    checkState(
        firstTeacher == null || student != null, "student was not set (needed with firstTeacher)");
    checkArgument(
        firstTeacher == null || teacherInit.file().isEmpty(),
        "teacherInit applies to a trained teacher, not to firstTeacher: %s",
        teacherInit);
    Student<T> studentModel = student != null ? student : teacher;
    Student<T> shapeModel = teacher != null ? teacher : studentModel;
    int height = (int) shapeModel.inputShape().get(1);
    int width = (int) shapeModel.inputShape().get(2);
    Augmenter<T> studentAugment =
        augmenter(augmentPolicy, augment, Augmenters.none(), height, width);
    Augmenter<T> firstTeacherAugment =
        augmenter(teacherAugmentPolicy, teacherAugment, studentAugment, height, width);
    if (labeled instanceof StreamedExamples<?> streamed) {
      checkStreamedShape(streamed.images(), shapeModel);
    } else {
      checkSameShape("labeled", labeled.stream().map(Example::image).toList(), shapeModel);
    }
    if (unlabeled instanceof StreamedImages streamed) {
      checkStreamedShape(streamed, shapeModel);
    } else {
      checkSameShape("unlabeled", unlabeled, shapeModel);
    }
    checkSameShape("validation", validation.stream().map(Example::image).toList(), shapeModel);
    checkArgument(
        studentModel.inputShape().equals(shapeModel.inputShape()),
        "student input shape must equal the teacher's (%s): %s",
        shapeModel.inputShape(),
        studentModel.inputShape());
    checkArgument(
        pseudoOnTop || studentSchedule.batchSize() >= pseudoRatio + 1,
        "studentSchedule batchSize must hold at least pseudoRatio + 1 = %s examples: %s",
        pseudoRatio + 1,
        studentSchedule.batchSize());
    checkArgument(
        pseudoModelNoise == 1 || studentModel.reproducibleNoise(),
        "pseudoModelNoise needs a student whose dropout and stochastic depth draw from TrainingNoise"
            + " (Student.reproducibleNoise()): %s",
        studentModel.name());
    if (jointTraining != null) {
      checkArgument(
          JointBlock.backboneOf(studentModel.newBlock()).isPresent(),
          "jointTraining needs a student with a backbone block (RetinaNet, NAS-FPN segmentation): %s"
              + " has none",
          studentModel.name());
      Image auxiliary = jointTraining.auxiliary().get(0).image();
      checkArgument(
          auxiliary.channels() == studentModel.inputShape().get(0),
          "jointTraining auxiliary images must have the student's %s channels: they have %s",
          studentModel.inputShape().get(0),
          auxiliary.channels());
    }
    Engine loaded = Engines.loadForTraining(engine);
    RunConfig<T> config =
        new RunConfig<>(
            labeled,
            unlabeled,
            validation,
            teacher,
            firstTeacher,
            studentModel,
            teacherInit,
            studentInit,
            studentAugment,
            firstTeacherAugment,
            lossNormalization,
            pseudoRatio,
            pseudoOnTop,
            pseudoModelNoise,
            jointTraining,
            controlCurve,
            teacherSchedule,
            studentSchedule,
            rounds,
            seed,
            workDir,
            engine,
            control,
            shardSize,
            skipUnreadableImages,
            listeners);
    TaskSupport<T> task = task(config);
    task.check(config);
    Map<String, String> settings = settings(config, task);
    try {
      Path dir = workDir != null ? workDir : Files.createTempDirectory("selftrain-run");
      WorkDirectory opened = WorkDirectory.open(dir, dataFingerprint(config, task));
      return factory.create(config, task, settings, opened, loaded.defaultDevice());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open workDir " + workDir + ": " + e.getMessage(), e);
    }
  }

  /** A streamed pool declares its images' shape; reading every image to check it would be slow. */
  private static void checkStreamedShape(StreamedImages pool, Student<?> model) {
    if (pool.isEmpty()) {
      return;
    }
    int[] shape = pool.shape();
    checkArgument(
        shape[2] == model.inputShape().get(0)
            && shape[0] == model.inputShape().get(1)
            && shape[1] == model.inputShape().get(2),
        "unlabeled images must be %sx%sx%s (HxWxC) as the model expects: %s holds %sx%sx%s",
        model.inputShape().get(1),
        model.inputShape().get(2),
        model.inputShape().get(0),
        pool,
        shape[0],
        shape[1],
        shape[2]);
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
                "%s images must be %dx%dx%d (HxWxC) as the model expects (resize or letterbox them first, for"
                    + " instance with CocoDataset.fitted): image %d is %dx%dx%d",
                name, h, w, c, i, image.height(), image.width(), image.channels()));
      }
    }
  }

  private static <T extends Target> Map<String, String> settings(
      RunConfig<T> c, TaskSupport<T> task) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("task", task.task());
    s.put("labeled", Integer.toString(c.labeled().size()));
    s.put("unlabeled", Integer.toString(c.unlabeled().size()));
    s.put("validation", Integer.toString(c.validation().size()));
    s.put("teacher", c.teacher() != null ? c.teacher().name() : c.firstTeacher().describe());
    s.put("student", c.student().name());
    s.put("teacherInit", c.firstTeacher() != null ? "given" : c.teacherInit().describe());
    s.put("studentInit", c.studentInit().describe());
    s.put("teacherAugment", c.teacherAugment().describe());
    s.put("augment", c.augment().describe());
    s.putAll(task.settings());
    s.put("lossNormalization", c.lossNormalization().describe());
    s.put("pseudoRatio", Integer.toString(c.pseudoRatio()));
    // Absent in the default layout, so the settings of runs made before the option stay the same.
    if (c.pseudoOnTop()) {
      s.put("studentBatch", c.studentBatch().describe());
    }
    s.put("pseudoModelNoise", Double.toString(c.pseudoModelNoise()));
    s.put("jointTraining", c.jointTraining() == null ? "none" : c.jointTraining().describe());
    s.put("teacherSchedule", c.teacherSchedule().describe());
    s.put("studentSchedule", c.studentSchedule().describe());
    s.put("rounds", Integer.toString(c.rounds()));
    s.put("seed", Long.toString(c.seed()));
    s.put("engine", c.engine());
    s.put("control", Boolean.toString(c.control()));
    return s;
  }

  /** A digest of the data, so a folder is never resumed on other data. */
  private static <T extends Target> String dataFingerprint(RunConfig<T> c, TaskSupport<T> task) {
    Hasher h = Hashing.murmur3_128().newHasher();
    if (c.labeled() instanceof StreamedExamples<T> streamed) {
      h.putString(streamed.images().fingerprint(), StandardCharsets.UTF_8);
      for (int i = 0; i < streamed.size(); i++) {
        task.fingerprint(h, streamed.target(i));
      }
    } else {
      for (Example<T> e : c.labeled()) {
        h.putBytes(e.image().pixels());
        task.fingerprint(h, e.target());
      }
    }
    if (c.unlabeled() instanceof StreamedImages streamed) {
      h.putString(streamed.fingerprint(), StandardCharsets.UTF_8);
    } else {
      for (Image image : c.unlabeled()) {
        h.putBytes(image.pixels());
      }
    }
    return "labeled="
        + c.labeled().size()
        + " unlabeled="
        + c.unlabeled().size()
        + " digest="
        + h.hash();
  }
}
