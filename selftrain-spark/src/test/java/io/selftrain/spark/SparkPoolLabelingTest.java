package io.selftrain.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.SelfTrainingListener;
import io.selftrain.Stage;
import io.selftrain.Student;
import io.selftrain.Teacher;
import io.selftrain.core.ClassificationRun;
import io.selftrain.core.Engines;
import io.selftrain.core.Initialization;
import io.selftrain.core.SelfTraining;
import io.selftrain.core.SelfTrainingResult;
import io.selftrain.core.TeacherFactory;
import io.selftrain.core.Teachers;
import io.selftrain.core.TrainingSchedule;
import io.selftrain.core.data.IdxFiles;
import io.selftrain.core.data.ImageDataset;
import io.selftrain.core.data.ImageDatasets;
import io.selftrain.core.data.SemiSupervisedSplit;
import io.selftrain.core.data.StreamedImages;
import io.selftrain.core.label.PseudoLabelConfig;
import io.selftrain.models.ConvNetConfig;
import io.selftrain.models.ConvNets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's local mode labels a run's pool into the very bytes the run writes itself, and the run
 * then trains its student from those shards without labeling again.
 */
class SparkPoolLabelingTest {
  private static final Student<ClassTarget> MODEL =
      ConvNets.student(ConvNetConfig.builder().width(4).hidden(16).build());

  private static JavaSparkContext spark;
  private static SemiSupervisedSplit split;
  private static List<Example<ClassTarget>> validation;

  @TempDir Path tmp;

  /** Rebuilds the test's architecture from the plan, as a user's factory would. */
  static final class TinyTeachers implements TeacherFactory {
    private static final long serialVersionUID = 1L;

    @Override
    public Teacher<ClassTarget> create(String model, Path parameters, int numClasses)
        throws java.io.IOException {
      if (!model.equals(MODEL.name())) {
        throw new IllegalArgumentException("unknown model: " + model);
      }
      return Teachers.trained(MODEL, Initialization.checkpoint(parameters), Engines.PYTORCH);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    Engines.configure(1);
    ImageDataset data = ImageDatasets.fashionMnist(null);
    split = SemiSupervisedSplit.of(data.train(), 100, 700, 0);
    validation = data.test().toExamples().subList(0, 100);
    spark =
        new JavaSparkContext(
            new SparkConf()
                .setMaster("local[2]")
                .setAppName("selftrain-test")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.close();
    }
  }

  /** The pool as a raw IDX file, streamed. */
  private StreamedImages pool() throws Exception {
    Path file = tmp.resolve("pool-idx3-ubyte");
    IdxFiles.writeImages(file, split.unlabeled());
    return StreamedImages.idx(file);
  }

  private static final class Stages implements SelfTrainingListener {
    final List<String> seen = new ArrayList<>();
    int progressCalls;

    @Override
    public void onStage(int round, Stage stage, boolean resumed) {
      seen.add(round + ":" + stage + (resumed ? ":resumed" : ""));
    }

    @Override
    public void onPseudoLabelProgress(int round, int done, int total) {
      progressCalls++;
    }
  }

  private ClassificationRun run(StreamedImages pool, Path dir, Stages stages) {
    return SelfTraining.classification()
        .labeled(split.labeled().toExamples())
        .unlabeled(pool)
        .validation(validation)
        .teacher(MODEL)
        .pseudoLabels(PseudoLabelConfig.soft())
        .teacherSchedule(TrainingSchedule.builder().epochs(2).batchSize(32).build())
        .studentSchedule(TrainingSchedule.builder().epochs(1).batchSize(32).build())
        .shardSize(250)
        .seed(5)
        .workDir(dir)
        .addListener(stages)
        .build();
  }

  private static String shard(int index) {
    return String.format(Locale.ROOT, "round-1/predictions/%05d.bin", index);
  }

  @Test
  void label_writesTheRunsOwnShards_andTheRunTrainsFromThem() throws Exception {
    StreamedImages pool = pool();
    Path reference = tmp.resolve("in-process");
    SelfTrainingResult expected;
    try (ClassificationRun run = run(pool, reference, new Stages())) {
      expected = run.fit();
    }

    Path dir = tmp.resolve("spark");
    try (ClassificationRun run = run(pool, dir, new Stages())) {
      run.fitFirstTeacher();
    }
    SparkPoolLabeling.Summary summary =
        SparkPoolLabeling.label(spark, dir, 1, new TinyTeachers(), false);
    assertThat(summary.shards()).isEqualTo(3);
    assertThat(summary.pending()).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      assertThat(Files.readAllBytes(dir.resolve(shard(i))))
          .as(shard(i))
          .isEqualTo(Files.readAllBytes(reference.resolve(shard(i))));
    }
    assertThat(SparkPoolLabeling.label(spark, dir, 1, new TinyTeachers(), false).pending())
        .isZero();

    Stages stages = new Stages();
    SelfTrainingResult result;
    try (ClassificationRun run = run(pool, dir, stages)) {
      result = run.fit();
    }
    // Read back, each shard reports once; labeled here, each would report per batch of 500 too.
    assertThat(stages.progressCalls).isEqualTo(3);
    assertThat(stages.seen).startsWith("1:TEACHER_TRAINING:resumed", "1:PSEUDO_LABELING");
    assertThat(Files.readAllBytes(dir.resolve("round-1/pseudo.bin")))
        .isEqualTo(Files.readAllBytes(reference.resolve("round-1/pseudo.bin")));
    assertThat(result.rounds().get(0).student()).isEqualTo(expected.rounds().get(0).student());
  }

  @Test
  void label_poolInMemory_failsOnTheDriverSayingWhatToDo() throws Exception {
    Path dir = tmp.resolve("memory");
    try (ClassificationRun run =
        SelfTraining.classification()
            .labeled(split.labeled().toExamples())
            .unlabeled(split.unlabeled())
            .validation(validation)
            .teacher(MODEL)
            .teacherSchedule(TrainingSchedule.builder().epochs(1).batchSize(32).build())
            .workDir(dir)
            .build()) {
      run.fitFirstTeacher();
    }
    assertThatThrownBy(() -> SparkPoolLabeling.label(spark, dir, 1, new TinyTeachers(), false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("holds its pool in memory; give it a StreamedImages pool");
  }

  @Test
  void main_badOptions_nameTheOptionAndValue() {
    assertThatThrownBy(() -> SparkPoolLabeling.main(new String[] {"--work-dir", "x"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--factory is required");
    assertThatThrownBy(
            () ->
                SparkPoolLabeling.main(
                    new String[] {"--work-dir", "x", "--factory", "F", "--threads", "two"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--threads must be a positive integer: two");
    assertThatThrownBy(
            () ->
                SparkPoolLabeling.main(
                    new String[] {"--work-dir", "x", "--factory", "java.lang.String"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--factory: not a TeacherFactory with a public no-argument constructor on the"
                + " classpath: java.lang.String");
  }
}
