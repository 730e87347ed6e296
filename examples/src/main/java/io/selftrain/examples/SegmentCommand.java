package io.selftrain.examples;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.Metrics;
import io.selftrain.augment.AugmentPolicy;
import io.selftrain.core.Engines;
import io.selftrain.core.PseudoMaskStats;
import io.selftrain.core.SegmentationRun;
import io.selftrain.core.SelfTraining;
import io.selftrain.core.SelfTrainingResult;
import io.selftrain.core.data.ImageFolder;
import io.selftrain.core.data.MaskDataset;
import io.selftrain.core.eval.SegmentationScores;
import io.selftrain.core.label.MaskPseudoLabelConfig;
import io.selftrain.core.loss.LossNormalization;
import io.selftrain.internal.AtomicFiles;
import io.selftrain.models.detection.NasFpnConfig;
import io.selftrain.models.segmentation.Segmentation;
import io.selftrain.models.segmentation.SegmentationConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segment}: a whole self-training run for semantic segmentation (Zoph et al. 2020, PASCAL
 * VOC experiments), ending with a teacher / student / control table of mIoU.
 *
 * <p>By default it runs the segmentation benchmark of {@link BenchmarkScenes} (Fashion-MNIST
 * garments on 64 x 64 canvases, 11 classes with background, written as PNG images and masks and
 * read back like user data) with the recipe chosen on its validation scenes and measured in the
 * README. {@code --train-images --train-masks ...} run it on a user's own data: folders of images
 * and PNG class masks with the same names.
 */
@Command(
    name = "segment",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description =
        "self-training for semantic segmentation (NAS-FPN) on images + PNG masks; mIoU table",
    footer = {
      "",
      "A user's own data instead of the scenes (images and masks resized to --size, masks by nearest pixel):",
      "--train-images DIR --train-masks DIR --unlabeled-images DIR --test-images DIR --test-masks DIR --classes K",
      "[--val-images DIR --val-masks DIR for --eval validation]; masks are PNG class masks with the images' base names.",
      "--out also writes the final student's test masks beside the result in "
          + SegmentCommand.PREDICTIONS
          + "/."
    })
final class SegmentCommand implements Callable<Integer> {
  private static final String NAME = "segment";
  private static final Gson GSON =
      new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();
  private static final String USER_DATA = "with --train-images (a user's own images and masks)";
  static final String PREDICTIONS = "predictions";

  /** The recipe chosen on the validation scenes (README, Segmentation). */
  static final class Recipe {
    static final int ROUNDS = 1;
    static final int EPOCHS = 8;
    static final int TEACHER_EPOCHS = 160;
    static final double THRESHOLD = 0.5;
    static final double PSEUDO_CUTMIX = 0;
    static final double PRIOR_CORRECTION = 2;
    static final int FPN_CHANNELS = 32;
    static final int FPN_CELLS = 2;

    private Recipe() {}
  }

  @Option(
      names = "--rounds",
      paramLabel = "R",
      defaultValue = "" + Recipe.ROUNDS,
      description = "teacher-student rounds [${DEFAULT-VALUE}]")
  int rounds;

  @Option(
      names = "--epochs",
      paramLabel = "E",
      defaultValue = "" + Recipe.EPOCHS,
      description = "student epochs over the pseudo-labeled images [${DEFAULT-VALUE}]")
  int epochs;

  @Option(
      names = "--teacher-epochs",
      paramLabel = "E",
      defaultValue = "" + Recipe.TEACHER_EPOCHS,
      description = "first teacher's epochs over the labeled scenes [${DEFAULT-VALUE}]")
  int teacherEpochs;

  @Mixin SceneOptions common = new SceneOptions();

  @Option(
      names = "--threshold",
      paramLabel = "P",
      defaultValue = "" + Recipe.THRESHOLD,
      description = "lowest teacher probability of a pseudo-labeled pixel [${DEFAULT-VALUE}]")
  double threshold;

  @Option(
      names = "--min-labeled",
      paramLabel = "F",
      defaultValue = "0",
      description =
          "drop pseudo masks with fewer labeled pixels than this fraction [${DEFAULT-VALUE}]")
  double minLabeled;

  @Option(
      names = "--class-balance",
      paramLabel = "F",
      defaultValue = "0",
      description =
          "each class keeps at least this fraction of the pixels the teacher assigns to it,"
              + " its threshold lowered as needed; 0 = off [${DEFAULT-VALUE}]")
  double classBalance;

