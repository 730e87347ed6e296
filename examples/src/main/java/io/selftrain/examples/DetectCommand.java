package io.selftrain.examples;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.selftrain.BoxesTarget;
import io.selftrain.Image;
import io.selftrain.Metrics;
import io.selftrain.augment.AugmentPolicy;
import io.selftrain.core.DetectionRun;
import io.selftrain.core.Engines;
import io.selftrain.core.PseudoBoxStats;
import io.selftrain.core.SelfTraining;
import io.selftrain.core.SelfTrainingResult;
import io.selftrain.core.TrainingSchedule;
import io.selftrain.core.data.CocoDataset;
import io.selftrain.core.data.ImageFolder;
import io.selftrain.core.eval.CocoGroundTruth;
import io.selftrain.core.label.BoxPseudoLabelConfig;
import io.selftrain.core.loss.LossNormalization;
import io.selftrain.internal.AtomicFiles;
import io.selftrain.models.detection.RetinaNet;
import io.selftrain.models.detection.RetinaNetConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code detect}: a whole self-training run for object detection (Zoph et al. 2020, Sec. 4), ending with a
 * teacher / student / control table of COCO AP.
 *
 * <p>By default it runs the detection benchmark of {@link BenchmarkScenes} (Fashion-MNIST garments on 64 x 64
 * canvases, written as COCO JSON + PNG and read back like user data) with the recipe chosen on its validation
 * scenes and measured in the README: a RetinaNet on the EfficientNet-tiny64 backbone with 64-channel pyramid
 * and subnets, stochastic depth 0.2 (teacher and student), Augment-S1, 60 teacher epochs; pseudo boxes after
 * cross-class NMS scoring at least 0.3, detections scoring 0.1 to 0.3 as ignored regions, images without a box
 * dropped; one pseudo per human image in a batch, the paper's loss normalization, 5 student epochs over the
 * pseudo-labeled images, two rounds. {@code --train-json ... --test-images} run it on a user's own COCO data.
 */
final class DetectCommand {
  private static final Set<String> VALUED =
      Set.of(
          "labels", "unlabeled", "validation", "test", "rounds", "epochs", "teacher-epochs", "seed", "threads", "policy",
          "out", "work-dir", "data-dir", "eval", "score-threshold", "ratio", "loss", "batch", "lr", "teacher-lr",
          "stochastic-depth", "teacher-stochastic-depth", "size", "train-json", "train-images", "unlabeled-images",
          "val-json", "val-images", "test-json", "test-images", "teacher-init", "student-init", "fpn-channels", "head-width", "ignore-score");
  private static final Set<String> FLAGS = Set.of("baseline", "keep-empty", "no-cross-class-nms");
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
  private static final List<String> AP_FIELDS = List.of("ap", "ap50", "ap75", "apSmall", "apMedium", "apLarge", "ar100");

  private static final String USER_DATA = "with --train-json (a user's own COCO data)";

  private DetectCommand() {}

