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
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code export-teacher}: trains the first teacher of {@code classify} (same recipe, same work directory,
 * so a trained teacher is reused) on PyTorch and writes it as a TensorFlow SavedModel with TF Java, then
 * checks the SavedModel against the PyTorch network on the test set. {@code classify --teacher-savedmodel}
 * runs it as the first teacher.
 */
final class ExportTeacherCommand {
  private static final Set<String> VALUED =
      Set.of(
          "dataset", "data-dir", "labels", "unlabeled", "out", "teacher-epochs", "teacher-width", "teacher-dropout",
          "teacher-lr", "batch", "weight-decay", "label-smoothing", "padding", "seed", "threads", "work-dir");
  private static final Set<String> FLAGS = Set.of("no-flip", "teacher-plain");

  private ExportTeacherCommand() {}

  static String usage() {
    return String.join(
        "\n",
        "export-teacher options (defaults in brackets; the teacher options are classify's):",
        "  --out DIR                       the SavedModel folder to write (must not exist or be empty) [required]",
        "  --dataset fashion-mnist|mnist [fashion-mnist]  --data-dir DIR  --labels N [1000]  --unlabeled M [0]",
        "  --teacher-epochs E [100]  --teacher-width W [32]  --teacher-dropout P [0.3]  --teacher-lr LR [0.002]",
        "  --batch B [128, teacher uses at most 64]  --weight-decay WD [0.0001]  --label-smoothing E [0.0]",
        "  --padding P [2]  --no-flip  --teacher-plain  --seed S [0]  --threads T [available processors]",
        "  --work-dir DIR                  shared with classify, so its trained teacher is reused [runs/<dataset>-<labels>-s<seed>]");
  }

  static void run(List<String> argList) throws IOException {
    if (argList.contains("--help")) {
      System.out.println(usage());
      return;
    }
    Args args = Args.parse("export-teacher", argList, VALUED, FLAGS);
    Path out = args.path("out");
    if (out == null) {
      throw new IllegalArgumentException("export-teacher: --out DIR is required");
    }
    if (Files.exists(out) && (!Files.isDirectory(out) || !isEmpty(out))) {
      throw new IllegalArgumentException("export-teacher: --out exists and is not an empty folder: " + out);
    }
    String datasetName = args.string("dataset", "fashion-mnist");
    int labels = args.integer("labels", 1000);
    long seed = args.longValue("seed", 0);
    int threads = args.integer("threads", Runtime.getRuntime().availableProcessors());
    Engines.configure(threads);
    ImageDataset dataset = ImageDatasets.load(datasetName, args.path("data-dir"));
    SemiSupervisedSplit split = SemiSupervisedSplit.of(dataset.train(), labels, args.integer("unlabeled", 0), seed);
    Student<ClassTarget> architecture = ClassifyCommand.teacherModel(args);
    List<Example<ClassTarget>> test = dataset.test().toExamples();
    Path parameters;
    try (ClassificationRun run =
        SelfTraining.classification()
            .labeled(split.labeled().toExamples())
            .unlabeled(split.unlabeled())
            .validation(test)
            .teacher(architecture)
            .teacherAugment(ClassifyCommand.teacherAugment(args, ClassifyCommand.flips(args, datasetName)))
            .teacherSchedule(ClassifyCommand.teacherSchedule(args))
            .seed(seed)
            .workDir(ClassifyCommand.workDir(args, datasetName + "-" + labels + "-s" + seed))
            .addListener(Progress.listener())
            .build()) {
      System.err.println("work directory: " + run.workDir().toAbsolutePath());
      parameters = run.fitFirstTeacher();
    }

    Path absolute = out.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path staging = Files.createTempDirectory(absolute.getParent(), "." + absolute.getFileName() + "-");
    Initialization init = Initialization.checkpoint(parameters);
    try (Model model = Model.newInstance(architecture.name(), Engine.getEngine(Engines.PYTORCH).defaultDevice(), Engines.PYTORCH)) {
      model.setBlock(architecture.newBlock());
      init.initialize(model.getBlock(), model.getNDManager(), new ai.djl.ndarray.types.Shape(1).addAll(architecture.inputShape()), architecture.name());
      ConvNetSavedModel.export(model.getBlock(), architecture.inputShape(), staging);
      Files.deleteIfExists(absolute);
      Files.move(staging, absolute, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      deleteRecursively(staging);
    }
    System.out.print(verify(out, architecture, init, test));
  }

  /** Top-1 of the SavedModel and of the PyTorch network on the test set, and their largest probability gap. */
  static String verify(Path savedModel, Student<ClassTarget> architecture, Initialization init, List<Example<ClassTarget>> test)
      throws IOException {
    List<Image> images = test.stream().map(Example::image).toList();
    try (SavedModelTeacher exported = SavedModelTeacher.open(SavedModelConfig.builder().modelDir(savedModel).build());
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
          savedModel.toAbsolutePath(), 100 * Teachers.top1(exported, test), 100 * Teachers.top1(original, test),
          images.size(), agree, gap, savedModel);
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
