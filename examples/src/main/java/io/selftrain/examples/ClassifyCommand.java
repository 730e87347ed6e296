package io.selftrain.examples;

import com.google.gson.JsonObject;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Student;
import io.selftrain.augment.Augmenters;
import io.selftrain.augment.FlipCropConfig;
import io.selftrain.core.ClassificationRecipe;
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
import io.selftrain.core.data.LabeledImages;
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
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code classify}: a whole Noisy Student run on real data, ending with a teacher vs student table.
 *
 * <p>The defaults are the recipe measured in the README: Fashion-MNIST, 1,000 labels (100 per
 * class), the other 59,000 training images as the unlabeled pool, a small residual CNN teacher
 * (width 32, flip + crop, dropout 0.3), a larger noised student (width 40, dropout 0.3, stochastic
 * depth 0.2, flip + crop; Noisy Student's equal-or-larger student), soft pseudo labels at
 * temperature 1 without threshold, one pseudo example per human example in every batch, mixup
 * between the pseudo examples of a batch (Beta(4, 4) weights folded to [0.5, 1]; student noise on
 * pseudo examples only), Noisy Student's batch-ratio loss weighting ({@code L_h + (n_p / n_h) L_p},
 * here {@code L_h + L_p}), one round; the schedules are sized to the data by {@link
 * ClassificationRecipe#forSizes} (at 1,000 labels: teacher 100 epochs, student 4 epochs over the
 * pseudo labels).
 */
@Command(
    name = "classify",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description =
        "Noisy Student self-training on Fashion-MNIST or MNIST; ends with a teacher vs student table",
    footer = {
      "",
      "A TensorFlow SavedModel as the first teacher (students still train on PyTorch): --teacher-savedmodel DIR",
      "(export-teacher writes one) with the --teacher-* options above."
    })
final class ClassifyCommand implements Callable<Integer> {
  @Mixin TeacherOptions common = new TeacherOptions();

  @Option(
      names = "--rounds",
      paramLabel = "R",
      defaultValue = "1",
      description = "teacher-student rounds [${DEFAULT-VALUE}]")
  int rounds;

  @Option(
      names = "--epochs",
      paramLabel = "E",
      description =
          "student epochs over the pseudo labels [the recipe's: 4, more for a student that would"
              + " pass over the labeled set under 100 times or take under 1600 steps]")
  Integer epochs;

  @Option(
      names = "--baseline",
      description = "also train the supervised control (student recipe, labeled data only)")
  boolean baseline;

  @Option(names = "--out", paramLabel = "FILE", description = "write the result as JSON")
  Path out;

  @Option(
      names = "--pseudo",
      paramLabel = "soft|hard",
      defaultValue = "soft",
      description = "[${DEFAULT-VALUE}]")
  String pseudo;

  @Option(
      names = "--temperature",
      paramLabel = "T",
      defaultValue = "1.0",
      description = "[${DEFAULT-VALUE}]")
  float temperature;

  @Option(
      names = "--min-confidence",
      paramLabel = "C",
      defaultValue = "0.0",
      description = "[${DEFAULT-VALUE}]")
  float minConfidence;

  @Option(
      names = "--balance",
      paramLabel = "N|auto|0",
      defaultValue = "0",
      description = "per-class balancing of pseudo labels, 0 = off [${DEFAULT-VALUE}]")
  String balance;

  @Option(
      names = "--eval",
      paramLabel = "test|validation",
      defaultValue = "test",
      description =
          "the set every model is scored on: choose recipes on validation, images carved from the"
              + " training set (--validation) [${DEFAULT-VALUE}]")
  String eval;

  /** Training images {@code --eval validation} holds out unless {@code --validation} says. */
  static final int DEFAULT_VALIDATION = 5000;

  @Option(
      names = "--validation",
      paramLabel = "V",
      description =
          "with --eval validation: training images held out, class-stratified, the same for every"
              + " seed and label count [5000]")
  Integer validation;

  @Option(
      names = "--stream-pool",
      description =
          "read the unlabeled pool from disk when needed (a raw IDX file in the work directory),"
              + " never holding it in memory; same result as in memory")
  boolean streamPool;