  static String usage() {
    return String.join(
        "\n",
        "detect options (defaults in brackets):",
        "  --labels N                      labeled scenes [500]",
        "  --unlabeled M                   unlabeled scenes [5000]",
        "  --validation V  --test T        validation and test scenes [500, 1000]",
        "  --rounds R                      teacher-student rounds [2]",
        "  --epochs E                      student epochs over the pseudo-labeled images [5]",
        "  --teacher-epochs E              first teacher's epochs over the labeled scenes [60]",
        "  --seed S                        run and scene-layout seed [0]",
        "  --threads T                     PyTorch threads [available processors]",
        "  --policy S1|S2|S3|S4|none       augmentation of teacher and student, boxes moving with pixels [S1]",
        "  --baseline                      also train the supervised control (student recipe, labeled data only)",
        "  --out FILE                      the result as JSON; detections.json is written beside it",
        "  --work-dir DIR                  stage outputs and scenes; an unfinished run there is resumed",
        "                                  [runs/detect-<labels>-s<seed>]",
        "  --eval test|validation          the set every model is scored on: choose recipes on validation [test]",
        "  --score-threshold P             lowest score of a pseudo box [0.3; the paper's 0.5 suits confident teachers]",
        "  --keep-empty                    images without a pseudo box train as background (default: dropped)",
        "  --no-cross-class-nms            keep every class a teacher reports for one object (default: its best class only)",
        "  --ignore-score P                detections scoring in [P, --score-threshold) become ignored regions (neither",
        "                                  object nor background for the student) [0.1; 0 = none]",
        "  --ratio K [1]  --loss paper|sum|batch-ratio[:alpha] [paper]  --batch B [32]  --lr LR [0.002]",
        "  --teacher-lr LR [0.002]  --stochastic-depth P (student) [0.2]  --teacher-stochastic-depth P [0.2]",
        "  --fpn-channels C [64]  --head-width W [64]   the detector's pyramid channels and subnet width",
        "  --data-dir DIR                  folder with Fashion-MNIST (default: standard locations, then a cache)",
        "  --teacher-init / --student-init random|FILE|run:DIR|backbone:FILE   starting parameters: random, a whole",
        "                                  detector (parameter file or the last student of the run in DIR), or only the",
        "                                  backbone from an EfficientNet-tiny64 classifier's parameter file [random]",
        "",
        "  A user's own COCO data instead of the scenes (images letterboxed to --size, boxes mapped back):",
        "  --train-json FILE --train-images DIR   labeled images",
        "  --unlabeled-images DIR                 the unlabeled pool (every image file of the folder)",
        "  --test-json FILE --test-images DIR     the test set; --val-json/--val-images a validation set for --eval validation",
        "  --size S                               the detector's input side, a multiple of 32 [64]");
  }

  static void run(List<String> argList) throws IOException {
    if (argList.contains("--help")) {
      System.out.println(usage());
      return;
    }
    Args args = Args.parse("detect", argList, VALUED, FLAGS);
    long start = System.nanoTime();
    long seed = args.longValue("seed", 0);
    int threads = args.positive("threads", Runtime.getRuntime().availableProcessors());
    String eval = args.string("eval", "test");
    if (!eval.equals("test") && !eval.equals("validation")) {
      throw new IllegalArgumentException("detect: --eval must be test or validation: " + eval);
    }
    Engines.configure(threads);

    Data data = args.path("train-json") != null ? userData(args) : scenes(args, seed);
    CocoDataset scored = eval.equals("test") ? data.test : data.validation;
    Path scoredJson = eval.equals("test") ? data.testJson : data.validationJson;
    if (scored == null) {
      throw new IllegalArgumentException("detect: --eval validation needs --val-json and --val-images with --train-json");
    }
    System.err.printf(
        Locale.ROOT,
        "detect: %d labeled, %d unlabeled, %d %s images, %d classes; seed %d, %d threads%n",
        data.labeled.size(), data.unlabeled.size(), scored.size(), eval, data.labeled.classNames().size(), seed, threads);

    int size = data.labeled.examples().get(0).image().height();
    RetinaNetConfig base =
        RetinaNet.tiny64()
            .withNumClasses(data.labeled.classNames().size())
            .withInputSize(size)
            .withFpnChannels(args.integer("fpn-channels", 64))
            .withHeadWidth(args.integer("head-width", 64));
    RetinaNetConfig teacher = withStochasticDepth(base, args.number("teacher-stochastic-depth", 0.2f));
    RetinaNetConfig student = withStochasticDepth(base, args.number("stochastic-depth", 0.2f));
    int batch = args.integer("batch", 32);
    Path workDir = args.workDir("detect-" + data.labeled.size() + "-s" + seed + (args.path("train-json") != null ? "-user" : ""));
    DetectionRun.Builder builder =
        SelfTraining.detection()
            .labeled(data.labeled.examples())
            .unlabeled(data.unlabeled)
            .validation(scored, CocoGroundTruth.load(scoredJson))
            .teacher(RetinaNet.student(teacher))
            .teacherInit(initialization(args, "teacher-init", base))
            .student(RetinaNet.student(student))
            .studentInit(initialization(args, "student-init", base))
            .pseudoBoxes(pseudoBoxes(args))
            .lossNormalization(LossNormalization.parse(args.string("loss", "paper")))
            .pseudoRatio(args.integer("ratio", 1))
            .teacherSchedule(
                TrainingSchedule.builder()
                    .epochs(args.integer("teacher-epochs", 60))
                    .batchSize(batch)
                    .learningRate(args.number("teacher-lr", 2e-3f))
                    .build())
            .studentSchedule(
                TrainingSchedule.builder().epochs(args.integer("epochs", 5)).batchSize(batch).learningRate(args.number("lr", 2e-3f)).build())
            .rounds(args.integer("rounds", 2))
            .seed(seed)
            .control(args.flag("baseline"))
            .workDir(workDir)
            .addListener(Progress.listener());
    if (data.unlabeledTruth != null) {
      builder.unlabeledTruth(data.unlabeledTruth);
    }
    String policy = args.string("policy", "S1");
    if (!policy.equals("none")) {
      try {
        builder.augment(AugmentPolicy.valueOf(policy));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("detect: --policy must be one of [S1, S2, S3, S4, none]: " + policy, e);
      }
    }
    SelfTrainingResult result;
    Path detections;
    try (DetectionRun run = builder.build()) {
      System.err.println("work directory: " + run.workDir().toAbsolutePath());
      result = run.fit();
      detections = run.evaluationFiles(result.rounds().size()).get(0);
    }
    double wall = (System.nanoTime() - start) / 1e9;
    Path out = args.path("out");
    if (out != null) {
      Path folder = out.toAbsolutePath().getParent();
      Path copy = folder.resolve("detections.json");
      byte[] bytes = Files.readAllBytes(detections);
      AtomicFiles.write(copy, stream -> stream.write(bytes));
      JsonObject json = resultJson(result, data, eval, copy, scoredJson.toAbsolutePath(), wall);
      AtomicFiles.write(out.toAbsolutePath(), stream -> stream.write(GSON.toJson(json).getBytes(StandardCharsets.UTF_8)));
      System.err.println("wrote " + out + " and " + copy);
    }
    System.out.print(SUMMARY.table(result, eval, wall));
  }

