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
import io.selftrain.core.TrainingSchedule;
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
import java.util.Set;

/**
 * {@code segment}: a whole self-training run for semantic segmentation (Zoph et al. 2020, PASCAL VOC
 * experiments), ending with a teacher / student / control table of mIoU.
 *
 * <p>By default it runs the segmentation benchmark of {@link BenchmarkScenes} (Fashion-MNIST garments on 64 x 64
 * canvases, 11 classes with background, written as PNG images and masks and read back like user data) with the
 * recipe chosen on its validation scenes and measured in the README. {@code --train-images --train-masks ...}
 * run it on a user's own data: folders of images and PNG class masks with the same names.
 */
final class SegmentCommand {
  private static final Set<String> VALUED =
      Set.of(
          "labels", "unlabeled", "validation", "test", "rounds", "epochs", "teacher-epochs", "seed", "threads", "policy",
          "out", "work-dir", "data-dir", "eval", "threshold", "min-labeled", "ratio", "loss", "batch", "lr", "teacher-lr",
          "stochastic-depth", "teacher-stochastic-depth", "size", "classes", "train-images", "train-masks", "unlabeled-images",
          "val-images", "val-masks", "test-images", "test-masks", "teacher-init", "student-init", "fpn-channels", "fpn-cells");
  private static final Set<String> FLAGS = Set.of("baseline");
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();
  private static final String USER_DATA = "with --train-images (a user's own images and masks)";
  private static final String PREDICTIONS = "predictions";

  private SegmentCommand() {}

  static String usage() {
    return String.join(
        "\n",
        "segment options (defaults in brackets):",
        "  --labels N                      labeled scenes [500]",
        "  --unlabeled M                   unlabeled scenes [5000]",
        "  --validation V  --test T        validation and test scenes [500, 1000]",
        "  --rounds R                      teacher-student rounds [" + Recipe.ROUNDS + "]",
        "  --epochs E                      student epochs over the pseudo-labeled images [" + Recipe.EPOCHS + "]",
        "  --teacher-epochs E              first teacher's epochs over the labeled scenes [" + Recipe.TEACHER_EPOCHS + "]",
        "  --seed S                        run and scene-layout seed [0]",
        "  --threads T                     PyTorch threads [available processors]",
        "  --policy S1|S2|S3|S4|none       augmentation of teacher and student, masks moving with pixels [" + Recipe.POLICY + "]",
        "  --baseline                      also train the supervised control (student recipe, labeled data only)",
        "  --out FILE                      the result as JSON; the final student's test masks are written beside it in",
        "                                  " + PREDICTIONS + "/",
        "  --work-dir DIR                  stage outputs and scenes; an unfinished run there is resumed",
        "                                  [runs/segment-<labels>-s<seed>]",
        "  --eval test|validation          the set every model is scored on: choose recipes on validation [test]",
        "  --threshold P                   lowest teacher probability of a pseudo-labeled pixel [" + Recipe.THRESHOLD + "]",
        "  --min-labeled F                 drop pseudo masks with fewer labeled pixels than this fraction [0]",
        "  --ratio K [" + Recipe.RATIO + "]  --loss paper|sum|batch-ratio[:alpha] [" + Recipe.LOSS + "]  --batch B [" + Recipe.BATCH
            + "]  --lr LR [" + Recipe.LR + "]",
        "  --teacher-lr LR [" + Recipe.LR + "]  --stochastic-depth P (student) [" + Recipe.STOCHASTIC_DEPTH + "]",
        "  --teacher-stochastic-depth P [" + Recipe.STOCHASTIC_DEPTH + "]",
        "  --fpn-channels C [" + Recipe.FPN_CHANNELS + "]  --fpn-cells N [" + Recipe.FPN_CELLS + "]   NAS-FPN width (also the head's) and cells",
        "  --data-dir DIR                  folder with Fashion-MNIST (default: standard locations, then a cache)",
        "  --teacher-init / --student-init random|FILE|run:DIR   starting parameters [random]",
        "",
        "  A user's own data instead of the scenes (images and masks resized to --size, masks by nearest pixel):",
        "  --train-images DIR --train-masks DIR   labeled images and PNG class masks with the same base names",
        "  --unlabeled-images DIR                 the unlabeled pool (every image file of the folder)",
        "  --test-images DIR --test-masks DIR     the test set; --val-images/--val-masks a validation set for --eval validation",
        "  --classes K                            classes including background (mask values 0..K-1, 255 ignored)",
        "  --size S                               the model's input side, a multiple of 32 [64]");
  }

