package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.Lists;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Student;
import io.selftrain.Teacher;
import io.selftrain.core.data.IdxFiles;
import io.selftrain.core.data.StreamedExamples;
import io.selftrain.core.data.StreamedImages;
import io.selftrain.core.data.UnreadableImageException;
import io.selftrain.core.label.PseudoLabelConfig;
import io.selftrain.models.ConvNetConfig;
import io.selftrain.models.ConvNets;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool streamed from disk gives the in-memory run's result; its predictions are stored, resumed
 * and checked in shards; an unreadable image fails the run or is skipped, by a setting; and a pool
 * labeled elsewhere through {@link PoolLabeling} is consumed as the run's own.
 */
class StreamedPoolRunTest {
  @TempDir Path tmp;

  private static final Student<ClassTarget> MODEL =
      ConvNets.student(ConvNetConfig.builder().width(4).hidden(16).build());

  @BeforeAll
  static void engines() {
    Engines.configure(1);
  }

  /** The tiny pool as a raw IDX file, in pool order. */
  private Path poolIdx() throws IOException {
    Path file = tmp.resolve("pool-idx3-ubyte");
    IdxFiles.writeImages(file, TinyData.unlabeled());
    return file;
  }

  private ClassificationRun run(
      List<Image> pool,
      Path workDir,
      PseudoLabelConfig rules,
      boolean skip,
      WarningsAndStages recorder) {
    return SelfTraining.classification()
        .labeled(TinyData.labeled())
        .unlabeled(pool)
        .validation(TinyData.validation().subList(0, 100))
        .teacher(MODEL)
        .pseudoLabels(rules)
        .teacherSchedule(TrainingSchedule.builder().epochs(2).batchSize(32).build())
        .studentSchedule(TrainingSchedule.builder().epochs(1).batchSize(32).build())
        .shardSize(150)
        .skipUnreadableImages(skip)
        .seed(3)
        .workDir(workDir)
        .addListener(recorder)
        .build();
  }

  private SelfTrainingResult fit(List<Image> pool, Path workDir, PseudoLabelConfig rules) {
    try (ClassificationRun run = run(pool, workDir, rules, false, new WarningsAndStages())) {
      return run.fit();
    }
  }

  /** Every round's metrics and pseudo-label statistics. */
  private static List<Object> outcome(SelfTrainingResult result) {
    List<Object> out = new ArrayList<>();
    for (RoundResult round : result.rounds()) {
      out.add(
          List.of(
              round.teacher(), round.student(), ResultJson.GSON.toJson(round.pseudo().asMap())));
    }
    return out;
  }

  private static byte[] read(Path file) throws IOException {
    return Files.readAllBytes(file);
  }

  @Test
  void streamedPool_givesTheInMemoryResult_andTheSameFiles() throws Exception {
    StreamedImages streamed = StreamedImages.idx(poolIdx());
    SelfTrainingResult inMemory =
        fit(TinyData.unlabeled(), tmp.resolve("memory"), PseudoLabelConfig.soft());
    SelfTrainingResult fromDisk = fit(streamed, tmp.resolve("disk"), PseudoLabelConfig.soft());

    assertThat(outcome(fromDisk)).isEqualTo(outcome(inMemory));
    for (String file :
        List.of(
            "round-1/predictions/00000.bin",
            "round-1/predictions/00001.bin",
            "round-1/predictions/00002.bin",
            "round-1/pseudo.bin",
            "round-1/student.params")) {
      assertThat(read(tmp.resolve("disk").resolve(file)))
          .as(file)
          .isEqualTo(read(tmp.resolve("memory").resolve(file)));
    }
    assertThat(tmp.resolve("disk/round-1/predictions/00003.bin")).doesNotExist();
  }

