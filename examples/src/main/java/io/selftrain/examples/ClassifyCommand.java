package io.selftrain.examples;

import com.google.gson.JsonObject;
import io.selftrain.ClassTarget;
import io.selftrain.Student;
import io.selftrain.augment.Augmenters;
import io.selftrain.augment.FlipCropConfig;
import io.selftrain.core.ClassificationRun;
import io.selftrain.core.Engines;
import io.selftrain.core.Initialization;
import io.selftrain.core.ResultJson;
import io.selftrain.core.RoundResult;
import io.selftrain.core.SelfTraining;
import io.selftrain.core.SelfTrainingResult;
import io.selftrain.core.TrainingSchedule;
import io.selftrain.core.data.ImageDataset;
import io.selftrain.core.data.ImageDatasets;
import io.selftrain.core.data.SemiSupervisedSplit;
import io.selftrain.core.label.PseudoLabelConfig;
import io.selftrain.core.loss.LossNormalization;
import io.selftrain.core.teacher.SavedModelConfig;
import io.selftrain.core.teacher.SavedModelTeacher;
import io.selftrain.models.ConvNetConfig;
import io.selftrain.models.ConvNets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code classify}: a whole Noisy Student run on real data, ending with a teacher vs student table.
 *
 * <p>The defaults are the recipe measured in the README: Fashion-MNIST, 1,000 labels (100 per class), the
 * other 59,000 training images as the unlabeled pool, a small residual CNN teacher (width 32, 100 epochs,
 * flip + crop, dropout 0.3), a larger noised student (width 40, dropout 0.3, stochastic depth 0.2, flip +
 * crop; Noisy Student's equal-or-larger student), soft pseudo labels at temperature 1 without threshold,
 * one pseudo example per human example in every batch, mixup between the pseudo examples of a batch
 * (Beta(4, 4) weights folded to [0.5, 1]; student noise on pseudo examples only), Noisy Student's
 * batch-ratio loss weighting ({@code L_h + (n_p / n_h) L_p}, here {@code L_h + L_p}), four epochs over the
 * pseudo labels, one round.
 */
final class ClassifyCommand {
  private static final Set<String> VALUED =
      Set.of(
          "dataset", "data-dir", "labels", "unlabeled", "rounds", "epochs", "teacher-epochs", "seed", "threads",
          "out", "work-dir", "pseudo", "temperature", "min-confidence", "balance", "ratio", "loss", "batch",
          "lr", "teacher-lr", "teacher-width", "dropout", "stochastic-depth", "teacher-dropout", "width", "hidden", "padding", "cutout",
          "label-smoothing", "weight-decay", "policy", "pseudo-noise", "pseudo-mixup", "pseudo-cutmix", "pseudo-model-noise", "teacher-savedmodel", "teacher-signature", "teacher-tags",
          "teacher-input", "teacher-output", "teacher-layout", "teacher-range", "teacher-scores", "teacher-init", "student-init");
  private static final Set<String> FLAGS = Set.of("baseline", "no-flip", "teacher-plain", "teacher-flip-average");

  private ClassifyCommand() {}

  static String usage() {
    return String.join(
        "\n",
        "classify options (defaults in brackets):",
        "  --dataset fashion-mnist|mnist   [fashion-mnist]",
        "  --data-dir DIR                  folder with the data (default: standard locations, then a cache)",
        "  --labels N                      labeled examples, class-stratified [1000]",
        "  --unlabeled M                   cap on the unlabeled pool, 0 = every other training image [0]",
        "  --rounds R                      teacher-student rounds [1]",
        "  --epochs E                      student epochs over the pseudo labels [4]",
        "  --teacher-epochs E              first teacher's epochs over the labeled data [100]",
        "  --seed S                        [0]",
        "  --threads T                     PyTorch threads [available processors]",
        "  --baseline                      also train the supervised control (student recipe, labeled data only)",
        "  --out FILE                      write the result as JSON",
        "  --work-dir DIR                  stage outputs; an unfinished run there is resumed [runs/<dataset>-<labels>-s<seed>]",
        "  --pseudo soft|hard              [soft]   --temperature T [1.0]   --min-confidence C [0.0]",
        "  --balance N|auto|0              per-class balancing of pseudo labels [0 = off]",
        "  --ratio K                       pseudo examples per human example in a batch [1]",
        "  --loss paper|sum|batch-ratio[:alpha]  loss normalization [batch-ratio]",
        "  --batch B [128]  --lr LR [0.002]  --teacher-lr LR [0.002]  --weight-decay WD [0.0001]",
        "  --dropout P [0.3]  --stochastic-depth P [0.2]  --teacher-dropout P [0.3]",
        "  --width W (student) [40]  --teacher-width W [32]  --hidden H (student's hidden units) [128]",
        "  --padding P [2]  --cutout S (student only) [0]  --no-flip  --teacher-plain (teacher without augmentation)",
        "  --policy flipcrop|S1|S2|S3|S4   student noise: flip + crop (+ Cutout), or a paper policy Augment-S1..S4 [flipcrop]",
        "  --label-smoothing E             on human labels [0.0]",
        "  --pseudo-noise none|randaugment:N:M[:OP,OP]  extra noise on pseudo-labeled examples only, before flip + crop,",
        "                                  optionally without the listed ops (e.g. INVERT,SOLARIZE) [none]",
        "  --pseudo-mixup A                mixup between the pseudo examples of a batch, weight max(l, 1-l), l ~ Beta(A, A);",
        "                                  0 = off, 1 = weight uniform in [0.5, 1] [4]",
        "  --pseudo-cutmix A               CutMix between the pseudo examples of a batch (after mixup): a rectangle of",
        "                                  1 - max(l, 1-l) of the area, l ~ Beta(A, A), comes from another one; 0 = off [0]",
        "  --pseudo-model-noise K          dropout and stochastic depth on pseudo examples keep a unit with probability",
        "                                  keep^K instead of keep (K masks of the layer's rate); human examples unchanged [1]",
        "  --teacher-flip-average          pseudo-label with the mean of the teacher's predictions on each image and its mirror",
        "  --teacher-init random|FILE|run:DIR  first teacher's starting parameters: random, a DJL checkpoint or parameter",
        "                                  file, or the last student of the run in DIR [random]",
        "  --student-init random|FILE|run:DIR  every student's (and the control's) starting parameters [random]",
        "",
        "  A TensorFlow SavedModel as the first teacher (students still train on PyTorch):",
        "  --teacher-savedmodel DIR        the SavedModel folder (export-teacher writes one); replaces the trained teacher",
        "  --teacher-signature KEY [serving_default]   --teacher-tags T1,T2 [serve]",
        "  --teacher-input NAME  --teacher-output NAME  (default: the signature's only input / output)",
        "  --teacher-layout nhwc|nchw [nhwc]   --teacher-range unit|signed|byte [unit]",
        "  --teacher-scores probabilities|logits [probabilities]");
  }

  static void run(List<String> argList) throws IOException {
    if (argList.contains("--help")) {
      System.out.println(usage());
      return;
    }
    Args args = Args.parse("classify", argList, VALUED, FLAGS);
    String datasetName = args.string("dataset", "fashion-mnist");
    int labels = args.integer("labels", 1000);
    int cap = args.integer("unlabeled", 0);
    long seed = args.longValue("seed", 0);
    int threads = args.integer("threads", Runtime.getRuntime().availableProcessors());
    if (labels < 1) {
      throw new IllegalArgumentException("classify: --labels must be positive: " + labels);
    }
    if (cap < 0) {
      throw new IllegalArgumentException("classify: --unlabeled must be non-negative: " + cap);
    }
    Path savedModel = args.path("teacher-savedmodel");
    if (savedModel != null) {
      CliPaths.existingFolder("classify", "--teacher-savedmodel", savedModel);
    }
    if (args.path("out") != null) {
      CliPaths.writableFile("--out", args.path("out"));
    }
    if (savedModel != null && args.string("teacher-init", null) != null) {
      throw new IllegalArgumentException("classify: --teacher-init applies to a trained teacher, not to --teacher-savedmodel");
    }
    SavedModelConfig savedModelConfig = savedModel == null ? null : savedModelConfig(args, savedModel);
    Engines.configure(threads);

    long start = System.nanoTime();
    ImageDataset dataset = ImageDatasets.load(datasetName, args.path("data-dir"));
    SemiSupervisedSplit split = SemiSupervisedSplit.of(dataset.train(), labels, cap, seed);
    System.err.printf(
        Locale.ROOT,
        "%s: %d labeled, %d unlabeled (labels dropped), %d test images; seed %d, %d threads%n",
        dataset.name(), split.labeled().size(), split.unlabeled().size(), dataset.test().size(), seed, threads);

    int width = args.integer("width", 40);
    Student<ClassTarget> teacher = teacherModel(args);
    Student<ClassTarget> student =
        ConvNets.student(
            ConvNetConfig.builder()
                .width(width)
                .hidden(args.integer("hidden", ConvNetConfig.DEFAULT_HIDDEN))
                .dropout(args.number("dropout", 0.3f))
                .stochasticDepth(args.number("stochastic-depth", 0.2f))
                .build());
    boolean flip = flips(args, datasetName);
    var augment =
        Augmenters.flipCrop(
            FlipCropConfig.builder()
                .padding(args.integer("padding", 2))
                .horizontalFlip(flip)
                .cutout(args.integer("cutout", 0))
                .build());
    PseudoLabelConfig pseudo =
        (args.string("pseudo", "soft").equals("hard") ? PseudoLabelConfig.hard() : softChecked(args.string("pseudo", "soft")))
            .withTemperature(args.number("temperature", 1.0f))
            .withMinConfidence(args.number("min-confidence", 0f))
            .withPerClass(balance(args.string("balance", "0")));
    float weightDecay = args.number("weight-decay", 1e-4f);
    float smoothing = args.number("label-smoothing", 0f);
    int batch = args.integer("batch", 128);
    TrainingSchedule teacherSchedule = teacherSchedule(args);
    TrainingSchedule studentSchedule =
        TrainingSchedule.builder()
            .epochs(args.integer("epochs", 4))
            .batchSize(batch)
            .learningRate(args.number("lr", 2e-3f))
            .weightDecay(weightDecay)
            .labelSmoothing(smoothing)
            .build();
    // A SavedModel teacher gets its own folder, so that it never replaces a trained teacher's stages.
    Path workDir = workDir(args, datasetName + "-" + labels + "-s" + seed + (savedModel != null ? "-savedmodel" : ""));
    ClassificationRun.Builder builder =
        SelfTraining.classification()
            .labeled(split.labeled().toExamples())
            .unlabeled(split.unlabeled())
            .validation(dataset.test().toExamples())
            .student(student)
            .studentInit(initialization(args, "student-init"))
            .pseudoLabels(pseudo)
            .lossNormalization(LossNormalization.parse(args.string("loss", "batch-ratio")))
            .pseudoRatio(args.integer("ratio", 1))
            .pseudoMixup(args.number("pseudo-mixup", 4f))
            .pseudoCutMix(args.number("pseudo-cutmix", 0f))
            .pseudoModelNoise(args.number("pseudo-model-noise", 1f))
            .teacherSchedule(teacherSchedule)
            .studentSchedule(studentSchedule)
            .rounds(args.integer("rounds", 1))
            .seed(seed)
            .control(args.flag("baseline"))
            .teacherFlipAveraging(args.flag("teacher-flip-average") && flip)
            .workDir(workDir)
            .addListener(Progress.listener());
    String policy = args.string("policy", "flipcrop");
    if (!policy.equals("flipcrop")) {
      try {
        builder.augment(io.selftrain.augment.AugmentPolicy.valueOf(policy));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("classify: --policy must be one of [flipcrop, S1, S2, S3, S4]: " + policy, e);
      }
    }
    String pseudoNoise = args.string("pseudo-noise", "none");
    if (!pseudoNoise.equals("none")) {
      if (!policy.equals("flipcrop")) {
        throw new IllegalArgumentException("classify: --pseudo-noise adds to flip + crop; drop --policy " + policy);
      }
      builder.augment(Augmenters.byOrigin(augment, Augmenters.sequence(randAugment(pseudoNoise, split.labeled().image(0).height()), augment)));
    } else if (policy.equals("flipcrop")) {
      builder.augment(augment);
    }
    builder.teacherAugment(teacherAugment(args, flip));
    SelfTrainingResult result;
    if (savedModel == null) {
      builder.teacher(teacher).teacherInit(initialization(args, "teacher-init"));
      result = fit(builder);
    } else {
      try (SavedModelTeacher given = SavedModelTeacher.open(savedModelConfig)) {
        System.err.println("first teacher: " + given.describe());
        builder.firstTeacher(given);
        result = fit(builder);
      }
    }
    double wall = (System.nanoTime() - start) / 1e9;
    JsonObject json = ResultJson.of(result);
    json.addProperty("dataset", datasetName);
    json.addProperty("labels", split.labeled().size());
    json.addProperty("unlabeled", split.unlabeled().size());
    json.addProperty("threads", threads);
    json.add("baseline", json.get("control"));
    json.addProperty("wallSeconds", wall);
    Path out = args.path("out");
    if (out != null) {
      Path parent = out.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, ".result", ".json");
      Files.writeString(tmp, ResultJson.toText(json), StandardCharsets.UTF_8);
      Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    System.out.print(table(datasetName, split, result, wall));
  }

  private static SelfTrainingResult fit(ClassificationRun.Builder builder) {
    try (ClassificationRun run = builder.build()) {
      System.err.println("work directory: " + run.workDir().toAbsolutePath());
      return run.fit();
    }
  }

  /**
   * {@code randaugment:N:M}: RandAugment with N ops at magnitude M (TF's 0..10 scale, pixel constants scaled
   * to the image side as {@code Augmenters.policy} scales them), for pseudo examples only.
   */
  static io.selftrain.Augmenter<ClassTarget> randAugment(String spec, int imageSide) {
    String[] parts = spec.split(":");
    String expected = "classify: --pseudo-noise must be none or randaugment:N:M[:OP,OP...] (ops to leave out): ";
    try {
      if ((parts.length == 3 || parts.length == 4) && parts[0].equals("randaugment")) {
        int n = Integer.parseInt(parts[1]);
        double m = Double.parseDouble(parts[2]);
        var builder =
            io.selftrain.augment.RandAugmentConfig.builder()
                .numLayers(n)
                .magnitude(m)
                .constants(
                    io.selftrain.augment.OpConstants.randAugment()
                        .scaledBy((double) imageSide / io.selftrain.augment.Task.CLASSIFICATION.referenceSize()));
        List<io.selftrain.augment.AugmentOp> all = builder.build().ops();
        if (parts.length == 4) {
          List<io.selftrain.augment.AugmentOp> left = new java.util.ArrayList<>(all);
          for (String name : parts[3].split(",")) {
            if (!left.removeIf(o -> o.name().equalsIgnoreCase(name))) {
              throw new IllegalArgumentException(expected + spec + " (" + name + " is not one of " + all + ")");
            }
          }
          builder.ops(left);
        }
        var config = builder.build();
        return Augmenters.randAugment(config);
      }
    } catch (NumberFormatException | IllegalStateException e) {
      throw new IllegalArgumentException(expected + spec, e);
    }
    throw new IllegalArgumentException(expected + spec);
  }

  /** The first teacher's architecture: a ConvNet of width {@code --teacher-width} with {@code --teacher-dropout}. */
  static Student<ClassTarget> teacherModel(Args args) {
    return ConvNets.student(
        ConvNetConfig.builder()
            .width(args.integer("teacher-width", 32))
            .dropout(args.number("teacher-dropout", 0.3f))
            .build());
  }

  /** The first teacher's schedule: {@code --teacher-epochs} over the labeled data, batch at most 64. */
  static TrainingSchedule teacherSchedule(Args args) {
    return TrainingSchedule.builder()
        .epochs(args.integer("teacher-epochs", 100))
        .batchSize(Math.min(args.integer("batch", 128), 64))
        .learningRate(args.number("teacher-lr", 2e-3f))
        .weightDecay(args.number("weight-decay", 1e-4f))
        .labelSmoothing(args.number("label-smoothing", 0f))
        .build();
  }

  /** The first teacher trains with flip + crop; Cutout and the paper policies are student noise only. */
  static io.selftrain.Augmenter<ClassTarget> teacherAugment(Args args, boolean flip) {
    return args.flag("teacher-plain")
        ? Augmenters.none()
        : Augmenters.flipCrop(FlipCropConfig.builder().padding(args.integer("padding", 2)).horizontalFlip(flip).build());
  }

  /** Horizontal flips keep a garment's class, not a digit's. */
  static boolean flips(Args args, String dataset) {
    return !args.flag("no-flip") && !dataset.equals("mnist");
  }

  /** {@code --work-dir}, by default {@code runs/<name>}. */
  static Path workDir(Args args, String name) {
    Path workDir = args.path("work-dir");
    return workDir != null ? workDir : Path.of("runs", name);
  }

  /** {@code random}, {@code run:DIR} (an earlier run's last student) or a parameter file. */
  static Initialization initialization(Args args, String option) {
    String value = args.string(option, "random");
    if (value.equals("random")) {
      return Initialization.random();
    }
    if (value.startsWith("run:")) {
      return Initialization.previousRun(Path.of(value.substring(4)));
    }
    return Initialization.checkpoint(Path.of(value));
  }

  static SavedModelConfig savedModelConfig(Args args, Path dir) {
    var config =
        SavedModelConfig.builder()
            .modelDir(dir)
            .signature(args.string("teacher-signature", "serving_default"))
            .tags(List.of(args.string("teacher-tags", "serve").split(",")))
            .layout(choice(args, "teacher-layout", "nhwc", SavedModelConfig.Layout.class))
            .valueRange(choice(args, "teacher-range", "unit", SavedModelConfig.ValueRange.class))
            .scores(choice(args, "teacher-scores", "probabilities", SavedModelConfig.Scores.class));
    String input = args.string("teacher-input", null);
    if (input != null) {
      config.input(input);
    }
    String output = args.string("teacher-output", null);
    if (output != null) {
      config.output(output);
    }
    return config.build();
  }

  private static <E extends Enum<E>> E choice(Args args, String option, String fallback, Class<E> type) {
    String value = args.string(option, fallback);
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> names = java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
      throw new IllegalArgumentException("classify: --" + option + " must be one of " + names + ": " + value, e);
    }
  }

  private static PseudoLabelConfig softChecked(String mode) {
    if (!mode.equals("soft")) {
      throw new IllegalArgumentException("classify: --pseudo must be soft or hard: " + mode);
    }
    return PseudoLabelConfig.soft();
  }

  private static int balance(String value) {
    if (value.equals("auto")) {
      return PseudoLabelConfig.AUTO_BALANCE;
    }
    try {
      int n = Integer.parseInt(value);
      if (n < 0) {
        throw new IllegalArgumentException("classify: --balance must be auto or a non-negative integer: " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("classify: --balance must be auto or a non-negative integer: " + value, e);
    }
  }

  static String table(String dataset, SemiSupervisedSplit split, SelfTrainingResult result, double wall) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "%nNoisy Student on %s: %d labels, %d unlabeled, seed %d%n",
        dataset, split.labeled().size(), split.unlabeled().size(), result.seed()));
    s.append("| round | teacher top-1 | student top-1 | gain | pseudo kept | mean confidence |\n");
    s.append("|------:|--------------:|--------------:|-----:|------------:|----------------:|\n");
    for (RoundResult r : result.rounds()) {
      s.append(String.format(Locale.ROOT, "| %5d | %12.2f%% | %12.2f%% | %+5.2f | %11d | %15.3f |%n",
          r.round(), 100 * r.teacherTop1(), 100 * r.studentTop1(), 100 * (r.studentTop1() - r.teacherTop1()),
          r.pseudo().kept(), r.pseudo().meanConfidence()));
    }
    s.append(String.format(Locale.ROOT, "%nfirst teacher %.2f%%, final student %.2f%% (%+.2f points)%n",
        100 * result.firstTeacherTop1(), 100 * result.finalStudentTop1(),
        100 * (result.finalStudentTop1() - result.firstTeacherTop1())));
    if (result.controlTop1().isPresent()) {
      double c = result.controlTop1().getAsDouble();
      s.append(String.format(Locale.ROOT, "supervised control (student recipe, labeled only) %.2f%%: student %+.2f points%n",
          100 * c, 100 * (result.finalStudentTop1() - c)));
    }
    s.append(String.format(Locale.ROOT, "wall time %.0f s%n", wall));
    return s.toString();
  }
}