  /** The labeled, unlabeled, validation and test sets of a run. */
  private record Data(
      CocoDataset labeled, List<Image> unlabeled, List<BoxesTarget> unlabeledTruth, CocoDataset validation, Path validationJson,
      CocoDataset test, Path testJson) {}

  private static Data scenes(Args args, long seed) throws IOException {
    int[] sizes = BenchmarkScenes.sizes(args, "detect");
    Path dir = args.workDir("detect-" + sizes[0] + "-s" + seed).resolve("scenes");
    System.err.println("detect: scenes in " + dir.toAbsolutePath());
    BenchmarkScenes.DetectionSets sets = BenchmarkScenes.detection(dir, BenchmarkScenes.fashion(args), sizes, seed);
    return new Data(
        sets.labeled(), sets.unlabeledImages(), sets.unlabeledTruth(), sets.validation(), sets.validationJson(), sets.test(), sets.testJson());
  }

  private static Data userData(Args args) throws IOException {
    int size = args.integer("size", 64);
    if (size < 32 || size % 32 != 0) {
      throw new IllegalArgumentException("detect: --size must be a positive multiple of 32: " + size);
    }
    Path trainJson = args.requiredFile("train-json", USER_DATA);
    CocoDataset labeled = CocoDataset.load(trainJson, args.requiredFolder("train-images", USER_DATA)).fitted(size);
    List<Image> pool = ImageFolder.load(args.requiredFolder("unlabeled-images", USER_DATA), size);
    Path testJson = args.requiredFile("test-json", USER_DATA);
    CocoDataset test = CocoDataset.load(testJson, args.requiredFolder("test-images", USER_DATA)).fitted(size);
    Path valJson = args.path("val-json");
    CocoDataset validation = valJson == null ? null : CocoDataset.load(valJson, args.requiredFolder("val-images", USER_DATA)).fitted(size);
    return new Data(labeled, pool, null, validation, valJson, test, testJson);
  }

