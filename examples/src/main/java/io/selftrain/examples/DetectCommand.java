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
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code detect}: a whole self-training run for object detection (Zoph et al. 2020, Sec. 4), ending
 * with a teacher / student / control table of COCO AP.
 *
 * <p>By default it runs the detection benchmark of {@link BenchmarkScenes} (Fashion-MNIST garments
 * on 64 x 64 canvases, written as COCO JSON + PNG and read back like user data) with the recipe
 * chosen on its validation scenes and measured in the README: a RetinaNet on the
 * EfficientNet-tiny64 backbone with 64-channel pyramid and subnets, stochastic depth 0.2 (teacher
 * and student), Augment-S1, 60 teacher epochs; pseudo boxes after cross-class NMS scoring at least
 * 0.3, detections scoring 0.1 to 0.3 as ignored regions, images without a box dropped; one pseudo
 * per human image in a batch, the paper's loss normalization, 5 student epochs over the
 * pseudo-labeled images, two rounds. {@code --train-json ... --test-images} run it on a user's own
 * COCO data.
 */
@Command(
    name = "detect",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description =
        "self-training for object detection (RetinaNet) on COCO data; teacher / student / control AP",
    footer = {
      "",
      "A user's own COCO data instead of the scenes (images letterboxed to --size, boxes mapped back):",
      "--train-json FILE --train-images DIR --unlabeled-images DIR --test-json FILE --test-images DIR",
      "[--val-json FILE --val-images DIR for --eval validation]. --out also writes detections.json beside the result."
    })
final class DetectCommand implements Callable<Integer> {
  private static final String NAME = "detect";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
  private static final List<String> AP_FIELDS =
      List.of("ap", "ap50", "ap75", "apSmall", "apMedium", "apLarge", "ar100");

  private static final String USER_DATA = "with --train-json (a user's own COCO data)";

  @Option(
      names = "--rounds",
      paramLabel = "R",
      defaultValue = "2",
      description = "teacher-student rounds [${DEFAULT-VALUE}]")
  int rounds;

  @Option(
      names = "--epochs",
      paramLabel = "E",
      defaultValue = "5",
      description = "student epochs over the pseudo-labeled images [${DEFAULT-VALUE}]")
  int epochs;

  @Option(
      names = "--teacher-epochs",
      paramLabel = "E",
      defaultValue = "60",
      description = "first teacher's epochs over the labeled scenes [${DEFAULT-VALUE}]")
  int teacherEpochs;

  @Mixin SceneOptions common = new SceneOptions();

  @Mixin PseudoBoxOptions pseudoRules = new PseudoBoxOptions();

  @Option(
      names = "--fpn-channels",
      paramLabel = "C",
      defaultValue = "64",
      description = "the detector's pyramid channels [${DEFAULT-VALUE}]")
  int fpnChannels;

  @Option(
      names = "--head-width",
      paramLabel = "W",
      defaultValue = "64",
      description = "the detector's subnet width [${DEFAULT-VALUE}]")
  int headWidth;

  @Option(
      names = "--teacher-init",
      paramLabel = "random|FILE|run:DIR|backbone:FILE",
      defaultValue = "random",
      description =
          "first teacher's starting parameters: random, a whole detector (parameter file or the last student of the run in DIR),"
              + " or only the backbone from an EfficientNet-tiny64 classifier's parameter file [${DEFAULT-VALUE}]")
  String teacherInit;

  @Option(
      names = "--student-init",
      paramLabel = "random|FILE|run:DIR|backbone:FILE",
      defaultValue = "random",
      description = "every student's starting parameters [${DEFAULT-VALUE}]")
  String studentInit;

  @Option(
      names = "--train-json",
      paramLabel = "FILE",
      description = "user data: COCO annotations of the labeled images")
  Path trainJson;

  @Option(
      names = "--train-images",
      paramLabel = "DIR",
      description = "user data: the labeled images")
  Path trainImages;

  @Option(
      names = "--test-json",
      paramLabel = "FILE",
      description = "user data: COCO annotations of the test images")
  Path testJson;

  @Option(
      names = "--val-json",
      paramLabel = "FILE",
      description = "user data: COCO annotations of the validation images")
  Path valJson;

