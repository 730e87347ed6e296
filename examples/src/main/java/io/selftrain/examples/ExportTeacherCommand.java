package io.selftrain.examples;

import ai.djl.Model;
import ai.djl.engine.Engine;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Prediction;
import io.selftrain.Student;
import io.selftrain.Teacher;
import io.selftrain.core.ClassificationRun;
import io.selftrain.core.Engines;
import io.selftrain.core.Initialization;
import io.selftrain.core.SelfTraining;
import io.selftrain.core.Teachers;
import io.selftrain.core.data.ImageDataset;
import io.selftrain.core.data.ImageDatasets;
import io.selftrain.core.data.SemiSupervisedSplit;
import io.selftrain.core.teacher.SavedModelConfig;
import io.selftrain.core.teacher.SavedModelTeacher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code export-teacher}: trains the first teacher of {@code classify} (same recipe, same work
 * directory, so a trained teacher is reused) on PyTorch and writes it as a TensorFlow SavedModel
 * with TF Java, then checks the SavedModel against the PyTorch network on the test set. {@code
 * classify --teacher-savedmodel} runs it as the first teacher.
 */
@Command(
    name = "export-teacher",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description =
        "trains classify's first teacher on PyTorch and writes it as a TensorFlow SavedModel")
final class ExportTeacherCommand implements Callable<Integer> {
  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "the SavedModel folder to write (must not exist or be empty; required)")
  Path out;

  @Mixin TeacherOptions common = new TeacherOptions();

  ExportTeacherCommand() {}

  /** Parses {@code args} and runs; errors come back as exceptions (for tests and callers). */
  static void run(List<String> args) throws IOException {
    ExportTeacherCommand command = new ExportTeacherCommand();
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    command.call();
  }

  @Override
  public Integer call() throws IOException {
    if (out == null) {
      throw new IllegalArgumentException("export-teacher: --out DIR is required");
    }
    if (Files.exists(out) && (!Files.isDirectory(out) || !isEmpty(out))) {
      throw new IllegalArgumentException(
          "export-teacher: --out exists and is not an empty folder: " + out);
    }
    CliPaths.writableFile(
        "--out", out.resolve("saved_model.pb")); // the SavedModel folder itself may exist (empty)
    String datasetName = common.dataset;
    int labels = common.labels;
    long seed = common.seed;
    OptionErrors.apply("export-teacher", "--threads", () -> Engines.configure(common.threads()));
    ImageDataset dataset = ImageDatasets.load(datasetName, common.dataDir("export-teacher"));
    SemiSupervisedSplit split = common.split("export-teacher", dataset.train());
    Student<ClassTarget> architecture = common.teacherModel("export-teacher");
    List<Example<ClassTarget>> test = dataset.test().toExamples();
    Path parameters;
    try (ClassificationRun run =
        SelfTraining.classification()
            .labeled(split.labeled().toExamples())
            .unlabeled(split.unlabeled())
            .validation(test)
            .teacher(architecture)
            .teacherAugment(common.teacherAugment())
            .teacherSchedule(common.teacherSchedule("export-teacher", split.labeled().size()))
            .seed(seed)
            .workDir(common.workDir("export-teacher", datasetName + "-" + labels + "-s" + seed))
            .addListener(Progress.listener())
            .build()) {
      System.err.println("work directory: " + run.workDir().toAbsolutePath());
      parameters = run.fitFirstTeacher();
    }

    Path absolute = out.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path staging =
        Files.createTempDirectory(absolute.getParent(), "." + absolute.getFileName() + "-");
    Initialization init = Initialization.checkpoint(parameters);
    try (Model model =
        Model.newInstance(
            architecture.name(),
            Engine.getEngine(Engines.PYTORCH).defaultDevice(),
            Engines.PYTORCH)) {
      model.setBlock(architecture.newBlock());
      init.initialize(
          model.getBlock(),
          model.getNDManager(),
          new ai.djl.ndarray.types.Shape(1).addAll(architecture.inputShape()),
          architecture.name());
      ConvNetSavedModel.export(model.getBlock(), architecture.inputShape(), staging);
      Files.deleteIfExists(absolute);
      Files.move(staging, absolute, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      deleteRecursively(staging);
    }
    System.out.print(verify(out, architecture, init, test));
    return 0;
  }

  /**
   * Top-1 of the SavedModel and of the PyTorch network on the test set, and their largest
   * probability gap.
   */
  static String verify(
      Path savedModel,
      Student<ClassTarget> architecture,
      Initialization init,
      List<Example<ClassTarget>> test)
      throws IOException {
    List<Image> images = test.stream().map(Example::image).toList();
    try (SavedModelTeacher exported =
            SavedModelTeacher.open(SavedModelConfig.builder().modelDir(savedModel).build());
        Teacher<ClassTarget> original = Teachers.trained(architecture, init, Engines.PYTORCH)) {
      List<Prediction<ClassTarget>> tf = Teachers.predictAll(exported, images, (d, t) -> {});
      List<Prediction<ClassTarget>> pt = Teachers.predictAll(original, images, (d, t) -> {});
      double gap = 0;
      int agree = 0;
      for (int i = 0; i < images.size(); i++) {
        float[] p = tf.get(i).target().probabilities();
        float[] q = pt.get(i).target().probabilities();
        for (int k = 0; k < p.length; k++) {
          gap = Math.max(gap, Math.abs(p[k] - q[k]));
        }
        agree += tf.get(i).target().classIndex() == pt.get(i).target().classIndex() ? 1 : 0;
      }
      return String.format(
          Locale.ROOT,
          "exported %s%n  SavedModel top-1 %.2f%%, PyTorch top-1 %.2f%% on %d test images; same class on %d;"
              + " largest probability gap %.2e%n  run it: classify --teacher-savedmodel %s%n",
          savedModel.toAbsolutePath(),
          100 * Teachers.top1(exported, test),
          100 * Teachers.top1(original, test),
          images.size(),
          agree,
          gap,
          savedModel);
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