  /** The pseudo-box rules, checked here so that errors name the options. */
  private static BoxPseudoLabelConfig pseudoBoxes(Args args) {
    double threshold = args.doubleValue("score-threshold", 0.3);
    double ignore = args.doubleValue("ignore-score", 0.1);
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("detect: --score-threshold must be in (0, 1]: " + args.string("score-threshold", "0.3"));
    }
    if (!(ignore >= 0 && ignore <= threshold)) {
      throw new IllegalArgumentException(
          "detect: --ignore-score must be in [0, --score-threshold = " + threshold + "]: " + args.string("ignore-score", "0.1"));
    }
    return BoxPseudoLabelConfig.paper()
        .withScoreThreshold(threshold)
        .withIgnoreScore(ignore)
        .withKeepEmpty(args.flag("keep-empty"))
        .withCrossClassNms(!args.flag("no-cross-class-nms"));
  }

  /**
   * The detector with this stochastic depth in its backbone, named after everything that shapes its
   * parameters (work-directory stages are keyed by model names).
   */
  private static RetinaNetConfig withStochasticDepth(RetinaNetConfig base, float rate) {
    String name =
        String.format(Locale.ROOT, "retinanet-tiny64-c%d-fpn%d-head%d-sd%.2f", base.numClasses(), base.fpnChannels(), base.headWidth(), rate);
    return base.withName(name).withBackbone(base.backbone().withStochasticDepth(rate));
  }

  /** {@code random}, a whole detector ({@code FILE}, {@code run:DIR}) or a classifier's backbone ({@code backbone:FILE}). */
  private static io.selftrain.core.Initialization initialization(Args args, String option, RetinaNetConfig detector) {
    String value = args.string(option, "random");
    if (value.startsWith("backbone:")) {
      return io.selftrain.core.Initialization.backbone(
          Path.of(value.substring("backbone:".length())),
          io.selftrain.models.EfficientNet.student(detector.backbone().withNumClasses(10)));
    }
    return ClassifyCommand.initialization(args.string(option, "random"));
  }

  /** result.json and the console table: the COCO AP family per model. */
  static final RunSummary SUMMARY =
      new RunSummary(
          "detection",
          "AP",
          "pseudo boxes",
          "| model | AP | AP50 | AP75 | AP small | AP medium | AP large |\n|---|---:|---:|---:|---:|---:|---:|\n",
          DetectCommand::ap,
          m -> String.format(
              Locale.ROOT, "%.2f | %.2f | %.2f | %s | %s | %s |", 100 * m.get("ap"), 100 * m.get("ap50"), 100 * m.get("ap75"),
              pct(m.get("apSmall")), pct(m.get("apMedium")), pct(m.get("apLarge"))),
          summary -> {
            PseudoBoxStats p = (PseudoBoxStats) summary;
            JsonObject pseudo = new JsonObject();
            pseudo.addProperty("images", p.imagesWithBoxes());
            pseudo.addProperty("boxes", p.boxes());
            pseudo.addProperty("meanScore", p.meanScore());
            pseudo.addProperty("precision50", p.precision50());
            pseudo.addProperty("recall50", p.recall50());
            return pseudo;
          });

  static JsonObject resultJson(SelfTrainingResult result, Data data, String eval, Path detections, Path annotations, double wall) {
    JsonObject files = new JsonObject();
    files.addProperty("detections", detections.toString());
    files.addProperty("testAnnotations", annotations.toString());
    return SUMMARY.json(result, data.labeled.size(), data.unlabeled.size(), eval, files, wall);
  }

  private static JsonObject ap(Metrics m) {
    JsonObject o = new JsonObject();
    AP_FIELDS.forEach(name -> o.addProperty(name, m.get(name)));
    return o;
  }

  private static String pct(double v) {
    return v < 0 ? "-" : String.format(Locale.ROOT, "%.2f", 100 * v);
  }
}