  DetectCommand() {}

  /** Parses {@code args} and runs; errors come back as exceptions (for tests and callers). */
  static void run(List<String> args) throws IOException {
    DetectCommand command = new DetectCommand();
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    command.call();
  }

  @Override
  public Integer call() throws IOException {
    long start = System.nanoTime();
    long seed = common.seed;
    int threads = common.threads(NAME);
    String eval = common.eval(NAME);
    BoxPseudoLabelConfig pseudoBoxes = pseudoRules.config(NAME);
    AugmentPolicy policy = common.policy(NAME);
    int batch = SceneOptions.positive(NAME, "--batch", common.batch);
    SceneOptions.positive(NAME, "--rounds", rounds);
    SceneOptions.positive(NAME, "--epochs", epochs);
    SceneOptions.positive(NAME, "--teacher-epochs", teacherEpochs);
    SceneOptions.positive(NAME, "--ratio", common.ratio);
    SceneOptions.positive(NAME, "--fpn-channels", fpnChannels);
    SceneOptions.positive(NAME, "--head-width", headWidth);
    Path out = common.out();
    Engines.configure(threads);

    Data data = trainJson != null ? userData() : scenes(seed);
    CocoDataset scored = eval.equals("test") ? data.test : data.validation;
    Path scoredJson = eval.equals("test") ? data.testJson : data.validationJson;
    if (scored == null) {
      throw new IllegalArgumentException(
          "detect: --eval validation needs --val-json and --val-images with --train-json");
    }
    System.err.printf(
        Locale.ROOT,
        "detect: %d labeled, %d unlabeled, %d %s images, %d classes; seed %d, %d threads%n",
        data.labeled.size(),
        data.unlabeled.size(),
        scored.size(),
        eval,
        data.labeled.classNames().size(),
        seed,
        threads);

    int size = data.labeled.examples().get(0).image().height();
    RetinaNetConfig base =
        RetinaNet.tiny64()
            .withBackbone(common.layout.apply(RetinaNet.tiny64().backbone()))
            .withNumClasses(data.labeled.classNames().size())
            .withInputSize(size)
            .withFpnChannels(fpnChannels)
            .withHeadWidth(headWidth);
    RetinaNetConfig teacher =
        OptionErrors.about(
            NAME,
            "--teacher-stochastic-depth",
            () -> withStochasticDepth(base, common.teacherStochasticDepth));
    RetinaNetConfig student =
        OptionErrors.about(
            NAME, "--stochastic-depth", () -> withStochasticDepth(base, common.stochasticDepth));
    Path workDir =
        common.workDir(
            NAME,
            "detect-" + data.labeled.size() + "-s" + seed + (trainJson != null ? "-user" : ""));
    DetectionRun.Builder builder =
        SelfTraining.detection()
            .labeled(data.labeled.examples())
            .unlabeled(data.unlabeled)
            .validation(scored, CocoGroundTruth.load(scoredJson))
            .teacher(RetinaNet.student(teacher))
            .teacherInit(initialization(teacherInit, base))
            .student(RetinaNet.student(student))
            .studentInit(initialization(studentInit, base))
            .pseudoBoxes(pseudoBoxes)
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
    Path detections;
    try (DetectionRun run = builder.build()) {
      System.err.println("work directory: " + run.workDir().toAbsolutePath());
      result = run.fit();
      if (out != null) {
        ReportBesideResult.copy(run.workDir(), out);
      }
      detections = run.evaluationFiles(result.rounds().size()).get(0);
    }
    double wall = (System.nanoTime() - start) / 1e9;
    if (out != null) {
      Path folder = out.toAbsolutePath().getParent();
      Path copy = folder.resolve("detections.json");
      byte[] bytes = Files.readAllBytes(detections);
      AtomicFiles.write(copy, stream -> stream.write(bytes));
      JsonObject json = resultJson(result, data, eval, copy, scoredJson.toAbsolutePath(), wall);
      AtomicFiles.write(
          out.toAbsolutePath(),
          stream -> stream.write(GSON.toJson(json).getBytes(StandardCharsets.UTF_8)));
      System.err.println("wrote " + out + " and " + copy);
    }
    System.out.print(SUMMARY.table(result, eval, wall));
    return 0;
  }