  @Option(
      names = "--pseudo-cutmix",
      paramLabel = "A",
      defaultValue = "" + Recipe.PSEUDO_CUTMIX,
      description =
          "CutMix between the pseudo examples of a student batch (masks cut with the images),"
              + " kept fraction max(l, 1-l), l ~ Beta(A, A); 0 = off [${DEFAULT-VALUE}]")
  double pseudoCutMix;

  @Option(
      names = "--prior-correction",
      paramLabel = "T",
      defaultValue = "" + Recipe.PRIOR_CORRECTION,
      description =
          "train the students' pseudo rows on logits + T (log prior of the pseudo masks - log prior"
              + " of the human masks), so classes the teacher's masks under-represent are not"
              + " learned as rare; 0 = off [${DEFAULT-VALUE}]")
  double priorCorrection;

  @Option(
      names = "--fpn-channels",
      paramLabel = "C",
      defaultValue = "" + Recipe.FPN_CHANNELS,
      description = "NAS-FPN width (also the head's) [${DEFAULT-VALUE}]")
  int fpnChannels;

  @Option(
      names = "--fpn-cells",
      paramLabel = "N",
      defaultValue = "" + Recipe.FPN_CELLS,
      description = "NAS-FPN cells [${DEFAULT-VALUE}]")
  int fpnCells;

  @Option(
      names = "--teacher-init",
      paramLabel = "random|FILE|run:DIR",
      defaultValue = "random",
      description = "first teacher's starting parameters [${DEFAULT-VALUE}]")
  String teacherInit;

  @Option(
      names = "--student-init",
      paramLabel = "random|FILE|run:DIR",
      defaultValue = "random",
      description = "every student's starting parameters [${DEFAULT-VALUE}]")
  String studentInit;

  @Option(
      names = "--train-images",
      paramLabel = "DIR",
      description = "user data: the labeled images")
  Path trainImages;

  @Option(
      names = "--train-masks",
      paramLabel = "DIR",
      description = "user data: PNG class masks of the labeled images")
  Path trainMasks;

  @Option(
      names = "--test-masks",
      paramLabel = "DIR",
      description = "user data: PNG class masks of the test images")
  Path testMasks;

  @Option(
      names = "--val-masks",
      paramLabel = "DIR",
      description = "user data: PNG class masks of the validation images")
  Path valMasks;

  @Option(
      names = "--classes",
      paramLabel = "K",
      description = "user data: classes including background (mask values 0..K-1, 255 ignored)")
  Integer classes;

  SegmentCommand() {}

  /** Parses {@code args} and runs; errors come back as exceptions (for tests and callers). */
  static void run(List<String> args) throws IOException {
    SegmentCommand command = new SegmentCommand();
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    command.call();
  }

