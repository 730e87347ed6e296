package io.selftrain.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.selftrain.Image;
import io.selftrain.Target;
import io.selftrain.Teacher;
import io.selftrain.core.data.StreamedImages;
import io.selftrain.core.label.BoxPseudoLabelConfig;
import io.selftrain.core.label.MaskPseudoLabelConfig;
import io.selftrain.core.label.PseudoLabelConfig;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Pseudo-labels a run's unlabeled pool in other processes, such as Spark executors: the teacher's
 * predictions are the embarrassingly parallel part of self-training (Xie et al. 2020 label 300M
 * images; Zoph et al. 2020 use up to 300M JFT images), and a run reads shards computed here exactly
 * as if it had computed them itself.
 *
 * <p>The flow: a run trains its teacher ({@link SelfTrainingRun#fitFirstTeacher()}), which writes
 * {@code round-1/labeling.json} into its work directory (the pool's description, the teacher's
 * parameter file and architecture name, and one entry per shard); workers {@link #open} that plan,
 * rebuild the teacher once each, and {@link #labelShard label shards} into the work directory
 * (shared storage); the driver {@link #record records} them in the run's manifest; the run's {@link
 * SelfTrainingRun#fit()} then reads those shards, checking each one's SHA-256, and only selects the
 * pseudo labels and trains the student. Shard files are written by the same code as in the run, so
 * they are byte for byte the run's own.
 *
 * <p>The pool must be a {@link StreamedImages} (files every worker can read); don't run the job
 * while the run itself is running on the same work directory.
 */
public final class PoolLabeling {
  private static final int FORMAT = 1;

  /** One shard of the plan: its manifest key, the inputs digest the run expects, its range. */
  record ShardPlan(String key, String inputs, int start, int end) {}

  /** What a run writes for the processes labeling its pool. */
  record Plan(
      int round,
      String task,
      int numClasses,
      String predictionKey,
      JsonObject pool,
      String teacherFile,
      String teacherModel,
      List<ShardPlan> shards) {}

  /** A labeled shard, as a worker returns it to the driver: small and serializable. */
  public record LabeledShard(int shard, String metrics) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final Path workDir;
  private final Plan plan;

  private PoolLabeling(Path workDir, Plan plan) {
    this.workDir = workDir;
    this.plan = plan;
  }

  /** Where a round's plan is written, relative to the work directory. */
  static String planFile(int round) {
    return String.format(Locale.ROOT, "round-%d/labeling.json", round);
  }

  static void writePlan(WorkDirectory dir, int round, Plan plan) throws IOException {
    JsonObject o = ResultJson.GSON.toJsonTree(plan).getAsJsonObject();
    o.addProperty("format", FORMAT);
    dir.writeJson(planFile(round), o);
  }

  /**
   * Opens the plan a run wrote for one round.
   *
   * @param workDir the run's work directory (shared storage, the same path on every worker)
   * @param round the round, 1 after {@link SelfTrainingRun#fitFirstTeacher()}
   * @return the plan
   * @throws FileNotFoundException if the run has not written it (train the teacher first)
   * @throws IOException naming the file if it cannot be read or is not a plan
   */
  public static PoolLabeling open(Path workDir, int round) throws IOException {
    checkNotNull(workDir, "workDir");
    checkArgument(round >= 1, "round must be at least 1: %s", round);
    Path file = workDir.resolve(planFile(round));
    if (!Files.exists(file)) {
      throw new FileNotFoundException(
          "no labeling plan "
              + file
              + ": train the run's teacher first (SelfTrainingRun.fitFirstTeacher)");
    }
    try {
      JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
      if (!o.has("format") || o.get("format").getAsInt() != FORMAT) {
        throw new IOException(
            "labeling plan " + file + " is of format " + o.get("format") + ", not " + FORMAT);
      }
      return new PoolLabeling(workDir, ResultJson.GSON.fromJson(o, Plan.class));
    } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
      throw new IOException("labeling plan " + file + " is damaged: " + e.getMessage(), e);
    }
  }

  /**
   * @return the number of shards
   */
  public int shardCount() {
    return plan.shards().size();
  }

  /**
   * @return the task: classification, detection or segmentation
   */
  public String task() {
    return plan.task();
  }

  /**
   * @return the number of classes the teacher predicts
   */
  public int numClasses() {
    return plan.numClasses();
  }

  /**
   * @return the name of the teacher's architecture ({@code Student#name()}), for a worker to
   *     rebuild it
   */
  public String teacherModel() {
    return plan.teacherModel();
  }

  /**
   * @return the teacher's parameter file ({@code Block.saveParameters})
   * @throws IllegalStateException if the run was given a trained teacher, which has no file there
   */
  public Path teacherParameters() {
    if (plan.teacherFile() == null) {
      throw new IllegalStateException(
          "the run in " + workDir + " was given its first teacher; there is no parameter file");
    }
    return workDir.resolve(plan.teacherFile());
  }

  /**
   * Opens the run's pool from its description.
   *
   * @return the pool, as the run reads it
   * @throws IllegalStateException if the run's pool is held in memory
   * @throws IOException if its files cannot be opened
   */
  public StreamedImages pool() throws IOException {
    if (plan.pool() == null) {
      throw new IllegalStateException(
          "the run in "
              + workDir
              + " holds its pool in memory; give it a StreamedImages pool to label it elsewhere");
    }
    return StreamedImages.fromDescription(plan.pool());
  }

  /**
   * @return the shards the run's manifest does not yet record as complete (a job resumes)
   * @throws IOException if the manifest cannot be read
   */
  public List<Integer> pendingShards() throws IOException {
    WorkDirectory dir = WorkDirectory.openExisting(workDir);
    List<Integer> pending = new ArrayList<>();
    for (int shard = 0; shard < shardCount(); shard++) {
      ShardPlan s = plan.shards().get(shard);
      if (dir.completed(s.key(), s.inputs()).isEmpty()) {
        pending.add(shard);
      }
    }
    return pending;
  }

  /**
   * Predicts one shard with the un-noised teacher and writes its file atomically into the work
   * directory, exactly as the run would.
   *
   * @param shard the shard, in {@code [0, shardCount())}
   * @param teacher the teacher, rebuilt from {@link #teacherModel()} and {@link
   *     #teacherParameters()}
   * @param pool the pool ({@link #pool()}), opened once per worker
   * @param skipUnreadable whether an unreadable image is skipped (recorded) rather than failing
   * @return what the driver records
   * @throws io.selftrain.core.data.UnreadableImageException naming the file, unless skipping
   * @throws IOException if the shard cannot be written
   */
  public LabeledShard labelShard(
      int shard, Teacher<? extends Target> teacher, List<Image> pool, boolean skipUnreadable)
      throws IOException {
    checkArgument(
        shard >= 0 && shard < shardCount(), "shard must be in [0, %s): %s", shardCount(), shard);
    return label(shard, teacher, pool, skipUnreadable, predictingSupport());
  }

  @SuppressWarnings("unchecked")
  private <T extends Target> LabeledShard label(
      int shard,
      Teacher<? extends Target> teacher,
      List<Image> pool,
      boolean skipUnreadable,
      TaskSupport<T> task)
      throws IOException {
    ShardPlan s = plan.shards().get(shard);
    PredictionShards.Shard<T> predicted =
        PredictionShards.predictInto(
            workDir.resolve(PredictionShards.file(plan.round(), shard)),
            task,
            (Teacher<T>) teacher,
            pool,
            s.start(),
            s.end(),
            skipUnreadable,
            warning -> {},
            done -> {});
    return new LabeledShard(shard, PredictionShards.metrics(predicted).toString());
  }

  /**
   * Records labeled shards in the run's manifest (their SHA-256 and what was skipped), so the run
   * reads them instead of predicting.
   *
   * @param shards what {@link #labelShard} returned, from every worker
   * @throws IOException if the manifest cannot be written or a shard file is missing
   */
  public void record(List<LabeledShard> shards) throws IOException {
    WorkDirectory dir = WorkDirectory.openExisting(workDir);
    for (LabeledShard labeled : shards) {
      ShardPlan s = plan.shards().get(labeled.shard());
      String file = PredictionShards.file(plan.round(), labeled.shard());
      if (!Files.exists(workDir.resolve(file))) {
        throw new FileNotFoundException(
            "shard file " + workDir.resolve(file) + " not found: is the work directory shared?");
      }
      dir.completePart(
          s.key(),
          s.inputs(),
          List.of(file),
          JsonParser.parseString(labeled.metrics()).getAsJsonObject());
    }
  }

  /** The task's prediction half, from the plan (labeling rules do not matter here). */
  private TaskSupport<? extends Target> predictingSupport() {
    switch (plan.task()) {
      case "classification":
        return new ClassificationSupport(
            PseudoLabelConfig.soft(),
            0,
            0,
            "flip-averaged".equals(plan.predictionKey()),
            plan.numClasses());
      case "detection":
        return new DetectionSupport(BoxPseudoLabelConfig.paper(), plan.numClasses(), null, null);
      case "segmentation":
        return new SegmentationSupport(
            MaskPseudoLabelConfig.paper(), 0, 0, plan.numClasses(), null, List.of());
      default:
        throw new IllegalStateException("labeling plan of unknown task: " + plan.task());
    }
  }
}