  @Test
  void streamedLabeledData_givesTheInMemoryResult() throws Exception {
    List<Example<ClassTarget>> labeled = TinyData.labeled();
    Path images = tmp.resolve("labeled-idx3-ubyte");
    IdxFiles.writeImages(images, Lists.transform(labeled, Example::image));
    StreamedExamples<ClassTarget> streamed =
        StreamedExamples.of(StreamedImages.idx(images), Lists.transform(labeled, Example::target));
    assertThat(new ArrayList<>(streamed)).isEqualTo(labeled);

    SelfTrainingResult inMemory =
        fit(TinyData.unlabeled(), tmp.resolve("memory"), PseudoLabelConfig.soft());
    SelfTrainingResult fromDisk;
    try (ClassificationRun run =
        SelfTraining.classification()
            .labeled(streamed)
            .unlabeled(StreamedImages.idx(poolIdx()))
            .validation(TinyData.validation().subList(0, 100))
            .teacher(MODEL)
            .pseudoLabels(PseudoLabelConfig.soft())
            .teacherSchedule(TrainingSchedule.builder().epochs(2).batchSize(32).build())
            .studentSchedule(TrainingSchedule.builder().epochs(1).batchSize(32).build())
            .shardSize(150)
            .seed(3)
            .workDir(tmp.resolve("disk"))
            .build()) {
      fromDisk = run.fit();
    }
    assertThat(outcome(fromDisk)).isEqualTo(outcome(inMemory));
    assertThat(read(tmp.resolve("disk/round-1/student.params")))
        .isEqualTo(read(tmp.resolve("memory/round-1/student.params")));
  }

  @Test
  void damagedShard_isReportedAndPredictedAgain_toTheSameBytes() throws Exception {
    Path dir = tmp.resolve("run");
    fit(TinyData.unlabeled(), dir, PseudoLabelConfig.soft());
    Path shard = dir.resolve("round-1/predictions/00001.bin");
    byte[] original = read(shard);
    byte[] damaged = original.clone();
    damaged[100] ^= 0x10;
    Files.write(shard, damaged);

    // New labeling rules relabel from the stored predictions: shards 0 and 2 are read back.
    WarningsAndStages recorder = new WarningsAndStages();
    try (ClassificationRun run =
        run(TinyData.unlabeled(), dir, PseudoLabelConfig.hard(), false, recorder)) {
      run.fit();
    }
    assertThat(recorder.warnings)
        .containsExactly(
            "work directory "
                + dir
                + ": round-1/predictions/00001.bin failed its SHA-256 check (damaged or changed"
                + " since it was written); stage round-1/predictions/00001 is computed again");
    assertThat(read(shard)).isEqualTo(original);
    assertThat(recorder.stages).contains("1:TEACHER_TRAINING:resumed", "1:PSEUDO_LABELING");
  }

