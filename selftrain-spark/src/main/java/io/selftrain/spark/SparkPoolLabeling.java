package io.selftrain.spark;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import io.selftrain.Target;
import io.selftrain.Teacher;
import io.selftrain.core.Engines;
import io.selftrain.core.PoolLabeling;
import io.selftrain.core.TeacherFactory;
import io.selftrain.core.data.StreamedImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Pseudo-labels a run's unlabeled pool across Spark executors (Xie et al. 2020: the teacher labels
 * the whole pool, the embarrassingly parallel stage of self-training). Each task rebuilds the
 * teacher once per executor thread from the run's plan ({@link PoolLabeling}: architecture name +
 * parameter file, through a {@link TeacherFactory}), labels its shards in batches and writes them
 * into the run's work directory in the run's own format; the driver then records them in the run's
 * manifest, and the run reads them as if it had computed them.
 *
 * <pre>{@code
 * run.fitFirstTeacher();                                   // one machine: the teacher, and the plan
 * SparkPoolLabeling.label(spark, workDir, 1, factory, false);   // the cluster: the pool's shards
 * run.fit();                                               // one machine: selection and the student
 * }</pre>
 *
 * <p>The work directory must be on storage every executor reads and writes at the same path (NFS, a
 * mounted bucket); shards already recorded are not labeled again, so a failed job is simply run
 * again.
 */
public final class SparkPoolLabeling {
  /** Teachers built in this JVM, one per executor thread and plan, kept for the executor's life. */
  private static final ThreadLocal<Map<String, Teacher<? extends Target>>> TEACHERS =
      ThreadLocal.withInitial(HashMap::new);

  private SparkPoolLabeling() {}

  /** What a job did. */
  public record Summary(int shards, int pending, double seconds) {}

  /**
   * Labels every shard of a round that the run's manifest does not yet record.
   *
   * @param spark the Spark context
   * @param workDir the run's work directory, the same path on the driver and every executor
   * @param round the round whose plan to follow (1 after {@code fitFirstTeacher})
   * @param factory rebuilds the teacher on the executors
   * @param skipUnreadable whether an unreadable pool image is skipped and recorded rather than
   *     failing the job
   * @return how many shards there are and how many were labeled
   * @throws IOException if the plan, the pool or the manifest cannot be read
   */
  public static Summary label(
      JavaSparkContext spark,
      Path workDir,
      int round,
      TeacherFactory factory,
      boolean skipUnreadable)
      throws IOException {
    checkNotNull(spark, "spark");
    checkNotNull(factory, "factory");
    long start = System.nanoTime();
    Path dir = workDir.toAbsolutePath();
    PoolLabeling labeling = PoolLabeling.open(dir, round);
    // Fails here, on the driver, for a pool held in memory, missing files or a given teacher.
    labeling.pool();
    labeling.teacherParameters();
    List<Integer> pending = labeling.pendingShards();
    if (!pending.isEmpty()) {
      String dirName = dir.toString();
      List<PoolLabeling.LabeledShard> labeled =
          spark
              .parallelize(pending, pending.size())
              .mapPartitions(shards -> labelShards(dirName, round, factory, skipUnreadable, shards))
              .collect();
      labeling.record(new ArrayList<>(labeled));
    }
    return new Summary(labeling.shardCount(), pending.size(), (System.nanoTime() - start) / 1e9);
  }

  /** One task: the executor's teacher and pool, then its shards, each written atomically. */
  private static Iterator<PoolLabeling.LabeledShard> labelShards(
      String workDir, int round, TeacherFactory factory, boolean skip, Iterator<Integer> shards)
      throws IOException {
    PoolLabeling labeling = PoolLabeling.open(Path.of(workDir), round);
    StreamedImages pool = labeling.pool();
    Teacher<? extends Target> teacher = teacher(labeling, factory);
    List<PoolLabeling.LabeledShard> out = new ArrayList<>();
    while (shards.hasNext()) {
      out.add(labeling.labelShard(shards.next(), teacher, pool, skip));
    }
    return out.iterator();
  }

  private static Teacher<? extends Target> teacher(PoolLabeling labeling, TeacherFactory factory)
      throws IOException {
    Path parameters = labeling.teacherParameters();
    String key =
        labeling.teacherModel()
            + "@"
            + parameters
            + "@"
            + Files.getLastModifiedTime(parameters).toMillis();
    Map<String, Teacher<? extends Target>> built = TEACHERS.get();
    Teacher<? extends Target> teacher = built.get(key);
    if (teacher == null) {
      teacher = factory.create(labeling.teacherModel(), parameters, labeling.numClasses());
      built.put(key, teacher);
    }
    return teacher;
  }

  /**
   * The job for {@code spark-submit} (or a plain {@code java} command, then in local mode on every
   * core): {@code --work-dir DIR --factory CLASS [--round N] [--threads T] [--skip-unreadable]
   * [--master URL]}.
   *
   * @param args the options above
   * @throws Exception if the job fails; the message names the bad option or file
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    Path workDir = Path.of(required(options, "--work-dir"));
    String factoryClass = required(options, "--factory");
    int round = positive(options, "--round", "1");
    int threads = positive(options, "--threads", "1");
    boolean skip = options.containsKey("--skip-unreadable");
    TeacherFactory factory;
    try {
      factory = (TeacherFactory) Class.forName(factoryClass).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalArgumentException(
          "--factory: not a TeacherFactory with a public no-argument constructor on the classpath: "
              + factoryClass,
          e);
    }
    Engines.configure(threads);
    SparkConf conf = new SparkConf().setAppName("selftrain pool labeling " + workDir);
    if (options.containsKey("--master")) {
      conf.setMaster(options.get("--master"));
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    try (JavaSparkContext spark = new JavaSparkContext(conf)) {
      Summary summary = label(spark, workDir, round, factory, skip);
      System.out.printf(
          Locale.ROOT,
          "labeled %d of %d shards of %s round %d in %.1f s%n",
          summary.pending(),
          summary.shards(),
          workDir,
          round,
          summary.seconds());
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      checkArgument(name.startsWith("--"), "expected an option, found: %s", name);
      if (name.equals("--skip-unreadable")) {
        options.put(name, "true");
      } else {
        checkArgument(i + 1 < args.length, "%s needs a value", name);
        options.put(name, args[++i]);
      }
    }
    return options;
  }

  private static int positive(Map<String, String> options, String name, String fallback) {
    String value = options.getOrDefault(name, fallback);
    try {
      int parsed = Integer.parseInt(value);
      checkArgument(parsed >= 1, "%s must be a positive integer: %s", name, value);
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a positive integer: " + value, e);
    }
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    checkArgument(value != null, "%s is required", name);
    return value;
  }
}