  @Option(
      names = "--pool-repeat",
      paramLabel = "K",
      defaultValue = "1",
      description = "with --stream-pool: the pool repeated K times, to measure a large pool [1]")
  int poolRepeat;

  @Option(
      names = "--shard-size",
      paramLabel = "N",
      defaultValue = "8000",
      description = "pool images per file of the teacher's predictions [${DEFAULT-VALUE}]")
  int shardSize;

  @Option(
      names = "--teacher-only",
      description =
          "train (or resume) the first teacher, write its labeling plan (round-1/labeling.json)"
              + " and stop: label the pool on a cluster (selftrain-spark), then run the same"
              + " command without this option")
  boolean teacherOnly;

  @Option(
      names = "--skip-unreadable",
      description = "skip (and report) pool images that cannot be read instead of failing")
  boolean skipUnreadable;

  @Option(
      names = "--ratio",
      paramLabel = "K",
      defaultValue = "1",
      description = "pseudo examples per human example in a batch [${DEFAULT-VALUE}]")
  int ratio;

  @Option(
      names = "--loss",
      paramLabel = "paper|sum|batch-ratio[:alpha]",
      defaultValue = "batch-ratio",
      description = "loss normalization [${DEFAULT-VALUE}]")
  String loss;

  @Option(
      names = "--lr",
      paramLabel = "LR",
      defaultValue = "0.002",
      description = "student learning rate [${DEFAULT-VALUE}]")
  float lr;

  @Option(
      names = "--dropout",
      paramLabel = "P",
      defaultValue = "0.3",
      description = "student dropout [${DEFAULT-VALUE}]")
  float dropout;

  @Option(
      names = "--stochastic-depth",
      paramLabel = "P",
      defaultValue = "0.2",
      description = "student stochastic depth [${DEFAULT-VALUE}]")
  float stochasticDepth;

  @Option(
      names = "--width",
      paramLabel = "W",
      defaultValue = "40",
      description = "student width [${DEFAULT-VALUE}]")
  int width;

  @Option(names = "--hidden", paramLabel = "H", description = "student's hidden units [128]")
  Integer hidden;

  @Option(
      names = "--cutout",
      paramLabel = "S",
      defaultValue = "0",
      description = "Cutout side, student only [${DEFAULT-VALUE}]")
  int cutout;

  @Option(
      names = "--policy",
      paramLabel = "flipcrop|S1|S2|S3|S4",
      defaultValue = "flipcrop",
      description =
          "student noise: flip + crop (+ Cutout), or a paper policy Augment-S1..S4 [${DEFAULT-VALUE}]")
  String policy;

  @Option(
      names = "--pseudo-noise",
      paramLabel = "none|randaugment:N:M[:OP,OP]",
      defaultValue = "none",
      description =
          "extra noise on pseudo-labeled examples only, before flip + crop, optionally without the listed ops [${DEFAULT-VALUE}]")
  String pseudoNoise;

  @Option(
      names = "--pseudo-mixup",
      paramLabel = "A",
      defaultValue = "4",
      description =
          "mixup between the pseudo examples of a batch, weight max(l, 1-l), l ~ Beta(A, A); 0 = off [${DEFAULT-VALUE}]")
  float pseudoMixup;

  @Option(
      names = "--pseudo-cutmix",
      paramLabel = "A",
      defaultValue = "0",
      description =
          "CutMix between the pseudo examples of a batch (after mixup); 0 = off [${DEFAULT-VALUE}]")
  float pseudoCutMix;

  @Option(
      names = "--pseudo-model-noise",
      paramLabel = "K",
      defaultValue = "1",
      description =
          "dropout and stochastic depth on pseudo examples keep a unit with probability keep^K [${DEFAULT-VALUE}]")
  float pseudoModelNoise;

  @Option(
      names = "--teacher-flip-average",
      description =
          "pseudo-label with the mean of the teacher's predictions on each image and its mirror")
  boolean teacherFlipAverage;