  /** The recipe chosen on the validation scenes (README, Segmentation). */
  static final class Recipe {
    static final int ROUNDS = 1;
    static final int EPOCHS = 8;
    static final int TEACHER_EPOCHS = 160;
    static final String POLICY = "S1";
    static final double THRESHOLD = 0.5;
    static final int RATIO = 1;
    static final String LOSS = "paper";
    static final int BATCH = 32;
    static final float LR = 2e-3f;
    static final float STOCHASTIC_DEPTH = 0.2f;
    static final int FPN_CHANNELS = 32;
    static final int FPN_CELLS = 2;

    private Recipe() {}
  }

  static void run(List<String> argList) throws IOException {
    if (argList.contains("--help")) {
      System.out.println(usage());
      return;
    }
    Args args = Args.parse("segment", argList, VALUED, FLAGS);
    long start = System.nanoTime();
    long seed = args.longValue("seed", 0);
    int threads = args.positive("threads", Runtime.getRuntime().availableProcessors());
    String eval = args.string("eval", "test");
    if (!eval.equals("test") && !eval.equals("validation")) {
      throw new IllegalArgumentException("segment: --eval must be test or validation: " + eval);
    }
    MaskPseudoLabelConfig pseudoMasks = pseudoMasks(args);
    Engines.configure(threads);

    boolean user = args.path("train-images") != null;
    Data data = user ? userData(args) : scenes(args, seed);
    MaskDataset scored = eval.equals("test") ? data.test : data.validation;
    Path scoredMasks = eval.equals("test") ? data.testMasks : data.validationMasks;
    if (scored == null) {
      throw new IllegalArgumentException("segment: --eval validation needs --val-images and --val-masks with --train-images");
    }
    System.err.printf(
        Locale.ROOT,
        "segment: %d labeled, %d unlabeled, %d %s images, %d classes; seed %d, %d threads%n",
        data.labeled.size(), data.unlabeled.size(), scored.size(), eval, data.labeled.numClasses(), seed, threads);

    int size = data.labeled.examples().get(0).image().height();
    SegmentationConfig base =
        Segmentation.tiny64()
            .withNumClasses(data.labeled.numClasses())
            .withInputSize(size)
            .withNasFpn(
                NasFpnConfig.builder()
                    .channels(args.positive("fpn-channels", Recipe.FPN_CHANNELS))
                    .numRepeats(args.positive("fpn-cells", Recipe.FPN_CELLS))
                    .build());
    SegmentationConfig teacher = withStochasticDepth(base, args.number("teacher-stochastic-depth", Recipe.STOCHASTIC_DEPTH));
    SegmentationConfig student = withStochasticDepth(base, args.number("stochastic-depth", Recipe.STOCHASTIC_DEPTH));
    int batch = args.positive("batch", Recipe.BATCH);
    Path workDir = args.workDir("segment-" + data.labeled.size() + "-s" + seed + (user ? "-user" : ""));
    SegmentationRun.Builder builder =
        SelfTraining.segmentation()
            .labeled(data.labeled.examples())
            .unlabeled(data.unlabeled)
            .validation(scored)
            .teacher(Segmentation.student(teacher))
            .teacherInit(ClassifyCommand.initialization(args.string("teacher-init", "random")))
            .student(Segmentation.student(student))
            .studentInit(ClassifyCommand.initialization(args.string("student-init", "random")))
            .pseudoMasks(pseudoMasks)
            .lossNormalization(LossNormalization.parse(args.string("loss", Recipe.LOSS)))
            .pseudoRatio(args.positive("ratio", Recipe.RATIO))
            .teacherSchedule(
                TrainingSchedule.builder()
                    .epochs(args.positive("teacher-epochs", Recipe.TEACHER_EPOCHS))
                    .batchSize(batch)
                    .learningRate(args.number("teacher-lr", Recipe.LR))
                    .build())
            .studentSchedule(
                TrainingSchedule.builder()
                    .epochs(args.positive("epochs", Recipe.EPOCHS))
                    .batchSize(batch)
                    .learningRate(args.number("lr", Recipe.LR))
                    .build())
            .rounds(args.positive("rounds", Recipe.ROUNDS))
            .seed(seed)
            .control(args.flag("baseline"))
            .workDir(workDir)
            .addListener(Progress.listener());
    if (data.unlabeledTruth != null) {
      builder.unlabeledTruth(data.unlabeledTruth);
    }
    String policy = args.string("policy", Recipe.POLICY);
    if (!policy.equals("none")) {
      try {
        builder.augment(AugmentPolicy.valueOf(policy));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("segment: --policy must be one of [S1, S2, S3, S4, none]: " + policy, e);
      }
    }
    SelfTrainingResult result;
    List<Path> predictions;
    try (SegmentationRun run = builder.build()) {
      System.err.println("work directory: " + run.workDir().toAbsolutePath());
      result = run.fit();
      predictions = run.evaluationFiles(result.rounds().size());
    }
    double wall = (System.nanoTime() - start) / 1e9;
    Path out = args.path("out");
    if (out != null) {
      Path folder = out.toAbsolutePath().getParent().resolve(PREDICTIONS);
      for (Path file : predictions) {
        byte[] bytes = Files.readAllBytes(file);
        AtomicFiles.write(folder.resolve(file.getFileName().toString()), stream -> stream.write(bytes));
      }
      JsonObject json = resultJson(result, data, eval, scoredMasks.toAbsolutePath(), wall);
      AtomicFiles.write(out.toAbsolutePath(), stream -> stream.write(GSON.toJson(json).getBytes(StandardCharsets.UTF_8)));
      System.err.println("wrote " + out + " and " + predictions.size() + " masks in " + folder);
    }
    System.out.print(SUMMARY.table(result, eval, wall));
  }