  /** The labeled, unlabeled, validation and test sets of a run. */
  private record Data(
      CocoDataset labeled,
      List<Image> unlabeled,
      List<BoxesTarget> unlabeledTruth,
      CocoDataset validation,
      Path validationJson,
      CocoDataset test,
      Path testJson) {}

  private Data scenes(long seed) throws IOException {
    int[] sizes = common.sizes(NAME);
    Path dir = common.workDir(NAME, "detect-" + sizes[0] + "-s" + seed).resolve("scenes");
    System.err.println("detect: scenes in " + dir.toAbsolutePath());
    BenchmarkScenes.DetectionSets sets =
        BenchmarkScenes.detection(dir, common.fashion(NAME), sizes, seed);
    return new Data(
        sets.labeled(),
        sets.unlabeledImages(),
        sets.unlabeledTruth(),
        sets.validation(),
        sets.validationJson(),
        sets.test(),
        sets.testJson());
  }

  private Data userData() throws IOException {
    int size = common.size(NAME);
    Path train = CliPaths.existingFile(NAME, "--train-json", trainJson);
    CocoDataset labeled =
        CocoDataset.load(train, folder("--train-images", trainImages)).fitted(size);
    List<Image> pool = ImageFolder.load(folder("--unlabeled-images", common.unlabeledImages), size);
    Path test =
        CliPaths.existingFile(
            NAME, "--test-json", SceneOptions.required(NAME, "--test-json", testJson, USER_DATA));
    CocoDataset testSet =
        CocoDataset.load(test, folder("--test-images", common.testImages)).fitted(size);
    Path val = valJson == null ? null : CliPaths.existingFile(NAME, "--val-json", valJson);
    CocoDataset validation =
        val == null
            ? null
            : CocoDataset.load(val, folder("--val-images", common.valImages)).fitted(size);
    return new Data(labeled, pool, null, validation, val, testSet, test);
  }

  /** A user-data folder: needed with --train-json, and it must exist. */
  private static Path folder(String option, Path value) {
    return CliPaths.existingFolder(
        NAME, option, SceneOptions.required(NAME, option, value, USER_DATA));
  }

  /**
   * The detector with this stochastic depth in its backbone, named after everything that shapes its
   * parameters (work-directory stages are keyed by model names).
   */
  static RetinaNetConfig withStochasticDepth(RetinaNetConfig base, float rate) {
    String name =
        String.format(
            Locale.ROOT,
            "retinanet-tiny64-c%d-fpn%d-head%d-sd%.2f",
            base.numClasses(),
            base.fpnChannels(),
            base.headWidth(),
            rate);
    return base.withName(name).withBackbone(base.backbone().withStochasticDepth(rate));
  }

  /**
   * {@code random}, a whole detector ({@code FILE}, {@code run:DIR}) or a classifier's backbone
   * ({@code backbone:FILE}).
   */
  private static io.selftrain.core.Initialization initialization(
      String value, RetinaNetConfig detector) {
    if (value.startsWith("backbone:")) {
      return io.selftrain.core.Initialization.backbone(
          Path.of(value.substring("backbone:".length())),
          io.selftrain.models.EfficientNet.student(detector.backbone().withNumClasses(10)));
    }
    return ClassifyCommand.initialization(value);
  }

  /** result.json and the console table: the COCO AP family per model. */
  static final RunSummary SUMMARY =
      new RunSummary(
          "detection",
          "AP",
          "pseudo boxes",
          "| model | AP | AP50 | AP75 | AP small | AP medium | AP large |\n|---|---:|---:|---:|---:|---:|---:|\n",
          DetectCommand::ap,
          m ->
              String.format(
                  Locale.ROOT,
                  "%.2f | %.2f | %.2f | %s | %s | %s |",
                  100 * m.get("ap"),
                  100 * m.get("ap50"),
                  100 * m.get("ap75"),
                  pct(m.get("apSmall")),
                  pct(m.get("apMedium")),
                  pct(m.get("apLarge"))),
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

  static JsonObject resultJson(
      SelfTrainingResult result,
      Data data,
      String eval,
      Path detections,
      Path annotations,
      double wall) {
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