  @Option(
      names = "--teacher-init",
      paramLabel = "random|FILE|run:DIR",
      description =
          "first teacher's starting parameters: random, a DJL checkpoint or parameter file, or the last student of the run in DIR [random]")
  String teacherInit;

  @Option(
      names = "--student-init",
      paramLabel = "random|FILE|run:DIR",
      defaultValue = "random",
      description = "every student's (and the control's) starting parameters [${DEFAULT-VALUE}]")
  String studentInit;

  @Option(
      names = "--teacher-savedmodel",
      paramLabel = "DIR",
      description = "a SavedModel folder as the first teacher; replaces the trained teacher")
  Path teacherSavedModel;

  @Option(
      names = "--teacher-signature",
      paramLabel = "KEY",
      defaultValue = "serving_default",
      description = "[${DEFAULT-VALUE}]")
  String teacherSignature;

  @Option(
      names = "--teacher-tags",
      paramLabel = "T1,T2",
      defaultValue = "serve",
      description = "[${DEFAULT-VALUE}]")
  String teacherTags;

  @Option(
      names = "--teacher-input",
      paramLabel = "NAME",
      description = "default: the signature's only input")
  String teacherInput;

  @Option(
      names = "--teacher-output",
      paramLabel = "NAME",
      description = "default: the signature's only output")
  String teacherOutput;

  @Option(
      names = "--teacher-layout",
      paramLabel = "nhwc|nchw",
      defaultValue = "nhwc",
      description = "[${DEFAULT-VALUE}]")
  String teacherLayout;

  @Option(
      names = "--teacher-range",
      paramLabel = "unit|signed|byte",
      defaultValue = "unit",
      description = "[${DEFAULT-VALUE}]")
  String teacherRange;

  @Option(
      names = "--teacher-scores",
      paramLabel = "probabilities|logits",
      defaultValue = "probabilities",
      description = "[${DEFAULT-VALUE}]")
  String teacherScores;

  /** The option that sets each setting of the student's network. */
  private static final Map<String, String> STUDENT_NETWORK_OPTIONS =
      Map.of(
          "width", "--width",
          "hidden", "--hidden",
          "dropout", "--dropout",
          "stochasticDepth", "--stochastic-depth");

  /** The option that sets each run setting the builder checks. */
  private static final Map<String, String> RUN_OPTIONS =
      Map.of(
          "shardSize", "--shard-size",
          "lossNormalization", "--loss",
          "pseudoRatio", "--ratio",
          "pseudoMixup", "--pseudo-mixup",
          "pseudoCutMix", "--pseudo-cutmix",
          "pseudoModelNoise", "--pseudo-model-noise",
          "rounds", "--rounds");

  ClassifyCommand() {}

  /** Parses {@code args} and runs; errors come back as exceptions (for tests and callers). */
  static void run(List<String> args) throws IOException {
    ClassifyCommand command = new ClassifyCommand();
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    command.call();
  }