  /** The tiny pool as PNG files, one of them cut in half. */
  private Path pngPool(int damagedIndex) throws IOException {
    Path folder = Files.createDirectories(tmp.resolve("pngs"));
    List<Image> pool = TinyData.unlabeled().subList(0, 120);
    for (int i = 0; i < pool.size(); i++) {
      Image image = pool.get(i);
      BufferedImage gray = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
      gray.getRaster().setDataElements(0, 0, 28, 28, image.pixels());
      Path file = folder.resolve(String.format(Locale.ROOT, "%03d.png", i));
      ImageIO.write(gray, "png", file.toFile());
      if (i == damagedIndex) {
        byte[] bytes = read(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
      }
    }
    return folder;
  }

  @Test
  void unreadableImage_failsTheRunNamingTheFile_orIsSkippedWithAWarning() throws Exception {
    Path folder = pngPool(17);
    Path bad = folder.toAbsolutePath().resolve("017.png");
    StreamedImages pool = StreamedImages.folder(folder, 28);
    try (ClassificationRun run =
        run(pool, tmp.resolve("fail"), PseudoLabelConfig.soft(), false, new WarningsAndStages())) {
      assertThatThrownBy(run::fit)
          .isInstanceOf(UnreadableImageException.class)
          .hasMessageStartingWith("unreadable image " + bad + ": ");
    }

    WarningsAndStages recorder = new WarningsAndStages();
    SelfTrainingResult result;
    try (ClassificationRun run =
        run(pool, tmp.resolve("skip"), PseudoLabelConfig.soft(), true, recorder)) {
      result = run.fit();
    }
    assertThat(recorder.warnings)
        .containsExactly(
            "unreadable image "
                + bad
                + ": image must be decodable: PNG must end with an IEND chunk (the file is"
                + " truncated or damaged): 349 bytes; skipped (skipUnreadableImages)");
    PseudoLabelStats stats = (PseudoLabelStats) result.rounds().get(0).pseudo();
    assertThat(stats.pool()).isEqualTo(120);
    assertThat(stats.unique()).isEqualTo(119);
    List<Integer> labeled = new ArrayList<>();
    PseudoLabelStore.read(tmp.resolve("skip/round-1/pseudo.bin"))
        .forEach(label -> labeled.add(label.poolIndex()));
    assertThat(labeled).doesNotContain(17).contains(16, 18);
  }

  @Test
  void poolLabeledElsewhere_isReadAsTheRunsOwn_notPredictedAgain() throws Exception {
    StreamedImages pool = StreamedImages.idx(poolIdx());
    Path reference = tmp.resolve("reference");
    fit(pool, reference, PseudoLabelConfig.soft());

    Path dir = tmp.resolve("cluster");
    Path teacherFile;
    try (ClassificationRun run =
        run(pool, dir, PseudoLabelConfig.soft(), false, new WarningsAndStages())) {
      teacherFile = run.fitFirstTeacher();
    }
    PoolLabeling labeling = PoolLabeling.open(dir, 1);
    assertThat(labeling.shardCount()).isEqualTo(3);
    assertThat(labeling.pendingShards()).containsExactly(0, 1, 2);
    assertThat(labeling.teacherParameters()).isEqualTo(teacherFile);
    assertThat(labeling.teacherModel()).isEqualTo(MODEL.name());
    List<PoolLabeling.LabeledShard> done = new ArrayList<>();
    try (Teacher<ClassTarget> teacher =
        Teachers.trained(
            MODEL, Initialization.checkpoint(labeling.teacherParameters()), Engines.PYTORCH)) {
      StreamedImages workerPool = labeling.pool();
      for (int shard : List.of(2, 0, 1)) {
        done.add(labeling.labelShard(shard, teacher, workerPool, false));
      }
    }
    labeling.record(done);
    assertThat(labeling.pendingShards()).isEmpty();
    List<Long> written = new ArrayList<>();
    for (int shard = 0; shard < 3; shard++) {
      Path file = dir.resolve(PredictionShards.file(1, shard));
      assertThat(read(file)).isEqualTo(read(reference.resolve(PredictionShards.file(1, shard))));
      written.add(Files.getLastModifiedTime(file).toMillis());
    }
    Thread.sleep(20);

    SelfTrainingResult result = fit(pool, dir, PseudoLabelConfig.soft());
    List<Long> after = new ArrayList<>();
    for (int shard = 0; shard < 3; shard++) {
      after.add(Files.getLastModifiedTime(dir.resolve(PredictionShards.file(1, shard))).toMillis());
    }
    assertThat(after).isEqualTo(written);
    assertThat(read(dir.resolve("round-1/pseudo.bin")))
        .isEqualTo(read(reference.resolve("round-1/pseudo.bin")));
    assertThat(outcome(result)).isEqualTo(outcome(fit(pool, reference, PseudoLabelConfig.soft())));
  }

  @Test
  void poolLabeling_inMemoryPool_orNoTeacherYet_saysWhatToDo() throws Exception {
    Path dir = tmp.resolve("memory");
    assertThatThrownBy(() -> PoolLabeling.open(dir, 1))
        .isInstanceOf(java.io.FileNotFoundException.class)
        .hasMessage(
            "no labeling plan "
                + dir.resolve("round-1/labeling.json")
                + ": train the run's teacher first (SelfTrainingRun.fitFirstTeacher)");
    try (ClassificationRun run =
        run(TinyData.unlabeled(), dir, PseudoLabelConfig.soft(), false, new WarningsAndStages())) {
      run.fitFirstTeacher();
    }
    PoolLabeling labeling = PoolLabeling.open(dir, 1);
    assertThatThrownBy(labeling::pool)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the run in "
                + dir
                + " holds its pool in memory; give it a StreamedImages pool to label it elsewhere");
  }
}