  @Override
  public Integer call() throws IOException {
    long start = System.nanoTime();
    long seed = common.seed;
    int threads = common.threads(NAME);
    String eval = common.eval(NAME);
    MaskPseudoLabelConfig pseudoMasks = pseudoMasks();
    AugmentPolicy policy = common.policy(NAME);
    int batch = SceneOptions.positive(NAME, "--batch", common.batch);
    SceneOptions.positive(NAME, "--rounds", rounds);
    SceneOptions.positive(NAME, "--epochs", epochs);
    SceneOptions.positive(NAME, "--teacher-epochs", teacherEpochs);
    SceneOptions.positive(NAME, "--ratio", common.ratio);
    SceneOptions.positive(NAME, "--fpn-channels", fpnChannels);
    SceneOptions.positive(NAME, "--fpn-cells", fpnCells);
    SceneOptions.finiteNonNegative(NAME, "--pseudo-cutmix", pseudoCutMix);
    SceneOptions.finiteNonNegative(NAME, "--prior-correction", priorCorrection);
    Path out = common.out();
    Engines.configure(threads);

    boolean user = trainImages != null;
    Data data = user ? userData() : scenes(seed);
    MaskDataset scored = eval.equals("test") ? data.test : data.validation;
    Path scoredMasks = eval.equals("test") ? data.testMasks : data.validationMasks;
    if (scored == null) {
      throw new IllegalArgumentException(
          "segment: --eval validation needs --val-images and --val-masks with --train-images");
    }
    System.err.printf(
        Locale.ROOT,
        "segment: %d labeled, %d unlabeled, %d %s images, %d classes; seed %d, %d threads%n",
        data.labeled.size(),
        data.unlabeled.size(),
        scored.size(),
        eval,
        data.labeled.numClasses(),
        seed,
        threads);

    int size = data.labeled.examples().get(0).image().height();
    SegmentationConfig base =
        Segmentation.tiny64()
            .withBackbone(common.layout.apply(Segmentation.tiny64().backbone()))
            .withNumClasses(data.labeled.numClasses())
            .withInputSize(size)
            .withNasFpn(NasFpnConfig.builder().channels(fpnChannels).numRepeats(fpnCells).build());
    SegmentationConfig teacher =
        OptionErrors.about(
            NAME,
            "--teacher-stochastic-depth",
            () -> withStochasticDepth(base, common.teacherStochasticDepth));
    SegmentationConfig student =
        OptionErrors.about(
            NAME, "--stochastic-depth", () -> withStochasticDepth(base, common.stochasticDepth));
    Path workDir =
        common.workDir(
            NAME, "segment-" + data.labeled.size() + "-s" + seed + (user ? "-user" : ""));
    SegmentationRun.Builder builder =
        SelfTraining.segmentation()
            .labeled(data.labeled.examples())
            .unlabeled(data.unlabeled)
            .validation(scored)
            .teacher(Segmentation.student(teacher))
            .teacherInit(ClassifyCommand.initialization(teacherInit))
            .student(Segmentation.student(student))
            .studentInit(ClassifyCommand.initialization(studentInit))
            .pseudoMasks(pseudoMasks)
            .pseudoCutMix(pseudoCutMix)
            .pseudoPriorCorrection(priorCorrection)
            .lossNormalization(LossNormalization.parse(common.loss))
            .pseudoRatio(common.ratio)
            .pseudoOnTop(common.pseudoOnTop)
            .teacherSchedule(common.teacherSchedule(NAME, teacherEpochs, batch))
            .studentSchedule(common.studentSchedule(NAME, epochs, batch))
            .rounds(rounds)
            .seed(seed)
            .control(common.baseline)
            .workDir(workDir)
            .addListener(Progress.listener());
    if (data.unlabeledTruth != null) {
      builder.unlabeledTruth(data.unlabeledTruth);
    }
    if (policy != null) {
      builder.augment(policy);
    }
    SelfTrainingResult result;
    List<Path> predictions;
    try (SegmentationRun run = builder.build()) {
      System.err.println("work directory: " + run.workDir().toAbsolutePath());
      result = run.fit();
      if (out != null) {
        ReportBesideResult.copy(run.workDir(), out);
      }
      predictions = run.evaluationFiles(result.rounds().size());
    }
    double wall = (System.nanoTime() - start) / 1e9;
    if (out != null) {
      Path folder = out.toAbsolutePath().getParent().resolve(PREDICTIONS);
      for (Path file : predictions) {
        byte[] bytes = Files.readAllBytes(file);
        AtomicFiles.write(
            folder.resolve(file.getFileName().toString()), stream -> stream.write(bytes));
      }
      JsonObject json = resultJson(result, data, eval, scoredMasks.toAbsolutePath(), wall);
      AtomicFiles.write(
          out.toAbsolutePath(),
          stream -> stream.write(GSON.toJson(json).getBytes(StandardCharsets.UTF_8)));
      System.err.println("wrote " + out + " and " + predictions.size() + " masks in " + folder);
    }
    System.out.print(SUMMARY.table(result, eval, wall));
    return 0;
  }

  /**
   * The labeled, unlabeled, validation and test sets of a run, with the folders of the scored
   * masks.
   */
  private record Data(
      MaskDataset labeled,
      List<Image> unlabeled,
      List<MaskTarget> unlabeledTruth,
      MaskDataset validation,
      Path validationMasks,
      MaskDataset test,
      Path testMasks) {}

  private Data scenes(long seed) throws IOException {
    int[] sizes = common.sizes(NAME);
    Path dir = common.workDir(NAME, "segment-" + sizes[0] + "-s" + seed).resolve("scenes");
    System.err.println("segment: scenes in " + dir.toAbsolutePath());
    BenchmarkScenes.SegmentationSets sets =
        BenchmarkScenes.segmentation(dir, common.fashion(NAME), sizes, seed);
    return new Data(
        sets.labeled(),
        sets.unlabeledImages(),
        sets.unlabeledTruth(),
        sets.validation(),
        sets.validationMasks(),
        sets.test(),
        sets.testMasks());
  }