  /** The labeled, unlabeled, validation and test sets of a run, with the folders of the scored masks. */
  private record Data(
      MaskDataset labeled, List<Image> unlabeled, List<MaskTarget> unlabeledTruth, MaskDataset validation, Path validationMasks,
      MaskDataset test, Path testMasks) {}

  private static Data scenes(Args args, long seed) throws IOException {
    int[] sizes = BenchmarkScenes.sizes(args, "segment");
    Path dir = args.workDir("segment-" + sizes[0] + "-s" + seed).resolve("scenes");
    System.err.println("segment: scenes in " + dir.toAbsolutePath());
    BenchmarkScenes.SegmentationSets sets = BenchmarkScenes.segmentation(dir, BenchmarkScenes.fashion(args), sizes, seed);
    return new Data(
        sets.labeled(), sets.unlabeledImages(), sets.unlabeledTruth(), sets.validation(), sets.validationMasks(), sets.test(), sets.testMasks());
  }

  private static Data userData(Args args) throws IOException {
    int size = args.integer("size", 64);
    if (size < 32 || size % 32 != 0) {
      throw new IllegalArgumentException("segment: --size must be a positive multiple of 32: " + size);
    }
    int classes = args.integer("classes", 0);
    if (classes < 2 || classes > MaskTarget.IGNORE - 1) {
      throw new IllegalArgumentException("segment: --classes (classes with background, mask values 0..K-1) must be in [2, 254] " + USER_DATA
          + ": " + args.string("classes", "absent"));
    }
    MaskDataset labeled = MaskDataset.load(args.requiredFolder("train-images", USER_DATA), args.requiredFolder("train-masks", USER_DATA), classes).fitted(size);
    List<Image> pool = ImageFolder.load(args.requiredFolder("unlabeled-images", USER_DATA), size);
    Path testMasks = args.requiredFolder("test-masks", USER_DATA);
    MaskDataset test = MaskDataset.load(args.requiredFolder("test-images", USER_DATA), testMasks, classes).fitted(size);
    Path valMasks = args.path("val-masks");
    MaskDataset validation = valMasks == null ? null : MaskDataset.load(args.requiredFolder("val-images", USER_DATA), valMasks, classes).fitted(size);
    return new Data(labeled, pool, null, validation, valMasks, test, testMasks);
  }

  /** The pseudo-mask rules, checked here so that errors name the options. */
  private static MaskPseudoLabelConfig pseudoMasks(Args args) {
    double threshold = args.doubleValue("threshold", Recipe.THRESHOLD);
    double minLabeled = args.doubleValue("min-labeled", 0);
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("segment: --threshold must be in (0, 1]: " + args.string("threshold", ""));
    }
    if (!(minLabeled >= 0 && minLabeled <= 1)) {
      throw new IllegalArgumentException("segment: --min-labeled must be in [0, 1]: " + args.string("min-labeled", ""));
    }
    return MaskPseudoLabelConfig.paper().withThreshold(threshold).withMinLabeledFraction(minLabeled);
  }

  /** The model with this stochastic depth in its backbone, named after everything that shapes its parameters. */
  private static SegmentationConfig withStochasticDepth(SegmentationConfig base, float rate) {
    String name =
        String.format(
            Locale.ROOT, "nasfpn-seg-tiny64-c%d-fpn%dx%d-sd%.2f", base.numClasses(), base.nasFpn().channels(), base.nasFpn().numRepeats(), rate);
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
          m -> String.format(Locale.ROOT, "%.2f | %.2f |", 100 * m.get("miou"), 100 * m.get("pixelAccuracy")),
          summary -> {
            PseudoMaskStats p = (PseudoMaskStats) summary;
            JsonObject pseudo = new JsonObject();
            pseudo.addProperty("images", p.kept());
            pseudo.addProperty("labeledFraction", p.labeledFraction());
            pseudo.addProperty("meanConfidence", p.meanConfidence());
            pseudo.addProperty("pixelAccuracy", p.pixelAccuracy());
            return pseudo;
          });

  static JsonObject resultJson(SelfTrainingResult result, Data data, String eval, Path masks, double wall) {
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
