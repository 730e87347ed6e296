package io.selftrain.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Metrics;
import io.selftrain.SelfTrainingListener;
import io.selftrain.Student;
import io.selftrain.Target;
import io.selftrain.augment.AugmentPolicy;
import io.selftrain.internal.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The question of Zoph et al. 2020 asked of a user's own data: given labeled data for a task,
 * unlabeled images and a labeled dataset of another task, should one pre-train, self-train or train
 * jointly? A study is a grid of ordinary runs over initialisation ({@link StudyInit}: random, the
 * backbone of a classifier pre-trained on the auxiliary dataset, a checkpoint), augmentation
 * (Augment-S1..S4), fraction of the labeled set and method ({@link StudyMethod}: supervised,
 * self-training, joint training, joint + self-training), with a paper-style table ({@link
 * StudyResult#table()}) and an HTML report.
 *
 * <pre>{@code
 * StudyResult result = SelfTraining.study(() -> SelfTraining.detection()   // data, models, recipe
 *         .labeled(train).unlabeled(pool).validation(val, truth)
 *         .teacher(RetinaNet.student(config)).student(RetinaNet.student(config))
 *         .teacherSchedule(...).studentSchedule(...))
 *     .inits(StudyInit.random(), StudyInit.pretrained())
 *     .policies(AugmentPolicy.S1, AugmentPolicy.S4)
 *     .labelFractions(0.5, 1.0)
 *     .auxiliary(JointTraining.builder().addAllAuxiliary(fashionMnist).numClasses(10).build())
 *     .pretraining(EfficientNet.student(backbone.withNumClasses(10).withResolution(32)),
 *         TrainingSchedule.epochs(2))
 *     .dir(Path.of("study"))
 *     .build()
 *     .run();                               // study.json, report.html; resumes when run again
 * System.out.print(result.table());
 * }</pre>
 *
 * <p>Every run has its own work directory under {@code runs/} and resumes like any run. Supervised
 * and self-training cells of the same (initialisation, policy, fraction, seed) come from one run
 * (its supervised control and its final student); joint and joint + self-training cells from a
 * second run with {@link JointTraining} (its control and its student), which copies the first run's
 * teacher and pseudo labels instead of computing them again (joint training applies to students and
 * control only). When the runs fix the first teacher's augmentation ({@link
 * RunBuilder#teacherAugment(AugmentPolicy)}), groups that differ only in their policy have the same
 * teacher, and later ones copy it and its pseudo labels from the first. The classifier for {@link
 * StudyInit#pretrained()} is trained once, under {@code pretrained/}, on the auxiliary dataset less
 * its last tenth (held out for its accuracy). With {@link Builder#shard} a process runs every
 * {@code count}-th group of runs and writes {@code shards/shard-<index>-of-<count>.json}; {@link
 * #merge} joins the shards into {@code study.json}.
 */
public final class Study<T extends Target> {
  /** The study's result file in its folder. */
  public static final String FILE = "study.json";

  /** The study's report in its folder. */
  public static final String REPORT = "report.html";

  /** Where shard results go, inside the study's folder. */
  static final String SHARDS = "shards";

  /** What each run folder records about its first complete fit (for its wall time). */
  static final String RUN_RECORD = "study-run.json";

  private final Supplier<? extends RunBuilder<T, ?>> runs;
  private final StudyResult.Grid grid;
  private final List<StudyInit> inits;
  private final JointTraining auxiliary;
  private final Student<ClassTarget> pretrainingClassifier;
  private final TrainingSchedule pretrainingSchedule;
  private final Path dir;
  private final int shardIndex;
  private final int shardCount;
  private final Consumer<String> progress;
  private final List<SelfTrainingListener> listeners;

  /**
   * Whether the plain runs score their control (supervised training) every epoch: for
   * pre-training's speed-up, when an init is not random.
   */
  private final boolean curves;

  /** Whether a fraction's teacher trains epochs / fraction epochs (the steps of the whole set). */
  private final boolean scaleTeacherEpochs;

  private Study(Builder<T> b) {
    this.runs = b.runs;
    this.inits = List.copyOf(b.inits);
    this.grid =
        new StudyResult.Grid(
            b.inits.stream().map(StudyInit::name).toList(),
            List.copyOf(b.policies),
            List.copyOf(b.fractions),
            List.copyOf(b.methods),
            List.copyOf(b.seeds));
    this.auxiliary = b.auxiliary;
    this.pretrainingClassifier = b.pretrainingClassifier;
    this.pretrainingSchedule = b.pretrainingSchedule;
    this.dir = b.dir;
    this.shardIndex = b.shardIndex;
    this.shardCount = b.shardCount;
    this.progress = b.progress;
    this.listeners = List.copyOf(b.listeners);
    this.curves = b.inits.stream().anyMatch(i -> !i.equals(StudyInit.random()));
    this.scaleTeacherEpochs = b.scaleTeacherEpochs;
  }

  /**
   * A study of runs built from {@code runs}: a fresh task builder with the data (the whole labeled
   * set), models, schedules and task rules; the study sets each run's labeled subset, augmentation,
   * initialisation, joint training, control, seed and work directory.
   *
   * @param runs makes a configured task builder, once per run
   * @param <T> the task's target type
   * @return a builder
   */
  public static <T extends Target> Builder<T> builder(Supplier<? extends RunBuilder<T, ?>> runs) {
    return new Builder<>(runs);
  }

  /**
   * Runs (or resumes) this process's runs, then writes {@code study.json} and {@code report.html}
   * (one process) or its shard file ({@link Builder#shard}).
   *
   * @return the cells this process ran
   * @throws UncheckedIOException if the study's folder cannot be read or written
   * @throws ai.djl.TrainingDivergedException if a run diverges
   */
  public StudyResult run() {
    try {
      Files.createDirectories(dir.resolve("runs"));
      List<Group> groups = new ArrayList<>();
      for (long seed : grid.seeds()) {
        for (StudyInit init : inits) {
          for (AugmentPolicy policy : grid.policies()) {
            for (double fraction : grid.labelFractions()) {
              groups.add(new Group(init, policy, fraction, seed));
            }
          }
        }
      }
      List<Group> mine = new ArrayList<>();
      for (int i = 0; i < groups.size(); i++) {
        if (i % shardCount == shardIndex) {
          mine.add(groups.get(i));
        }
      }
      Initialization backbone = null;
      if (mine.stream().anyMatch(g -> g.init.equals(StudyInit.pretrained()))) {
        backbone = Initialization.backbone(pretrain(), pretrainingClassifier);
      }
      List<StudyResult.Cell> cells = new ArrayList<>();
      Map<SharedTeacher, Path> teacherRuns = new HashMap<>();
      int done = 0;
      for (Group g : mine) {
        progress.accept(
            String.format(
                Locale.ROOT,
                "study: group %d/%d: %s, %s, %.0f%% of the labels, seed %d",
                ++done,
                mine.size(),
                g.init.name(),
                g.policy,
                100 * g.fraction,
                g.seed));
        cells.addAll(runGroup(g, backbone, teacherRuns));
      }
      StudyResult result = new StudyResult(grid, grid.sorted(cells));
      if (shardCount == 1) {
        write(dir, result);
      } else {
        Path shard =
            dir.resolve(SHARDS)
                .resolve(String.format(Locale.ROOT, "shard-%d-of-%d.json", shardIndex, shardCount));
        writeJson(shard, result.toJson());
        progress.accept("study: wrote " + shard + "; merge the shards with Study.merge");
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("study " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Joins the shard files of a study run in {@code count} processes ({@link Builder#shard}) into
   * {@code study.json} and {@code report.html}: the same files one process writes, but for the wall
   * times, which each process measured.
   *
   * @param dir the study's folder, holding {@code shards/shard-<i>-of-<count>.json}
   * @return the whole study
   * @throws IOException naming the file, if a shard is missing, damaged or from another grid
   */
  public static StudyResult merge(Path dir) throws IOException {
    checkNotNull(dir, "dir");
    Path shards = dir.resolve(SHARDS);
    List<Path> files;
    try (var listing = Files.list(shards)) {
      files = listing.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IOException("no shard results to merge: " + shards + " does not exist", e);
    }
    if (files.isEmpty()) {
      throw new IOException("no shard results to merge in " + shards);
    }
    StudyResult.Grid grid = null;
    int count = -1;
    boolean[] seen = null;
    List<StudyResult.Cell> cells = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("shard-(\\d+)-of-(\\d+)\\.json").matcher(name);
      if (!m.matches()) {
        throw new IOException("not a shard file: " + file);
      }
      int index = Integer.parseInt(m.group(1));
      int of = Integer.parseInt(m.group(2));
      if (count == -1) {
        count = of;
        seen = new boolean[of];
      }
      if (of != count || index >= count) {
        throw new IOException(
            "shard " + file + " is " + index + " of " + of + ", others are of " + count);
      }
      StudyResult part;
      try {
        part = StudyResult.fromJson(JsonParser.parseString(Files.readString(file)));
      } catch (RuntimeException e) {
        throw new IOException("damaged shard result " + file + ": " + e.getMessage(), e);
      }
      if (grid == null) {
        grid = part.grid();
      } else if (!grid.equals(part.grid())) {
        throw new IOException("shard " + file + " is from another grid: " + part.grid());
      }
      seen[index] = true;
      cells.addAll(part.cells());
    }
    for (int i = 0; i < count; i++) {
      if (!seen[i]) {
        throw new IOException(
            String.format(
                Locale.ROOT,
                "shard %d of %d is missing in %s (shard-%d-of-%d.json)",
                i,
                count,
                shards,
                i,
                count));
      }
    }
    StudyResult result = new StudyResult(grid, grid.sorted(cells));
    write(dir, result);
    return result;
  }

  private static void write(Path dir, StudyResult result) throws IOException {
    writeJson(dir.resolve(FILE), result.toJson());
    StudyReport.write(dir, result);
  }

  private static void writeJson(Path file, JsonObject json) throws IOException {
    byte[] bytes = ResultJson.GSON.toJson(json).getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(file, out -> out.write(bytes));
  }

  /** The runs that share a teacher: one initialisation, policy, label fraction and seed. */
  private record Group(StudyInit init, AugmentPolicy policy, double fraction, long seed) {
    /** What the group's first teacher depends on when its augmentation is fixed. */
    SharedTeacher sharedTeacher() {
      return new SharedTeacher(init, fraction, seed);
    }
  }

  /** The groups whose first teacher is the same when the teacher's augmentation is fixed. */
  private record SharedTeacher(StudyInit init, double fraction, long seed) {}

  /**
   * @param teacherRuns the first run of each group done so far in this process, by {@link
   *     Group#sharedTeacher()}: with the teacher's augmentation fixed ({@link
   *     RunBuilder#teacherAugment(AugmentPolicy)}), groups that differ only in their policy train
   *     the same first teacher, and a later one copies it and its pseudo labels
   */
  private List<StudyResult.Cell> runGroup(
      Group g, Initialization backbone, Map<SharedTeacher, Path> teacherRuns) throws IOException {
    List<StudyResult.Cell> cells = new ArrayList<>();
    Path plainDir = null;
    for (boolean joint : new boolean[] {false, true}) {
      List<StudyMethod> methods = grid.methods().stream().filter(m -> m.joint() == joint).toList();
      if (methods.isEmpty()) {
        continue;
      }
      StudyCell first = new StudyCell(g.init.name(), g.policy, g.fraction, methods.get(0), g.seed);
      Path runDir = dir.resolve("runs").resolve(first.runName());
      RunBuilder<T, ?> builder = runs.get();
      checkState(
          builder.labeledExamples() != null,
          "the study's runs must set labeled (the whole labeled set)");
      Initialization init =
          g.init.equals(StudyInit.pretrained())
              ? backbone
              : g.init.checkpoint().map(Initialization::checkpoint).orElse(Initialization.random());
      TrainingSchedule teacher = builder.teacherScheduleSetting();
      if (scaleTeacherEpochs && g.fraction < 1 && teacher.steps().isEmpty()) {
        // As many optimizer steps on a fraction of the labels as on all of them.
        builder.teacherSchedule(
            teacher.withEpochs(Math.max(1, (int) Math.round(teacher.epochs() / g.fraction))));
      }
      builder
          .labeled(subset(builder.labeledExamples(), g.fraction, g.seed))
          .augment(g.policy)
          .teacherInit(init)
          .studentInit(init)
          .control(true)
          .controlCurve(curves && !joint)
          .seed(g.seed)
          .workDir(runDir);
      if (joint) {
        builder.jointTraining(auxiliary);
      }
      listeners.forEach(builder::addListener);
      SelfTrainingResult result;
      List<StudyResult.CurvePoint> controlCurve;
      Path sameTeacher = builder.teacherAugmentFixed() ? teacherRuns.get(g.sharedTeacher()) : null;
      try (SelfTrainingRun<T> run = builder.buildRun()) {
        Path source = joint && plainDir != null ? plainDir : sameTeacher;
        if (source != null && run.adoptFirstRound(source) > 0) {
          progress.accept(
              "study: "
                  + first.runName()
                  + " takes the first teacher and pseudo labels of "
                  + source.getFileName());
        }
        result = run.fit();
        controlCurve = run.controlCurve();
      }
      if (!joint) {
        plainDir = runDir;
      }
      teacherRuns.putIfAbsent(g.sharedTeacher(), runDir);
      double wall = firstFitSeconds(runDir, result);
      for (StudyMethod method : methods) {
        Metrics metrics =
            method.selfTraining() ? result.finalStudent() : result.control().orElseThrow();
        cells.add(
            new StudyResult.Cell(
                new StudyCell(g.init.name(), g.policy, g.fraction, method, g.seed),
                metrics,
                method.selfTraining() ? List.of() : controlCurve,
                wall,
                "runs/" + first.runName(),
                relative(result.settings())));
      }
    }
    return cells;
  }

  /**
   * The run's settings with paths inside the study's folder (the pre-trained classifier) written
   * relative to it, so that the same study in another folder or on another machine records the same
   * settings.
   */
  private Map<String, String> relative(Map<String, String> settings) {
    Map<String, String> out = new TreeMap<>();
    String[] prefixes = {
      dir.toAbsolutePath().normalize() + java.io.File.separator, dir + java.io.File.separator
    };
    settings.forEach(
        (k, v) -> {
          String value = v;
          for (String prefix : prefixes) {
            value = value.replace(prefix, "");
          }
          out.put(k, value);
        });
    return out;
  }

  /**
   * The wall time of the run's first complete fit: recorded beside it then, and read back when a
   * finished run is fitted again (a resume that trains nothing) with the same settings.
   */
  private static double firstFitSeconds(Path runDir, SelfTrainingResult result) throws IOException {
    Path record = runDir.resolve(RUN_RECORD);
    if (Files.isRegularFile(record)) {
      try {
        JsonObject o = JsonParser.parseString(Files.readString(record)).getAsJsonObject();
        if (o.get("settings").equals(ResultJson.GSON.toJsonTree(new TreeMap<>(result.settings())))
            && o.get("rounds").equals(ResultJson.GSON.toJsonTree(result.rounds().size()))) {
          return o.get("wallSeconds").getAsDouble();
        }
      } catch (RuntimeException e) {
        // A damaged record is replaced by this fit's.
      }
    }
    JsonObject o = new JsonObject();
    o.add("settings", ResultJson.GSON.toJsonTree(new TreeMap<>(result.settings())));
    o.addProperty("rounds", result.rounds().size());
    o.addProperty("wallSeconds", result.wallSeconds());
    writeJson(record, o);
    return result.wallSeconds();
  }

  /**
   * The first {@code fraction} of the labeled set in an order drawn from the seed, kept in the
   * set's order: the subsets of one seed are nested (50% holds 20%).
   */
  static <T extends Target> List<Example<T>> subset(
      List<Example<T>> all, double fraction, long seed) {
    if (fraction >= 1) {
      return all;
    }
    int n = Math.max(1, (int) Math.round(fraction * all.size()));
    int[] order = MixedBatches.permutation(all.size(), Seeds.derive(seed, "study-labels"));
    int[] chosen = Arrays.copyOf(order, n);
    Arrays.sort(chosen);
    List<Example<T>> out = new ArrayList<>(n);
    for (int i : chosen) {
      out.add(all.get(i));
    }
    return out;
  }

  /**
   * Trains the classifier whose backbone {@link StudyInit#pretrained()} starts from, once per study
   * folder (processes sharing the folder take turns through a file lock), on the auxiliary data
   * less its last tenth, which scores it.
   */
  private Path pretrain() throws IOException {
    Path folder = dir.resolve("pretrained");
    Files.createDirectories(folder);
    List<Example<ClassTarget>> data = auxiliary.auxiliary();
    int held = Math.max(1, data.size() / 10);
    try (FileChannel channel =
            FileChannel.open(
                dir.resolve("pretrained.lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      progress.accept(
          "study: pre-training "
              + pretrainingClassifier.name()
              + " on "
              + (data.size() - held)
              + " auxiliary examples");
      ClassificationRun.Builder b =
          SelfTraining.classification()
              .labeled(data.subList(0, data.size() - held))
              .unlabeled(List.of())
              .validation(data.subList(data.size() - held, data.size()))
              .teacher(pretrainingClassifier)
              .teacherSchedule(pretrainingSchedule)
              .augment(AugmentPolicy.S1)
              .seed(0)
              .workDir(folder);
      listeners.forEach(b::addListener);
      try (ClassificationRun run = b.build()) {
        return run.fitFirstTeacher();
      }
    }
  }

  /**
   * The settings of a study; {@link #build()} checks them.
   *
   * @param <T> the task's target type
   */
  public static final class Builder<T extends Target> {
    private final Supplier<? extends RunBuilder<T, ?>> runs;
    private List<StudyInit> inits = List.of(StudyInit.random());
    private List<AugmentPolicy> policies = List.of(AugmentPolicy.S1);
    private List<Double> fractions = List.of(1.0);
    private List<StudyMethod> methods = List.of(StudyMethod.SUPERVISED, StudyMethod.SELF_TRAINING);
    private List<Long> seeds = List.of(0L);
    private JointTraining auxiliary;
    private Student<ClassTarget> pretrainingClassifier;
    private TrainingSchedule pretrainingSchedule;
    private Path dir;
    private int shardIndex;
    private int shardCount = 1;
    private boolean scaleTeacherEpochs = true;
    private Consumer<String> progress = message -> {};
    private final List<SelfTrainingListener> listeners = new ArrayList<>();

    private Builder(Supplier<? extends RunBuilder<T, ?>> runs) {
      this.runs = checkNotNull(runs, "runs");
    }

    /**
     * @param values the initialisations (default: random)
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder<T> inits(StudyInit... values) {
      this.inits = distinct("inits", Arrays.asList(values));
      return this;
    }

    /**
     * @param values the augmentation policies (default: S1)
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder<T> policies(AugmentPolicy... values) {
      this.policies = distinct("policies", Arrays.asList(values));
      return this;
    }

    /**
     * @param values fractions of the labeled set, each in (0, 1] (default: 1)
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder<T> labelFractions(double... values) {
      List<Double> list = Arrays.stream(values).boxed().toList();
      for (double f : list) {
        checkArgument(f > 0 && f <= 1, "labelFractions must be in (0, 1]: %s", f);
      }
      this.fractions = distinct("labelFractions", list);
      return this;
    }

    /**
     * @param values the methods (default: supervised and self-training)
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder<T> methods(StudyMethod... values) {
      this.methods = distinct("methods", Arrays.asList(values));
      return this;
    }

    /**
     * @param values one run per seed for every cell (default: 0)
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder<T> seeds(long... values) {
      this.seeds = distinct("seeds", Arrays.stream(values).boxed().toList());
      return this;
    }

    /**
     * The auxiliary labeled classification dataset: joint training's (with its weight and batch)
     * and the pre-training data of {@link StudyInit#pretrained()}.
     *
     * @param joint the auxiliary data and its weight
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder<T> auxiliary(JointTraining joint) {
      this.auxiliary = checkNotNull(joint, "auxiliary");
      return this;
    }

    /**
     * How {@link StudyInit#pretrained()}'s classifier trains on the auxiliary data: its
     * architecture (an EfficientNet whose features equal the task model's backbone, with the
     * auxiliary classes and the auxiliary images' shape) and schedule.
     *
     * @param classifier the classifier
     * @param schedule its schedule
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder<T> pretraining(Student<ClassTarget> classifier, TrainingSchedule schedule) {
      this.pretrainingClassifier = checkNotNull(classifier, "classifier");
      this.pretrainingSchedule = checkNotNull(schedule, "schedule");
      return this;
    }

    /**
     * Whether the first teacher of a run on a fraction f of the labels trains {@code epochs / f}
     * epochs of its schedule, as many optimizer steps as on the whole labeled set (default true: a
     * detector given half the labels and half the steps is under-trained, not data-starved). A
     * teacher schedule in steps ({@link TrainingSchedule#steps()}) already has the same steps at
     * every fraction and is left as it is. The students' epochs are passes over the pseudo-labeled
     * pool, whatever the fraction, unless their schedule too is in steps.
     *
     * @param scale whether to scale
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder<T> scaleTeacherEpochs(boolean scale) {
      this.scaleTeacherEpochs = scale;
      return this;
    }

    /**
     * @param folder the study's folder: {@code runs/}, {@code pretrained/}, {@code study.json},
     *     {@code report.html}
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder<T> dir(Path folder) {
      this.dir = checkNotNull(folder, "dir");
      return this;
    }

    /**
     * Runs only every {@code count}-th group of runs from {@code index} on (a group: the runs of
     * one initialisation, policy, label fraction and seed), for splitting a study across processes
     * or machines; {@link Study#merge} joins the shard files.
     *
     * @param index this process's shard, from 0
     * @param count the number of shards
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder<T> shard(int index, int count) {
      checkArgument(count >= 1, "shard count must be at least 1: %s", count);
      checkArgument(
          index >= 0 && index < count, "shard index must be in [0, %s): %s", count, index);
      this.shardIndex = index;
      this.shardCount = count;
      return this;
    }

    /**
     * @param sink receives one line per group of runs started and per file written
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder<T> progress(Consumer<String> sink) {
      this.progress = checkNotNull(sink, "progress");
      return this;
    }

    /**
     * @param listener added to every run of the study
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder<T> addListener(SelfTrainingListener listener) {
      listeners.add(checkNotNull(listener, "listener"));
      return this;
    }

    /**
     * Checks the settings and snapshots them.
     *
     * @return the study
     * @throws IllegalArgumentException if a setting the grid needs is missing
     */
    public Study<T> build() {
      checkArgument(dir != null, "study dir is required");
      boolean joint = methods.stream().anyMatch(StudyMethod::joint);
      boolean pretrained = inits.contains(StudyInit.pretrained());
      checkArgument(
          auxiliary != null || !(joint || pretrained),
          "auxiliary (the auxiliary classification dataset) is required for %s",
          joint ? "joint-training methods" : "the pretrained initialisation");
      checkArgument(
          pretrainingClassifier != null || !pretrained,
          "pretraining (classifier and schedule) is required for the pretrained initialisation");
      return new Study<>(this);
    }

    private static <V> List<V> distinct(String name, List<V> values) {
      checkArgument(!values.isEmpty(), "%s must not be empty", name);
      checkArgument(
          values.stream().distinct().count() == values.size(),
          "%s must not repeat a value: %s",
          name,
          values);
      values.forEach(v -> checkNotNull(v, name));
      return List.copyOf(values);
    }
  }
}