  private Data userData() throws IOException {
    int size = common.size(NAME);
    if (classes == null || classes < 2 || classes > MaskTarget.IGNORE - 1) {
      throw new IllegalArgumentException(
          "segment: --classes (classes with background, mask values 0..K-1) must be in [2, 254] "
              + USER_DATA
              + ": "
              + (classes == null ? "absent" : classes));
    }
    MaskDataset labeled =
        MaskDataset.load(
                folder("--train-images", trainImages), folder("--train-masks", trainMasks), classes)
            .fitted(size);
    List<Image> pool = ImageFolder.load(folder("--unlabeled-images", common.unlabeledImages), size);
    Path test = folder("--test-masks", testMasks);
    MaskDataset testSet =
        MaskDataset.load(folder("--test-images", common.testImages), test, classes).fitted(size);
    Path val = valMasks == null ? null : CliPaths.existingFolder(NAME, "--val-masks", valMasks);
    MaskDataset validation =
        val == null
            ? null
            : MaskDataset.load(folder("--val-images", common.valImages), val, classes).fitted(size);
    return new Data(labeled, pool, null, validation, val, testSet, test);
  }

  /** A user-data folder: needed with --train-images, and it must exist. */
  private static Path folder(String option, Path value) {
    return CliPaths.existingFolder(
        NAME, option, SceneOptions.required(NAME, option, value, USER_DATA));
  }

  /** The pseudo-mask rules, checked here so that errors name the options. */
  private MaskPseudoLabelConfig pseudoMasks() {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("segment: --threshold must be in (0, 1]: " + threshold);
    }
    if (!(minLabeled >= 0 && minLabeled <= 1)) {
      throw new IllegalArgumentException("segment: --min-labeled must be in [0, 1]: " + minLabeled);
    }
    if (!(classBalance >= 0 && classBalance < 1)) {
      throw new IllegalArgumentException(
          "segment: --class-balance must be in [0, 1): " + classBalance);
    }
    return MaskPseudoLabelConfig.paper()
        .withThreshold(threshold)
        .withMinLabeledFraction(minLabeled)
        .withClassBalance(classBalance);
  }

  /**
   * The model with this stochastic depth in its backbone, named after everything that shapes its
   * parameters.
   */
  static SegmentationConfig withStochasticDepth(SegmentationConfig base, float rate) {
    String name =
        String.format(
            Locale.ROOT,
            "nasfpn-seg-tiny64-c%d-fpn%dx%d-sd%.2f",
            base.numClasses(),
            base.nasFpn().channels(),
            base.nasFpn().numRepeats(),
            rate);
    return base.withName(name).withBackbone(base.backbone().withStochasticDepth(rate));
  }

  /** result.json and the console table: mIoU, pixel accuracy and per-class IoU per model. */
  static final RunSummary SUMMARY =
      new RunSummary(
          "segmentation",
          "mIoU",
          "pseudo masks",
          "| model | mIoU | pixel accuracy |\n|---|---:|---:|\n",
          SegmentCommand::scores,
          m ->
              String.format(
                  Locale.ROOT, "%.2f | %.2f |", 100 * m.get("miou"), 100 * m.get("pixelAccuracy")),
          summary -> {
            PseudoMaskStats p = (PseudoMaskStats) summary;
            JsonObject pseudo = new JsonObject();
            pseudo.addProperty("images", p.kept());
            pseudo.addProperty("labeledFraction", p.labeledFraction());
            pseudo.addProperty("meanConfidence", p.meanConfidence());
            pseudo.addProperty("pixelAccuracy", p.pixelAccuracy());
            return pseudo;
          });

  static JsonObject resultJson(
      SelfTrainingResult result, Data data, String eval, Path masks, double wall) {
    JsonObject files = new JsonObject();
    files.addProperty("predictions", PREDICTIONS);
    files.addProperty(eval.equals("test") ? "testMasks" : "validationMasks", masks.toString());
    return SUMMARY.json(result, data.labeled.size(), data.unlabeled.size(), eval, files, wall);
  }

  /** mIoU, pixel accuracy and per-class IoU (-1 for a class absent from truth and prediction). */
  private static JsonObject scores(Metrics m) {
    JsonObject o = new JsonObject();
    o.addProperty("miou", m.get("miou"));
    o.addProperty("pixelAccuracy", m.get("pixelAccuracy"));
    JsonArray perClass = new JsonArray();
    for (double v : SegmentationScores.perClassIou(m.values())) {
      perClass.add(v);
    }
    o.add("perClassIou", perClass);
    return o;
  }
}
