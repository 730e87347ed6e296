package io.selftrain.core;

import static com.google.common.base.Preconditions.checkState;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.google.common.base.Throwables;
import com.google.common.collect.Lists;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.google.common.util.concurrent.Uninterruptibles;
import com.google.gson.JsonObject;
import io.selftrain.Augmenter;
import io.selftrain.Example;
import io.selftrain.Metrics;
import io.selftrain.Origin;
import io.selftrain.Prediction;
import io.selftrain.PseudoLabel;
import io.selftrain.SelfTrainingListener;
import io.selftrain.Stage;
import io.selftrain.Student;
import io.selftrain.Target;
import io.selftrain.Teacher;
import io.selftrain.TrainingNoise;
import io.selftrain.core.data.StreamedImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * A Noisy Student run for any task (Xie et al. 2020; Zoph et al. 2020, Sec. 3): train a teacher on
 * the labeled data; pseudo-label the unlabeled pool with the un-noised teacher; train a fresh,
 * noised student on human and pseudo labels mixed in every batch, with the losses combined by a
 * {@link io.selftrain.core.loss.LossNormalization}; the student becomes the next round's teacher.
 * {@link ClassificationRun} and {@link DetectionRun} are this run with their task's labeler,
 * batches and metric.
 *
 * <h2>Resuming</h2>
 *
 * Every stage (teacher, pseudo labels, student, control) is written atomically to the work
 * directory and recorded in its manifest with a digest of the settings it depends on; {@link
 * #fit()} on a folder that holds an unfinished run skips the completed stages and reaches the same
 * result. Changing a setting recomputes only the stages that depend on it: a new student recipe
 * reuses the trained teacher and its pseudo labels (cheap ablations).
 *
 * <h2>Reproducibility</h2>
 *
 * One seed drives everything: each stage re-seeds the engine (for its initial parameters) and the
 * data order from the run's seed and the stage's name, draws its dropout and stochastic-depth masks
 * from its own {@link TrainingNoise} stream, and augments each example with its own generator. On
 * CPU with a fixed thread count, the same seed gives the same pseudo labels and the same metrics.
 *
 * <h2>The control in parallel</h2>
 *
 * With the supervised control on, at least two PyTorch threads and a student whose noise comes from
 * {@link TrainingNoise} (every selftrain model), round 1's student and the control train at the
 * same time on two threads with half the intra-op threads each. Each gives exactly what it gives
 * when trained alone with that many threads; the student of a run without the control trains with
 * all threads, so its last digits can differ. Listener calls then come from both threads, one at a
 * time.
 *
 * @param <T> the target type
 */
public class SelfTrainingRun<T extends Target> implements AutoCloseable {
  /**
   * Held while a stage seeds the engine's (process-wide) generator and draws its initial
   * parameters.
   */
  private static final Object ENGINE_GENERATOR = new Object();

  /**
   * Enters every trained stage's digest: stages trained before dropout and stochastic depth drew
   * from {@link TrainingNoise} had other masks, so their outputs are not resumed as if they were
   * these.
   */
  private static final String NOISE = "noise=TrainingNoise";

  private static final String FIRST_TEACHER = "round-1/teacher";

  private static final String CONTROL = "control/student";

  /** The key of a stage's recorded metrics that names the validation set they were computed on. */
  private static final String VALIDATION = "validation";

  private final RunConfig<T> c;
  private final TaskSupport<T> task;
  private final WorkDirectory workDir;
  private final StageTrainer trainer;
  private final SelfTrainingListener listener;
  private final Device device;
  private final Map<String, String> settings;

  /** Identifies the validation examples and how they are scored; recorded with every evaluation. */
  private final String validationFingerprint;

  private boolean closed;

  SelfTrainingRun(
      RunConfig<T> config,
      TaskSupport<T> task,
      Map<String, String> settings,
      WorkDirectory workDir,
      Device device) {
    this.c = config;
    this.task = task;
    this.settings = settings;
    this.workDir = workDir;
    this.device = device;
    List<SelfTrainingListener> listeners = new ArrayList<>(config.listeners());
    listeners.add(new EpochLog(workDir.root()));
    this.listener = Listeners.all(listeners);
    this.trainer = new StageTrainer(listener);
    workDir.reportDamageTo(listener::onWarning);
    this.validationFingerprint = validationFingerprint(config, task);
  }

  /**
   * Copies the first teacher, its pool predictions and its pseudo labels from another run's work
   * directory on the same data (a {@link Study}'s runs that share a teacher); {@link #fit()} uses
   * them only where their inputs equal this run's, and computes them otherwise.
   *
   * @param other the other run's work directory
   * @return the number of stages copied
   * @throws IOException if the other run's files cannot be read or copied
   */
  int adoptFirstRound(Path other) throws IOException {
    return workDir.copyStagesFrom(
        other, key -> key.startsWith("round-1/") && !key.equals(stageKey(1, "student")));
  }

  /**
   * The supervised control's per-epoch scores ({@link RunBuilder#controlCurve}), as its stage
   * recorded them; none if the control is not complete or did not score its epochs.
   */
  List<StudyResult.CurvePoint> controlCurve() {
    List<StudyResult.CurvePoint> points = new ArrayList<>();
    workDir
        .completed(CONTROL, controlInputs())
        .filter(metrics -> metrics.has("curve"))
        .ifPresent(
            metrics ->
                metrics
                    .getAsJsonArray("curve")
                    .forEach(p -> points.add(StudyResult.CurvePoint.fromJson(p))));
    return points;
  }

  /**
   * @return the work directory holding stage outputs and the manifest
   */
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
    SettingsWarnings.before(
            c.labeled().size(),
            c.unlabeled().size(),
            Optional.ofNullable(c.teacher()).map(t -> c.teacherSchedule()),
            c.studentSchedule(),
            c.studentBatch())
        .forEach(listener::onWarning);
    task.warningsBefore(c).forEach(listener::onWarning);
    try {
      List<RoundResult> rounds = new ArrayList<>();
      List<RunReport.Picture> pictures = new ArrayList<>();
      boolean controlTrained = false;
      Teacher<T> teacher = teacherStage();
      try {
        Metrics teacherMetrics = metrics(FIRST_TEACHER, teacherInputs());
        for (int round = 1; round <= c.rounds(); round++) {
          PseudoStage<T> pseudo = pseudoStage(round, teacher);
          pictures.addAll(
              PseudoLabelPictures.of(
                  round, pseudo.labels, c.unlabeled(), RunReport.PICTURES_PER_ROUND));
          SettingsWarnings.afterLabeling(round, pseudo.summary).ifPresent(listener::onWarning);
          boolean alongside = round == 1 && controlAlongsideRoundOne();
          TrainedModel<T> student =
              alongside ? studentWithControl(pseudo.labels) : studentStage(round, pseudo.labels);
          controlTrained |= alongside;
          if (teacher != c.firstTeacher()) {
            teacher.close();
          }
          // The student is the next round's teacher; on failure the finally block frees it.
          teacher = student;
          Metrics studentMetrics = metrics(stageKey(round, "student"), studentInputs(round));
          rounds.add(new RoundResult(round, teacherMetrics, studentMetrics, pseudo.summary));
          teacherMetrics = studentMetrics;
        }
      } finally {
        if (teacher != c.firstTeacher()) {
          teacher.close();
        }
      }
      Optional<Metrics> control = Optional.empty();
      if (c.control()) {
        if (!controlTrained) {
          controlStage().close();
        }
        control = Optional.of(metrics(CONTROL, controlInputs()));
      }
      SelfTrainingResult result =
          new SelfTrainingResult(
              task.task(), c.seed(), settings, rounds, control, (System.nanoTime() - start) / 1e9);
      workDir.writeJson("result.json", ResultJson.of(result));
      RunReport.write(workDir.root(), result, pictures);
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("work directory " + workDir.root() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Trains (or resumes) round 1's teacher only, for instance to export it, to reuse it as a
   * checkpoint in other runs, or to pseudo-label the pool on a cluster: it also writes {@code
   * round-1/labeling.json}, the plan a {@link PoolLabeling} job follows, after which {@link #fit()}
   * reads the job's prediction shards instead of predicting the pool itself.
   *
   * @return the teacher's parameter file in the work directory (a {@code Block.saveParameters}
   *     stream that {@link Initialization#checkpoint} reads)
   * @throws IllegalStateException if the run was given a {@code firstTeacher}, which it does not
   *     train
   * @throws UncheckedIOException if the work directory cannot be read or written
   */
  public Path fitFirstTeacher() {
    checkState(!closed, "run is closed");
    checkState(
        c.firstTeacher() == null,
        "this run was given a trained firstTeacher; there is no teacher to train");
    try {
      teacherStage().close();
      PoolLabeling.writePlan(workDir, 1, plan(1));
      return workDir.resolve(FIRST_TEACHER + ".params");
    } catch (IOException e) {
      throw new UncheckedIOException("work directory " + workDir.root() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The files a completed stage's evaluation wrote (for detection, the validation set's detections
   * in COCO results format), for instance the final student's after {@link #fit()}.
   *
   * @param round the round whose student is meant, or 0 for the supervised control
   * @return the files, absolute; empty if the task writes none or the stage is not complete
   */
  public List<Path> evaluationFiles(int round) {
    String key = round == 0 ? CONTROL : stageKey(round, "student");
    String inputs = round == 0 ? controlInputs() : studentInputs(round);
    if (workDir.completed(key, inputs).isEmpty()) {
      return List.of();
    }
    List<Path> files = new ArrayList<>();
    for (String name : evaluationFileNames(key)) {
      files.add(workDir.resolve(name));
    }
    return files;
  }

  /**
   * @return the evaluation files a stage records, by the task's naming
   */
  private List<String> evaluationFileNames(String key) {
    List<String> names = new ArrayList<>();
    for (String file : workDir.files(key)) {
      if (!file.endsWith(".params")) {
        names.add(file);
      }
    }
    return names;
  }

  /**
   * The first teacher: trained on the labeled data, or the given one (evaluated once and recorded).
   */
  private Teacher<T> teacherStage() throws IOException {
    if (c.firstTeacher() == null) {
      return trainOrLoad(
          FIRST_TEACHER,
          teacherInputs(),
          1,
          Stage.TEACHER_TRAINING,
          c.teacher(),
          c.teacherInit(),
          () -> new Plan<>(List.of(), c.teacherAugment(), c.teacherSchedule(), 0));
    }
    Optional<JsonObject> done = workDir.completed(FIRST_TEACHER, teacherInputs());
    JsonObject stored;
    if (done.isPresent()) {
      stored = scoredOnThisValidation(FIRST_TEACHER, done.get(), c.firstTeacher(), List.of());
    } else {
      TaskSupport.Evaluation evaluation =
          task.evaluate(c.firstTeacher(), c.validation(), workDir, FIRST_TEACHER);
      stored = json(evaluation.metrics());
      workDir.complete(FIRST_TEACHER, teacherInputs(), evaluation.files(), stored);
    }
    listener.onEvaluation(1, "teacher", metricsFrom(stored));
    return c.firstTeacher();
  }

  /**
   * Digests of the settings each stage's output depends on, chained through the stages it consumes.
   */
  private String teacherInputs() {
    if (c.firstTeacher() != null) {
      return digest("given teacher", c.firstTeacher().describe());
    }
    // Random initialisation adds nothing, so work directories written before initialisations
    // existed resume.
    String init = c.teacherInit().file().isPresent() ? c.teacherInit().describe() : null;
    return init == null
        ? digest(
            "teacher",
            c.teacher().name(),
            c.teacherAugment().describe(),
            c.teacherSchedule().describe(),
            c.seed(),
            c.engine(),
            NOISE)
        : digest(
            "teacher",
            c.teacher().name(),
            c.teacherAugment().describe(),
            c.teacherSchedule().describe(),
            c.seed(),
            c.engine(),
            init,
            NOISE);
  }

  private String pseudoInputs(int round) {
    List<Object> parts = new ArrayList<>();
    parts.add("pseudo");
    parts.add(round == 1 ? teacherInputs() : studentInputs(round - 1));
    parts.addAll(task.pseudoRules());
    return digest(parts.toArray());
  }

  private String studentInputs(int round) {
    // Pseudo-only noise keys the students, not the control; a setting at its "off" value adds
    // nothing, so
    // the keys of runs made before it existed stay valid.
    List<Object> parts =
        new ArrayList<>(
            List.of(
                "student", pseudoInputs(round), studentRecipe(), c.lossNormalization().describe()));
    parts.addAll(task.pseudoOnlyNoise());
    if (c.pseudoModelNoise() != 1) {
      parts.add("pseudoModelNoise=" + c.pseudoModelNoise());
    }
    return digest(parts.toArray());
  }

  private String controlInputs() {
    return digest("control", pseudoInputs(1), studentRecipe());
  }

  private String studentRecipe() {
    return c.student().name()
        + " "
        + c.augment().describe()
        + " "
        + c.studentSchedule().describe()
        + " ratio="
        + c.pseudoRatio()
        // Absent in the default layout, so the keys of runs made before the option stay valid.
        + (c.pseudoOnTop() ? " pseudoOnTop" : "")
        + " seed="
        + c.seed()
        + " engine="
        + c.engine()
        + (c.studentInit().file().isPresent() ? " init=" + c.studentInit().describe() : "")
        + " "
        + NOISE
        // Absent without joint training, so the keys of runs made before it existed stay valid.
        + (c.jointTraining() != null ? " " + c.jointTraining().describe() : "");
  }

  private String digest(Object... parts) {
    Hasher h = Hashing.sha256().newHasher();
    if (task.digestTag() != null) {
      h.putString(task.digestTag(), StandardCharsets.UTF_8).putByte((byte) 0);
    }
    for (Object part : parts) {
      h.putString(String.valueOf(part), StandardCharsets.UTF_8).putByte((byte) 0);
    }
    return h.hash().toString();
  }

  private TrainedModel<T> studentStage(int round, List<PseudoLabel<T>> labels) throws IOException {
    // A view: each pseudo example's image is read from the pool when a batch needs it, so a pool
    // streamed from disk is never held in memory.
    List<Example<T>> pseudo =
        Lists.transform(
            labels,
            label ->
                new Example<>(c.unlabeled().get(label.poolIndex()), label.target(), Origin.PSEUDO));
    return trainOrLoad(
        stageKey(round, "student"),
        studentInputs(round),
        round,
        Stage.STUDENT_TRAINING,
        c.student(),
        c.studentInit(),
        () -> new Plan<>(pseudo, c.augment(), c.studentSchedule(), 0));
  }

  /**
   * The student's recipe (model, noise, augmentation, batch size, steps, learning rate) on human
   * labels only.
   */
  private TrainedModel<T> controlStage() throws IOException {
    int pseudoCount =
        (int)
            workDir
                .completed(stageKey(1, "pseudo"), pseudoInputs(1))
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "stage round-1/pseudo is not complete in " + workDir.root()))
                .get("kept")
                .getAsDouble();
    int batchSize = c.studentSchedule().batchSize();
    // As many steps as the first student: its epochs are passes over the pseudo labels (or, with a
    // schedule in steps, the schedule's steps, applied where the batches are made).
    int steps =
        pseudoCount == 0
            ? (c.labeled().size() + batchSize - 1) / batchSize
            : c.studentBatch().stepsPerPass(pseudoCount);
    return trainOrLoad(
        CONTROL,
        controlInputs(),
        0,
        Stage.SUPERVISED_CONTROL,
        c.student(),
        c.studentInit(),
        () -> new Plan<>(List.of(), c.augment(), c.studentSchedule(), steps));
  }

  /**
   * Whether the control trains on a second thread while round 1's student trains: both stages still
   * to train, a student whose noise is reproducible on any thread, and at least two intra-op
   * threads to split.
   */
  private boolean controlAlongsideRoundOne() {
    return c.control()
        && c.student().reproducibleNoise()
        && IntraOpThreads.get(c.engine()).orElse(1) >= 2
        && workDir.completed(stageKey(1, "student"), studentInputs(1)).isEmpty()
        && workDir.completed(CONTROL, controlInputs()).isEmpty();
  }

  /**
   * Trains round 1's student on this thread and the supervised control on another, each with half
   * the intra-op threads: two small networks use two cores better side by side than one after the
   * other. Each stage draws its masks from its own {@link TrainingNoise} stream and initialises its
   * parameters under a lock, so both give exactly what they give alone on as many threads (trained
   * one after the other on one thread each, from the same pseudo labels, they come out the same to
   * the byte; with more threads per stage, sums split otherwise and the parameters differ). If one
   * fails, the other still finishes (and is saved).
   */
  private TrainedModel<T> studentWithControl(List<PseudoLabel<T>> labels) throws IOException {
    workDir.invalidate(stageKey(1, "student"));
    workDir.invalidate(CONTROL);
    int threads = IntraOpThreads.get(c.engine()).getAsInt();
    IntraOpThreads.set(c.engine(), Math.max(1, threads / 2));
    ExecutorService controlThread =
        Executors.newSingleThreadExecutor(
            new ThreadFactoryBuilder().setNameFormat("selftrain-control").setDaemon(true).build());
    try {
      Future<?> control =
          controlThread.submit(
              () -> {
                controlStage().close();
                return null;
              });
      TrainedModel<T> student = null;
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
      IntraOpThreads.set(c.engine(), threads);
    }
  }

  /**
   * What one training stage trains on: pseudo examples (none for supervised stages), and for the
   * control its steps.
   */
  private record Plan<T extends Target>(
      List<Example<T>> pseudo,
      Augmenter<T> augment,
      TrainingSchedule schedule,
      int humanOnlySteps) {}

  private TrainedModel<T> trainOrLoad(
      String key,
      String inputs,
      int round,
      Stage stage,
      Student<T> student,
      Initialization init,
      Supplier<Plan<T>> plan)
      throws IOException {
    String file = key + ".params";
    Optional<JsonObject> done = workDir.completed(key, inputs);
    if (done.isPresent()) {
      listener.onStage(round, stage, true);
      TrainedModel<T> model = TrainedModel.load(student, c.engine(), device, workDir.resolve(file));
      try {
        listener.onEvaluation(
            round,
            role(stage),
            metricsFrom(scoredOnThisValidation(key, done.get(), model, List.of(file))));
      } catch (IOException | RuntimeException e) {
        model.close();
        throw e;
      }
      return model;
    }
    listener.onStage(round, stage, false);
    long stageSeed = Seeds.derive(c.seed(), key);
    boolean controlCurve = c.controlCurve() && stage == Stage.SUPERVISED_CONTROL;
    List<double[]> curve = new ArrayList<>();
    // Joint training applies to the students and the control, whose recipe is the students'.
    JointTraining joint = stage == Stage.TEACHER_TRAINING ? null : c.jointTraining();
    TrainedModel<T> model;
    // The engine's generator is shared by all threads: seed it and draw the initial parameters in
    // one step.
    synchronized (ENGINE_GENERATOR) {
      Engine.getEngine(c.engine()).setRandomSeed((int) stageSeed);
      model =
          TrainedModel.create(
              joint == null ? student : new JointStudent<>(student, joint.numClasses()),
              c.engine(),
              device,
              init);
    }
    try {
      Plan<T> p = plan.get();
      // Pseudo-only batch noise and the prior correction belong to students; supervised stages
      // have no pseudo examples.
      BatchEncoder<T> encoder =
          task.encoder(
              student, p.schedule(), stage == Stage.STUDENT_TRAINING, c.labeled(), p.pseudo());
      int batchSize = p.schedule().batchSize();
      MixedBatches<T> passes =
          p.humanOnlySteps() > 0
              ? MixedBatches.humanOnly(
                  c.labeled(), p.augment(), encoder, batchSize, p.humanOnlySteps(), stageSeed)
              : MixedBatches.mixed(
                  c.labeled(),
                  p.pseudo(),
                  p.augment(),
                  encoder,
                  StudentBatch.of(batchSize, c.pseudoRatio(), c.pseudoOnTop()),
                  stageSeed);
      // A schedule in steps sets the epoch's length whatever the data's size.
      MixedBatches<T> batches =
          passes.withStepsPerEpoch(p.schedule().stepsPerEpoch(passes.stepsPerEpoch()));
      // Batches put their human examples first; a stage without pseudo examples has no row from
      // humanPerBatch on.
      try (TrainingNoise.Binding noise =
          TrainingNoise.bind(
              Seeds.derive(stageSeed, "noise"), batches.humanPerBatch(), c.pseudoModelNoise())) {
        trainer.train(
            model,
            batches,
            joint == null
                ? null
                : new StageTrainer.Auxiliary(
                    new AuxiliaryBatches(joint, stageSeed), joint.weight()),
            controlCurve ? curvePoint(model, key, curve) : null,
            p.schedule(),
            c.lossNormalization(),
            round,
            stage);
      }
      TaskSupport.Evaluation evaluation = task.evaluate(model, c.validation(), workDir, key);
      model.save(workDir, file);
      JsonObject metrics = json(evaluation.metrics());
      int steps = batches.stepsPerEpoch() * p.schedule().epochs();
      metrics.addProperty("steps", steps);
      if (controlCurve) {
        curve.add(new double[] {steps, evaluation.metrics().value()});
        metrics.add("curve", ResultJson.GSON.toJsonTree(curve));
      }
      List<String> files = new ArrayList<>(List.of(file));
      files.addAll(evaluation.files());
      if (stage == Stage.SUPERVISED_CONTROL) {
        // Nothing consumes the control: stages recorded after it stay.
        workDir.completePart(key, inputs, files, metrics);
      } else {
        // Round 1's student and the control are siblings: retraining one keeps the other.
        workDir.complete(
            key,
            inputs,
            files,
            metrics,
            round == 1 && stage == Stage.STUDENT_TRAINING ? Set.of(CONTROL) : Set.of());
      }
      listener.onEvaluation(round, role(stage), evaluation.metrics());
      return model;
    } catch (RuntimeException | IOException e) {
      model.close();
      throw e;
    }
  }

  /**
   * Scores the model on the validation set after an epoch and adds (steps, primary metric) to the
   * curve; the evaluation's files (detections, predicted masks) are deleted, the stage's own come
   * at its end.
   */
  private StageTrainer.EpochEnd curvePoint(
      TrainedModel<T> model, String key, List<double[]> curve) {
    return (epoch, steps) -> {
      TaskSupport.Evaluation e = task.evaluate(model, c.validation(), workDir, key + "-curve");
      curve.add(new double[] {steps, e.metrics().value()});
      java.util.Set<Path> folders = new java.util.HashSet<>();
      for (String file : e.files()) {
        Path path = workDir.resolve(file);
        Files.deleteIfExists(path);
        folders.add(path.getParent());
      }
      for (Path folder : folders) {
        if (!folder.equals(workDir.root()) && Files.isDirectory(folder)) {
          try (var left = Files.list(folder)) {
            if (left.findAny().isEmpty()) {
              Files.delete(folder);
            }
          }
        }
      }
    };
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

  private record PseudoStage<T extends Target>(
      List<PseudoLabel<T>> labels, PseudoSummary summary) {}

  private PseudoStage<T> pseudoStage(int round, Teacher<T> teacher) throws IOException {
    String key = stageKey(round, "pseudo");
    String file = key + ".bin";
    String inputs = pseudoInputs(round);
    Optional<JsonObject> finished = workDir.completed(key, inputs);
    if (finished.isPresent()) {
      listener.onStage(round, Stage.PSEUDO_LABELING, true);
      List<PseudoLabel<T>> labels = PseudoLabelStore.read(workDir.resolve(file), task.codec());
      return new PseudoStage<>(labels, task.summaryFrom(finished.get()));
    }
    listener.onStage(round, Stage.PSEUDO_LABELING, false);
    List<Prediction<T>> predictions = predictions(round, teacher);
    SplittableRandom rng = new SplittableRandom(Seeds.derive(c.seed(), key));
    TaskSupport.Labeled<T> labeled = task.select(predictions, rng);
    PseudoLabelStore.write(workDir, file, labeled.labels(), task.codec());
    JsonObject metrics = ResultJson.GSON.toJsonTree(labeled.summary().asMap()).getAsJsonObject();
    workDir.writeJson(key + "-stats.json", metrics);
    List<String> files = new ArrayList<>(List.of(file, key + "-stats.json"));
    files.addAll(task.writeLabelFiles(workDir, key, labeled.labels()));
    workDir.complete(key, inputs, files, metrics);
    return new PseudoStage<>(labeled.labels(), labeled.summary());
  }

  /**
   * The teacher's predictions of the whole pool (null for a skipped image), shard by shard: a shard
   * completed before, here or by a cluster job ({@link PoolLabeling}), is read back; a missing or
   * damaged one is predicted again.
   */
  private List<Prediction<T>> predictions(int round, Teacher<T> teacher) throws IOException {
    int size = c.unlabeled().size();
    PoolLabeling.Plan plan = plan(round);
    PoolLabeling.writePlan(workDir, round, plan);
    @SuppressWarnings("unchecked")
    Prediction<T>[] all = new Prediction[size];
    for (PoolLabeling.ShardPlan shard : plan.shards()) {
      int start = shard.start();
      int end = shard.end();
      String file = PredictionShards.file(shard.key());
      Optional<JsonObject> stored = workDir.completed(shard.key(), shard.inputs());
      if (stored.isPresent()) {
        PredictionShards.read(workDir.resolve(file), task.predictionCodec(), start, end, all);
        for (String where : PredictionShards.skipped(stored.get())) {
          listener.onWarning("unreadable image " + where + " was skipped (skipUnreadableImages)");
        }
        listener.onPseudoLabelProgress(round, end, size);
      } else {
        PredictionShards.Shard<T> predicted =
            PredictionShards.predictInto(
                workDir.resolve(file),
                task,
                teacher,
                c.unlabeled(),
                start,
                end,
                c.skipUnreadableImages(),
                listener::onWarning,
                done -> listener.onPseudoLabelProgress(round, start + done, size));
        workDir.completePart(
            shard.key(), shard.inputs(), List.of(file), PredictionShards.metrics(predicted));
        for (int i = 0; i < predicted.predictions().size(); i++) {
          all[start + i] = predicted.predictions().get(i);
        }
      }
    }
    return Arrays.asList(all);
  }

  /** A shard's inputs: the teacher's, what else decides predictions, and the shard's range. */
  private String shardInputs(String teacherInputs, int shard) {
    return digest(
        "predictions",
        teacherInputs,
        task.predictionKey(),
        "pool=" + c.unlabeled().size(),
        "shardSize=" + c.shardSize(),
        "shard=" + shard);
  }

  /** What a process labeling this round's pool elsewhere needs ({@link PoolLabeling}). */
  private PoolLabeling.Plan plan(int round) {
    int size = c.unlabeled().size();
    String teacherInputs = round == 1 ? teacherInputs() : studentInputs(round - 1);
    List<PoolLabeling.ShardPlan> shards = new ArrayList<>();
    for (int shard = 0; shard < PredictionShards.count(size, c.shardSize()); shard++) {
      int start = shard * c.shardSize();
      shards.add(
          new PoolLabeling.ShardPlan(
              PredictionShards.key(round, shard),
              shardInputs(teacherInputs, shard),
              start,
              Math.min(size, start + c.shardSize())));
    }
    String teacherFile =
        round == 1
            ? (c.firstTeacher() == null ? FIRST_TEACHER + ".params" : null)
            : stageKey(round - 1, "student") + ".params";
    return new PoolLabeling.Plan(
        round,
        task.task(),
        task.numClasses(),
        task.predictionKey(),
        c.unlabeled() instanceof StreamedImages streamed ? streamed.describe() : null,
        teacherFile,
        round == 1 && c.firstTeacher() == null ? c.teacher().name() : c.student().name(),
        shards);
  }

  /**
   * A resumed stage's recorded metrics if they were computed on this run's validation set; else the
   * model is scored again and the stage's record updated in place (its later stages stay valid:
   * they never read it).
   */
  private JsonObject scoredOnThisValidation(
      String key, JsonObject stored, Teacher<T> model, List<String> modelFiles) throws IOException {
    if (stored.has(VALIDATION)
        && stored.get(VALIDATION).getAsString().equals(validationFingerprint)) {
      return stored;
    }
    TaskSupport.Evaluation evaluation = task.evaluate(model, c.validation(), workDir, key);
    JsonObject metrics = json(evaluation.metrics());
    if (stored.has("steps")) {
      metrics.add("steps", stored.get("steps"));
    }
    List<String> files = new ArrayList<>(modelFiles);
    files.addAll(evaluation.files());
    workDir.updateEvaluation(key, files, metrics);
    return metrics;
  }

  /** A digest of the validation examples and of how they are scored. */
  private static <T extends Target> String validationFingerprint(
      RunConfig<T> c, TaskSupport<T> task) {
    Hasher h = Hashing.murmur3_128().newHasher();
    for (Example<T> e : c.validation()) {
      h.putBytes(e.image().pixels());
      task.fingerprint(h, e.target());
    }
    h.putString(task.evaluationKey(), java.nio.charset.StandardCharsets.UTF_8);
    return c.validation().size() + ":" + h.hash();
  }

  private Metrics metrics(String key, String inputs) {
    return metricsFrom(
        workDir
            .completed(key, inputs)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "stage " + key + " is not complete in " + workDir.root())));
  }

  private Metrics metricsFrom(JsonObject stored) {
    Map<String, Double> values = new LinkedHashMap<>();
    for (String name : task.metricNames()) {
      values.put(name, stored.get(name).getAsDouble());
    }
    return new Metrics(task.metricNames().get(0), values);
  }

  /**
   * A stage's metrics as recorded: the values, and the fingerprint of the validation set they were
   * computed on.
   */
  private JsonObject json(Metrics metrics) {
    JsonObject o = ResultJson.metrics(metrics);
    o.addProperty(VALIDATION, validationFingerprint);
    return o;
  }

  private static String stageKey(int round, String stage) {
    return "round-" + round + "/" + stage;
  }

  /**
   * Marks the run closed; models are released as soon as each stage is done, so nothing else is
   * held.
   */
  @Override
  public void close() {
    closed = true;
  }
}