  @Override
  public Integer call() throws IOException {
    String datasetName = common.dataset;
    int labels = common.labels;
    int cap = common.unlabeled;
    long seed = common.seed;
    int threads = common.threads();
    if (labels < 1) {
      throw new IllegalArgumentException("classify: --labels must be positive: " + labels);
    }
    if (cap < 0) {
      throw new IllegalArgumentException("classify: --unlabeled must be non-negative: " + cap);
    }
    Path savedModel = teacherSavedModel;
    if (savedModel != null) {
      CliPaths.existingFolder("classify", "--teacher-savedmodel", savedModel);
    }
    if (out != null) {
      CliPaths.writableFile("--out", out);
    }
    if (poolRepeat < 1 || (poolRepeat > 1 && !streamPool)) {
      throw new IllegalArgumentException(
          "classify: --pool-repeat must be at least 1, and above 1 only with --stream-pool: "
              + poolRepeat);
    }
    if (epochs != null && epochs < 1) {
      throw new IllegalArgumentException("classify: --epochs must be positive: " + epochs);
    }
    if (shardSize < 1) {
      throw new IllegalArgumentException("classify: --shard-size must be positive: " + shardSize);
    }
    if (savedModel != null && teacherInit != null) {
      throw new IllegalArgumentException(
          "classify: --teacher-init applies to a trained teacher, not to --teacher-savedmodel");
    }
    SavedModelConfig savedModelConfig = savedModel == null ? null : savedModelConfig(savedModel);
    OptionErrors.apply("classify", "--threads", () -> Engines.configure(threads));

    if (!eval.equals("test") && !eval.equals("validation")) {
      throw new IllegalArgumentException("classify: --eval must be test or validation: " + eval);
    }
    boolean onValidation = eval.equals("validation");
    if (validation != null && !onValidation) {
      throw new IllegalArgumentException(
          "classify: --validation holds images out only with --eval validation: " + validation);
    }
    int validationSize = validation != null ? validation : DEFAULT_VALIDATION;
    long start = System.nanoTime();
    ImageDataset dataset = ImageDatasets.load(datasetName, common.dataDir("classify"));
    LabeledImages train = dataset.train();
    List<Example<ClassTarget>> scored = dataset.test().toExamples();
    if (onValidation) {
      if (validationSize < dataset.numClasses() || validationSize + labels >= train.size()) {
        throw new IllegalArgumentException(
            "classify: --validation must leave room for --labels in the "
                + train.size()
                + " training images: "
                + validationSize);
      }
      LabeledImages all = train;
      ValidationHoldOut heldOut =
          OptionErrors.about(
              "classify",
              "--validation " + validationSize,
              () -> ValidationHoldOut.of(all, validationSize));
      scored = heldOut.validation();
      train = heldOut.rest();
    }
    SemiSupervisedSplit split = common.split("classify", train);
    System.err.printf(
        Locale.ROOT,
        "%s: %d labeled, %d unlabeled (labels dropped), %d %s images; seed %d, %d threads%n",
        dataset.name(),
        split.labeled().size(),
        split.unlabeled().size(),
        scored.size(),
        onValidation ? "validation (held out of the training set)" : "test",
        seed,
        threads);

    Student<ClassTarget> teacher = common.teacherModel("classify");
    Student<ClassTarget> student =
        ConvNets.student(
            OptionErrors.about(
                "classify",
                STUDENT_NETWORK_OPTIONS,
                () ->
                    ConvNetConfig.builder()
                        .width(width)
                        .hidden(hidden != null ? hidden : ConvNetConfig.DEFAULT_HIDDEN)
                        .dropout(dropout)
                        .stochasticDepth(stochasticDepth)
                        .channelsLast(common.channelsLast)
                        .build()));
    boolean flip = common.flips();
    var augment =
        Augmenters.flipCrop(
            OptionErrors.about(
                "classify",
                Map.of("padding", "--padding", "cutout", "--cutout"),
                () ->
                    FlipCropConfig.builder()
                        .padding(common.padding)
                        .horizontalFlip(flip)
                        .cutout(cutout)
                        .build()));
    PseudoLabelConfig pseudoConfig =
        OptionErrors.about(
            "classify",
            Map.of("temperature", "--temperature", "minConfidence", "--min-confidence"),
            () ->
                (pseudo.equals("hard") ? PseudoLabelConfig.hard() : softChecked(pseudo))
                    .withTemperature(temperature)
                    .withMinConfidence(minConfidence)
                    .withPerClass(balance(balance)));
    TrainingSchedule teacherSchedule = common.teacherSchedule("classify", split.labeled().size());
    // A SavedModel teacher gets its own folder, so that it never replaces a trained teacher's
    // stages.
    Path workDir =
        common.workDir(
            "classify",
            datasetName
                + "-"
                + labels
                + "-s"
                + seed
                + (savedModel != null ? "-savedmodel" : "")
                + (onValidation ? "-val" + validationSize : "")
                + (streamPool ? "-streamed" + (poolRepeat > 1 ? "x" + poolRepeat : "") : ""));
    List<Image> pool =
        streamPool
            ? StreamedPoolFile.write(workDir, split.unlabeled(), poolRepeat)
            : split.unlabeled();
    TrainingSchedule studentSchedule =
        common.studentSchedule(
            "classify",
            epochs != null
                ? epochs
                : ClassificationRecipe.studentEpochs(
                    split.labeled().size(), Math.max(1, pool.size())),
            lr);
    List<Example<ClassTarget>> scoredImages = scored;
    ClassificationRun.Builder builder =
        OptionErrors.about(
            "classify",
            RUN_OPTIONS,
            () ->
                SelfTraining.classification()
                    .labeled(split.labeled().toExamples())
                    .unlabeled(pool)
                    .shardSize(shardSize)
                    .skipUnreadableImages(skipUnreadable)
                    .validation(scoredImages)
                    .student(student)
                    .studentInit(initialization(studentInit))
                    .pseudoLabels(pseudoConfig)
                    .lossNormalization(LossNormalization.parse(loss))
                    .pseudoRatio(ratio)
                    .pseudoMixup(pseudoMixup)
                    .pseudoCutMix(pseudoCutMix)
                    .pseudoModelNoise(pseudoModelNoise)
                    .teacherSchedule(teacherSchedule)
                    .studentSchedule(studentSchedule)
                    .rounds(rounds)
                    .seed(seed)
                    .control(baseline)
                    .teacherFlipAveraging(teacherFlipAverage && flip)
                    .workDir(workDir)
                    .addListener(Progress.listener()));
    if (!policy.equals("flipcrop")) {
      try {
        builder.augment(io.selftrain.augment.AugmentPolicy.valueOf(policy));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "classify: --policy must be one of [flipcrop, S1, S2, S3, S4]: " + policy, e);
      }
    }
    if (!pseudoNoise.equals("none")) {
      if (!policy.equals("flipcrop")) {
        throw new IllegalArgumentException(
            "classify: --pseudo-noise adds to flip + crop; drop --policy " + policy);
      }
      builder.augment(
          Augmenters.byOrigin(
              augment,
              Augmenters.sequence(
                  randAugment(pseudoNoise, split.labeled().image(0).height()), augment)));
    } else if (policy.equals("flipcrop")) {
      builder.augment(augment);
    }
    builder.teacherAugment(common.teacherAugment());
    SelfTrainingResult result;
    if (teacherOnly && savedModel != null) {
      throw new IllegalArgumentException(
          "classify: --teacher-only trains a teacher; --teacher-savedmodel gives one");
    }
    if (savedModel == null) {
      builder
          .teacher(teacher)
          .teacherInit(initialization(teacherInit != null ? teacherInit : "random"));
      if (teacherOnly) {
        try (ClassificationRun run = builder.build()) {
          run.fitFirstTeacher();
          System.err.println(
              "teacher trained; labeling plan in "
                  + run.workDir().resolve("round-1/labeling.json").toAbsolutePath());
        }
        return 0;
      }
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
    json.addProperty("evaluatedOn", eval);
    json.addProperty("scored", scored.size());
    json.add("baseline", json.get("control"));
    json.addProperty("wallSeconds", wall);
    if (out != null) {
      Path parent = out.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, ".result", ".json");
      Files.writeString(tmp, ResultJson.toText(json), StandardCharsets.UTF_8);
      Files.move(
          tmp,
          out,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    System.out.print(table(datasetName, split, result, wall));
    return 0;
  }

  private SelfTrainingResult fit(ClassificationRun.Builder builder) throws IOException {
    try (ClassificationRun run = builder.build()) {
      System.err.println("work directory: " + run.workDir().toAbsolutePath());
      SelfTrainingResult result = run.fit();
      if (out != null) {
        ReportBesideResult.copy(run.workDir(), out);
      }
      return result;
    }
  }

  /**
   * {@code randaugment:N:M}: RandAugment with N ops at magnitude M (TF's 0..10 scale, pixel
   * constants scaled to the image side as {@code Augmenters.policy} scales them), for pseudo
   * examples only.
   */
  static io.selftrain.Augmenter<ClassTarget> randAugment(String spec, int imageSide) {
    String[] parts = spec.split(":");
    String expected =
        "classify: --pseudo-noise must be none or randaugment:N:M[:OP,OP...] (ops to leave out): ";
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
                        .scaledBy(
                            (double) imageSide
                                / io.selftrain.augment.Task.CLASSIFICATION.referenceSize()));
        List<io.selftrain.augment.AugmentOp> all = builder.build().ops();
        if (parts.length == 4) {
          List<io.selftrain.augment.AugmentOp> left = new java.util.ArrayList<>(all);
          for (String name : parts[3].split(",")) {
            if (!left.removeIf(o -> o.name().equalsIgnoreCase(name))) {
              throw new IllegalArgumentException(
                  expected + spec + " (" + name + " is not one of " + all + ")");
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

  /** {@code random}, {@code run:DIR} (an earlier run's last student) or a parameter file. */
  static Initialization initialization(String value) {
    if (value.equals("random")) {
      return Initialization.random();
    }
    if (value.startsWith("run:")) {
      return Initialization.previousRun(Path.of(value.substring(4)));
    }
    return Initialization.checkpoint(Path.of(value));
  }

  SavedModelConfig savedModelConfig(Path dir) {
    var config =
        SavedModelConfig.builder()
            .modelDir(dir)
            .signature(teacherSignature)
            .tags(List.of(teacherTags.split(",")))
            .layout(choice("teacher-layout", teacherLayout, SavedModelConfig.Layout.class))
            .valueRange(choice("teacher-range", teacherRange, SavedModelConfig.ValueRange.class))
            .scores(choice("teacher-scores", teacherScores, SavedModelConfig.Scores.class));
    if (teacherInput != null) {
      config.input(teacherInput);
    }
    if (teacherOutput != null) {
      config.output(teacherOutput);
    }
    return config.build();
  }

  private static <E extends Enum<E>> E choice(String option, String value, Class<E> type) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> names =
          java.util.Arrays.stream(type.getEnumConstants())
              .map(c -> c.name().toLowerCase(Locale.ROOT))
              .toList();
      throw new IllegalArgumentException(
          "classify: --" + option + " must be one of " + names + ": " + value, e);
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
        throw new IllegalArgumentException(
            "classify: --balance must be auto or a non-negative integer: " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "classify: --balance must be auto or a non-negative integer: " + value, e);
    }
  }

  static String table(
      String dataset, SemiSupervisedSplit split, SelfTrainingResult result, double wall) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "%nNoisy Student on %s: %d labels, %d unlabeled, seed %d%n",
            dataset,
            split.labeled().size(),
            split.unlabeled().size(),
            result.seed()));
    s.append("| round | teacher top-1 | student top-1 | gain | pseudo kept | mean confidence |\n");
    s.append("|------:|--------------:|--------------:|-----:|------------:|----------------:|\n");
    for (RoundResult r : result.rounds()) {
      s.append(
          String.format(
              Locale.ROOT,
              "| %5d | %12.2f%% | %12.2f%% | %+5.2f | %11d | %15.3f |%n",
              r.round(),
              100 * r.teacherTop1(),
              100 * r.studentTop1(),
              100 * (r.studentTop1() - r.teacherTop1()),
              r.pseudo().kept(),
              r.pseudo().meanConfidence()));
    }
    s.append(
        String.format(
            Locale.ROOT,
            "%nfirst teacher %.2f%%, final student %.2f%% (%+.2f points)%n",
            100 * result.firstTeacherTop1(),
            100 * result.finalStudentTop1(),
            100 * (result.finalStudentTop1() - result.firstTeacherTop1())));
    if (result.controlTop1().isPresent()) {
      double c = result.controlTop1().getAsDouble();
      s.append(
          String.format(
              Locale.ROOT,
              "supervised control (student recipe, labeled only) %.2f%%: student %+.2f points%n",
              100 * c,
              100 * (result.finalStudentTop1() - c)));
    }
    s.append(String.format(Locale.ROOT, "wall time %.0f s%n", wall));
    return s.toString();
  }
}
