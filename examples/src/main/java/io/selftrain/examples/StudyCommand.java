package io.selftrain.examples;

import io.selftrain.BoxesTarget;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.Origin;
import io.selftrain.Target;
import io.selftrain.augment.AugmentPolicy;
import io.selftrain.core.Engines;
import io.selftrain.core.JointTraining;
import io.selftrain.core.RunBuilder;
import io.selftrain.core.SelfTraining;
import io.selftrain.core.Study;
import io.selftrain.core.StudyInit;
import io.selftrain.core.StudyMethod;
import io.selftrain.core.StudyResult;
import io.selftrain.core.TrainingSchedule;
import io.selftrain.core.data.CocoDataset;
import io.selftrain.core.data.ImageDataset;
import io.selftrain.core.data.LabeledImages;
import io.selftrain.core.data.MaskDataset;
import io.selftrain.core.eval.CocoGroundTruth;
import io.selftrain.core.label.BoxPseudoLabelConfig;
import io.selftrain.core.label.MaskPseudoLabelConfig;
import io.selftrain.core.loss.LossNormalization;
import io.selftrain.models.EfficientNet;
import io.selftrain.models.EfficientNetConfig;
import io.selftrain.models.detection.NasFpnConfig;
import io.selftrain.models.detection.RetinaNet;
import io.selftrain.models.detection.RetinaNetConfig;
import io.selftrain.models.segmentation.Segmentation;
import io.selftrain.models.segmentation.SegmentationConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code study}: Zoph et al. 2020's question on the detection benchmark as one command: random vs
 * pre-trained initialisation, Augment-S1..S4, fractions of the labels, and supervised training,
 * self-training, joint training and joint + self-training, each cell an ordinary resumable run
 * ({@link Study}). The auxiliary dataset ("the ImageNet of this world") is Fashion-MNIST's first
 * 50,000 training images as plain 10-class classification, padded to 32 x 32 and repeated over the
 * three colour channels; the pre-trained initialisation is an EfficientNet-tiny64 classifier
 * trained on it, whose features are the detector's backbone.
 *
 * <p>The default grid (random and pre-trained init, S1 and S4, 50% and 100% of the 500 labeled
 * scenes, all four methods, seed 0) took 75 minutes on a 2-core machine (README, "Measured"): one
 * round, a pool of 1,500 scenes, batches of 16, the teacher 30 epochs over the 500 labeled scenes
 * (960 steps; 60 epochs on 50% of them, the same steps), students and controls as many steps
 * whatever the number of pseudo-labeled scenes (a schedule in steps, {@link
 * io.selftrain.core.TrainingSchedule#steps()}: a weak S4 teacher that keeps few pseudo labels no
 * longer shortens its student and control), each student step 16 labeled scenes, as many as its
 * control's, plus 16 pseudo-labeled ones (Noisy Student's layout, {@code --pseudo-on-top}), human
 * and pseudo losses summed, every first teacher trained under Augment-S1 ({@code --teacher-policy};
 * all three better than the alternatives on the validation scenes). {@code --full} runs S1..S4,
 * 20/50/100% and seeds 0 and 1.
 */
@Command(
    name = "study",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description =
        "pre-training vs self-training vs joint training on the detection benchmark: a grid of runs,"
            + " study.json, a paper-style table and report.html",
    footer = {
      "",
      "Split a study across processes or machines with --shard I/N (same --dir, or copy the",
      "shards/ folders together), then join the shard files with --merge."
    })
final class StudyCommand implements Callable<Integer> {
  private static final String NAME = "study";

  /**
   * Fashion-MNIST training images the auxiliary dataset takes (the scenes' garments come from the
   * same range).
   */
  static final int AUXILIARY_IMAGES = 50_000;

  /** The auxiliary images' side: Fashion-MNIST's 28 padded by 2 on each side. */
  static final int AUXILIARY_SIDE = 32;

  @Option(
      names = "--task",
      paramLabel = "detection|segmentation",
      defaultValue = "detection",
      description = "the task whose benchmark the study runs on [${DEFAULT-VALUE}]")
  String task;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description =
          "the study's folder: runs/, pretrained/, study.json, report.html [runs/study-TASK]")
  Path dir;

  @Option(
      names = "--inits",
      paramLabel = "LIST",
      defaultValue = "random,pretrained",
      description = "initialisations: random, pretrained, checkpoint:FILE [${DEFAULT-VALUE}]")
  String inits;

  @Option(
      names = "--policies",
      paramLabel = "LIST",
      defaultValue = "S1,S4",
      description = "augmentation policies, of S1..S4 [${DEFAULT-VALUE}]")
  String policies;

  @Option(
      names = "--fractions",
      paramLabel = "LIST",
      defaultValue = "0.5,1.0",
      description = "fractions of the labeled scenes, each in (0, 1] [${DEFAULT-VALUE}]")
  String fractions;

  @Option(
      names = "--methods",
      paramLabel = "LIST",
      defaultValue = "supervised,self-training,joint-training,joint-and-self-training",
      description = "methods [${DEFAULT-VALUE}]")
  String methods;

  @Option(
      names = "--seeds",
      paramLabel = "LIST",
      defaultValue = "0",
      description = "run seeds [${DEFAULT-VALUE}]")
  String seeds;

  @Option(
      names = "--full",
      description = "the full grid: S1,S2,S3,S4 x 0.2,0.5,1.0 x seeds 0,1 (other axes as given)")
  boolean full;

  @Option(
      names = "--shard",
      paramLabel = "I/N",
      description = "run only shard I of N (from 0) and write shards/shard-I-of-N.json")
  String shard;

  @Option(names = "--merge", description = "join the shard files in --dir; trains nothing")
  boolean merge;

  @Option(
      names = "--labels",
      paramLabel = "N",
      defaultValue = "500",
      description = "labeled scenes (100%%) [${DEFAULT-VALUE}]")
  int labels;

  @Option(
      names = "--unlabeled",
      paramLabel = "M",
      defaultValue = "1500",
      description = "unlabeled scenes [${DEFAULT-VALUE}]")
  int unlabeled;

  @Option(
      names = "--validation",
      paramLabel = "N",
      defaultValue = "500",
      description = "validation scenes (from garments no other set uses) [${DEFAULT-VALUE}]")
  int validation;

  @Option(
      names = "--test",
      paramLabel = "N",
      defaultValue = "1000",
      description = "test scenes (Fashion-MNIST's test garments only) [${DEFAULT-VALUE}]")
  int test;

  @Option(
      names = "--eval",
      paramLabel = "test|validation",
      defaultValue = "test",
      description = "scored scenes: the test or the validation scenes [${DEFAULT-VALUE}]")
  String eval;

  @Option(
      names = "--teacher-epochs",
      paramLabel = "E",
      defaultValue = "30",
      description =
          "teacher epochs over all labeled scenes (a fraction f trains 1/f as many: the same steps)"
              + " [${DEFAULT-VALUE}]")
  int teacherEpochs;

  @Option(
      names = "--epochs",
      paramLabel = "E",
      defaultValue = "7",
      description =
          "parts of the students' and controls' --steps (each scored for pre-training's"
              + " speed-up); with --steps 0, passes over the pseudo-labeled scenes"
              + " [${DEFAULT-VALUE}]")
  int epochs;

  @Option(
      names = "--steps",
      paramLabel = "N",
      description =
          "student (and control) optimizer steps, whatever the pseudo labels' count; 0 ="
              + " --epochs passes over the pseudo-labeled scenes [as many as the teacher:"
              + " --teacher-epochs x ceil(--labels / --batch)]")
  Integer steps;

  @Option(
      names = "--loss",
      paramLabel = "paper|sum|batch-ratio[:alpha]",
      defaultValue = "sum",
      description =
          "loss normalization of human and pseudo losses; sum beat the paper's rule on the"
              + " validation scenes [${DEFAULT-VALUE}]")
  String loss;

  @Mixin PseudoBoxOptions pseudoRules = new PseudoBoxOptions();

  @Option(
      names = "--mask-threshold",
      paramLabel = "P",
      defaultValue = "0.5",
      description =
          "segmentation: lowest teacher probability of a pseudo-labeled pixel (the paper's)"
              + " [${DEFAULT-VALUE}]")
  double maskThreshold;

  @Option(
      names = "--batch",
      paramLabel = "B",
      defaultValue = "16",
      description =
          "human images per step; students take as many pseudo images on top (with"
              + " --no-pseudo-on-top, half human and half pseudo) [${DEFAULT-VALUE}]")
  int batch;

  @Option(
      names = "--pseudo-on-top",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Noisy Student's batch layout: students take --batch human scenes per step, as many"
              + " as their controls, plus as many pseudo-labeled ones; it beat --batch split"
              + " between them on the validation scenes [${DEFAULT-VALUE}]")
  boolean pseudoOnTop;

  @Option(
      names = "--teacher-policy",
      paramLabel = "S1..S4|same",
      defaultValue = "S1",
      description =
          "the first teachers' augmentation: one policy for every cell (cells that differ only"
              + " in their policy then share a teacher and its pseudo labels; S1 gave the S4"
              + " students better pseudo boxes on the validation scenes), or same: each"
              + " cell's own [${DEFAULT-VALUE}]")
  String teacherPolicy;

  @Option(
      names = "--pretrain-epochs",
      paramLabel = "E",
      defaultValue = "2",
      description =
          "epochs of the pre-trained classifier over the auxiliary images [${DEFAULT-VALUE}]")
  int pretrainEpochs;

  @Option(
      names = "--aux-weight",
      paramLabel = "W",
      defaultValue = "1.0",
      description = "joint training's auxiliary loss weight [${DEFAULT-VALUE}]")
  double auxWeight;

  @Option(
      names = "--aux-batch",
      paramLabel = "B",
      defaultValue = "16",
      description = "auxiliary images per joint-training step [${DEFAULT-VALUE}]")
  int auxBatch;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "PyTorch threads [available processors]")
  Integer threads;

  @Mixin BackboneLayoutOption layout = new BackboneLayoutOption();

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "folder holding Fashion-MNIST's idx files [standard locations]")
  Path dataDir;

  StudyCommand() {}

  /** Parses {@code args} and runs; errors come back as exceptions (for tests and callers). */
  static void run(List<String> args) throws IOException {
    StudyCommand command = new StudyCommand();
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    command.call();
  }

  @Override
  public Integer call() throws IOException {
    if (!task.equals("detection") && !task.equals("segmentation")) {
      throw new IllegalArgumentException(
          "study: --task must be detection or segmentation (a classification student has no"
              + " backbone to pre-train or to share with an auxiliary head; compare its recipes"
              + " with sweep): "
              + task);
    }
    Path folder =
        CliPaths.folderOrAbsent(
            NAME, "--dir", dir != null ? dir : Path.of("runs", "study-" + task));
    if (merge) {
      StudyResult merged = Study.merge(folder);
      System.err.println("study: merged into " + folder.resolve(Study.FILE));
      System.out.print(merged.table());
      return 0;
    }
    SceneOptions.positive(NAME, "--labels", labels);
    SceneOptions.positive(NAME, "--unlabeled", unlabeled);
    SceneOptions.positive(NAME, "--validation", validation);
    SceneOptions.positive(NAME, "--test", test);
    SceneOptions.positive(NAME, "--teacher-epochs", teacherEpochs);
    SceneOptions.positive(NAME, "--epochs", epochs);
    SceneOptions.positive(NAME, "--pretrain-epochs", pretrainEpochs);
    SceneOptions.positive(NAME, "--aux-batch", auxBatch);
    if (steps != null && steps < 0) {
      throw new IllegalArgumentException("study: --steps must be 0 (epochs) or positive: " + steps);
    }
    int studentSteps = steps != null ? steps : teacherEpochs * ((labels + batch - 1) / batch);
    LossNormalization normalization;
    try {
      normalization = LossNormalization.parse(loss);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "study: --loss " + e.getMessage().replaceFirst("^lossNormalization ", ""), e);
    }
    if (batch < 2) {
      throw new IllegalArgumentException("study: --batch must be at least 2: " + batch);
    }
    if (!(auxWeight > 0 && Double.isFinite(auxWeight))) {
      throw new IllegalArgumentException("study: --aux-weight must be positive: " + auxWeight);
    }
    if (!eval.equals("test") && !eval.equals("validation")) {
      throw new IllegalArgumentException("study: --eval must be test or validation: " + eval);
    }
    BoxPseudoLabelConfig pseudoBoxes = pseudoRules.config(NAME);
    int[] shardOf = shard();
    List<StudyInit> initList = inits();
    List<AugmentPolicy> policyList = full ? List.of(AugmentPolicy.values()) : policies();
    Optional<AugmentPolicy> teacherAugment = teacherPolicy();
    double[] fractionList = full ? new double[] {0.2, 0.5, 1.0} : fractions();
    long[] seedList = full ? new long[] {0, 1} : seeds();
    StudyMethod[] methodList = methods();
    MaskPseudoLabelConfig pseudoMasks = pseudoMasks();
    SceneOptions scenes = new SceneOptions();
    scenes.dataDir = dataDir;
    scenes.threads = threads;
    int threadCount = scenes.threads(NAME);
    Engines.configure(threadCount);

    var fashion = scenes.fashion(NAME);
    List<Example<ClassTarget>> auxiliary = auxiliary(fashion.train());
    TrainingSchedule teacherSchedule =
        TrainingSchedule.builder()
            .epochs(teacherEpochs)
            .batchSize(batch)
            .learningRate(2e-3f)
            .build();
    Path sceneDir = folder.resolve("scenes");
    Recipe recipe =
        new Recipe(
            teacherSchedule,
            teacherAugment,
            studentSchedule(studentSteps),
            normalization,
            pseudoOnTop);
    TaskStudy study =
        task.equals("detection")
            ? detectionStudy(sceneDir, fashion, auxiliary.size(), threadCount, recipe, pseudoBoxes)
            : segmentationStudy(
                sceneDir, fashion, auxiliary.size(), threadCount, recipe, pseudoMasks);
    Study.Builder<?> builder = study.builder();
    EfficientNetConfig backbone = study.backbone();
    EfficientNetConfig classifier =
        backbone
            .withStochasticDepth(0f)
            .withNumClasses(fashion.numClasses())
            .withResolution(AUXILIARY_SIDE)
            .withName("efficientnet-tiny64-aux" + AUXILIARY_SIDE);
    builder
        .inits(initList.toArray(StudyInit[]::new))
        .policies(policyList.toArray(AugmentPolicy[]::new))
        .labelFractions(fractionList)
        .methods(methodList)
        .seeds(seedList)
        .auxiliary(
            JointTraining.builder()
                .addAllAuxiliary(auxiliary)
                .numClasses(fashion.numClasses())
                .weight(auxWeight)
                .batchSize(auxBatch)
                .build())
        .pretraining(
            EfficientNet.student(classifier),
            TrainingSchedule.builder()
                .epochs(pretrainEpochs)
                .batchSize(128)
                .learningRate(2e-3f)
                .build())
        .dir(folder)
        .progress(System.err::println)
        .addListener(Progress.listener());
    if (shardOf != null) {
      builder.shard(shardOf[0], shardOf[1]);
    }
    long start = System.nanoTime();
    StudyResult result = builder.build().run();
    System.err.printf(
        Locale.ROOT,
        "study: %d cells in %.0f s%n",
        result.cells().size(),
        (System.nanoTime() - start) / 1e9);
    if (shardOf == null) {
      System.err.println(
          "study: wrote " + folder.resolve(Study.FILE) + " and " + folder.resolve(Study.REPORT));
    }
    System.out.print(result.table());
    return 0;
  }

  /** The settings every task's runs share: schedules, loss normalization, one round. */
  private record Recipe(
      TrainingSchedule teacher,
      Optional<AugmentPolicy> teacherPolicy,
      TrainingSchedule student,
      LossNormalization normalization,
      boolean pseudoOnTop) {
    <T extends Target, B extends RunBuilder<T, B>> B applyTo(B run) {
      teacherPolicy.ifPresent(run::teacherAugment);
      return run.lossNormalization(normalization)
          .pseudoRatio(1)
          .pseudoOnTop(pseudoOnTop)
          .teacherSchedule(teacher)
          .studentSchedule(student)
          .rounds(1);
    }
  }

  /** A task's study before the grid's settings, and the backbone pre-training initialises. */
  private record TaskStudy(Study.Builder<?> builder, EfficientNetConfig backbone) {}

  private TaskStudy detectionStudy(
      Path sceneDir,
      ImageDataset fashion,
      int auxiliaryCount,
      int threadCount,
      Recipe recipe,
      BoxPseudoLabelConfig pseudoBoxes)
      throws IOException {
    int[] sizes = {labels, unlabeled, validation, test};
    BenchmarkScenes.DetectionSets sets = BenchmarkScenes.detection(sceneDir, fashion, sizes, 0);
    CocoDataset scored = eval.equals("test") ? sets.test() : sets.validation();
    CocoGroundTruth truth =
        CocoGroundTruth.load(eval.equals("test") ? sets.testJson() : sets.validationJson());
    List<Example<BoxesTarget>> labeled = sets.labeled().examples();
    RetinaNetConfig detector =
        DetectCommand.withStochasticDepth(
            RetinaNet.tiny64()
                .withBackbone(layout.apply(RetinaNet.tiny64().backbone()))
                .withNumClasses(sets.labeled().classNames().size())
                .withInputSize(labeled.get(0).image().height())
                .withFpnChannels(64)
                .withHeadWidth(64),
            0.2f);
    printSizes(labeled.size(), sets.unlabeled().size(), scored.size(), auxiliaryCount, threadCount);
    Study.Builder<BoxesTarget> builder =
        SelfTraining.study(
            () ->
                recipe
                    .applyTo(SelfTraining.detection())
                    .labeled(labeled)
                    .unlabeled(sets.unlabeledImages())
                    .unlabeledTruth(sets.unlabeledTruth())
                    .validation(scored, truth)
                    .teacher(RetinaNet.student(detector))
                    .student(RetinaNet.student(detector))
                    .pseudoBoxes(pseudoBoxes));
    return new TaskStudy(builder, detector.backbone());
  }

  private TaskStudy segmentationStudy(
      Path sceneDir,
      ImageDataset fashion,
      int auxiliaryCount,
      int threadCount,
      Recipe recipe,
      MaskPseudoLabelConfig pseudoMasks)
      throws IOException {
    int[] sizes = {labels, unlabeled, validation, test};
    BenchmarkScenes.SegmentationSets sets =
        BenchmarkScenes.segmentation(sceneDir, fashion, sizes, 0);
    MaskDataset scored = eval.equals("test") ? sets.test() : sets.validation();
    List<Example<MaskTarget>> labeled = sets.labeled().examples();
    SegmentationConfig segmenter =
        SegmentCommand.withStochasticDepth(
            Segmentation.tiny64()
                .withBackbone(layout.apply(Segmentation.tiny64().backbone()))
                .withNumClasses(sets.labeled().numClasses())
                .withInputSize(labeled.get(0).image().height())
                .withNasFpn(
                    NasFpnConfig.builder()
                        .channels(SegmentCommand.Recipe.FPN_CHANNELS)
                        .numRepeats(SegmentCommand.Recipe.FPN_CELLS)
                        .build()),
            0.2f);
    printSizes(labeled.size(), sets.unlabeled().size(), scored.size(), auxiliaryCount, threadCount);
    Study.Builder<MaskTarget> builder =
        SelfTraining.study(
            () ->
                recipe
                    .applyTo(SelfTraining.segmentation())
                    .labeled(labeled)
                    .unlabeled(sets.unlabeledImages())
                    .unlabeledTruth(sets.unlabeledTruth())
                    .validation(scored)
                    .teacher(Segmentation.student(segmenter))
                    .student(Segmentation.student(segmenter))
                    .pseudoMasks(pseudoMasks)
                    .pseudoPriorCorrection(SegmentCommand.Recipe.PRIOR_CORRECTION));
    return new TaskStudy(builder, segmenter.backbone());
  }

  private void printSizes(int labeled, int pool, int scored, int auxiliary, int threadCount) {
    System.err.printf(
        Locale.ROOT,
        "study: %s, %d labeled, %d unlabeled, %d %s scenes; %d auxiliary images; %d threads%n",
        task,
        labeled,
        pool,
        scored,
        eval,
        auxiliary,
        threadCount);
  }

  /** The pseudo-mask rule of a segmentation study, checked here so that errors name the option. */
  private MaskPseudoLabelConfig pseudoMasks() {
    if (!(maskThreshold > 0 && maskThreshold <= 1)) {
      throw new IllegalArgumentException(
          "study: --mask-threshold must be in (0, 1]: " + maskThreshold);
    }
    return MaskPseudoLabelConfig.paper().withThreshold(maskThreshold);
  }

  /** The students' and controls' schedule: {@code steps} steps in --epochs parts, or epochs. */
  private TrainingSchedule studentSchedule(int steps) {
    TrainingSchedule schedule =
        TrainingSchedule.builder().epochs(epochs).batchSize(batch).learningRate(2e-3f).build();
    return steps > 0 ? schedule.withSteps(Math.max(steps, epochs)) : schedule;
  }

  /**
   * Fashion-MNIST's first {@value #AUXILIARY_IMAGES} training images as RGB {@value
   * #AUXILIARY_SIDE} x {@value #AUXILIARY_SIDE} classification examples: each grey 28 x 28 image
   * padded with black by 2 pixels on every side, its value repeated over the three channels.
   */
  static List<Example<ClassTarget>> auxiliary(LabeledImages train) {
    int n = Math.min(AUXILIARY_IMAGES, train.size());
    List<Example<ClassTarget>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Image grey = train.image(i);
      int pad = (AUXILIARY_SIDE - grey.height()) / 2;
      byte[] rgb = new byte[AUXILIARY_SIDE * AUXILIARY_SIDE * 3];
      for (int y = 0; y < grey.height(); y++) {
        for (int x = 0; x < grey.width(); x++) {
          byte v = (byte) grey.get(y, x, 0);
          int at = ((y + pad) * AUXILIARY_SIDE + x + pad) * 3;
          rgb[at] = v;
          rgb[at + 1] = v;
          rgb[at + 2] = v;
        }
      }
      out.add(
          new Example<>(
              Image.of(AUXILIARY_SIDE, AUXILIARY_SIDE, 3, rgb),
              ClassTarget.index(train.label(i), train.numClasses()),
              Origin.HUMAN));
    }
    return out;
  }

  private int[] shard() {
    if (shard == null) {
      return null;
    }
    String[] parts = shard.split("/");
    try {
      if (parts.length == 2) {
        int index = Integer.parseInt(parts[0].trim());
        int count = Integer.parseInt(parts[1].trim());
        if (count >= 1 && index >= 0 && index < count) {
          return new int[] {index, count};
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "study: --shard must be I/N with 0 <= I < N, for instance 0/2: " + shard);
  }

  private List<StudyInit> inits() {
    List<StudyInit> out = new ArrayList<>();
    for (String value : list("--inits", inits)) {
      if (value.equals("random")) {
        out.add(StudyInit.random());
      } else if (value.equals("pretrained")) {
        out.add(StudyInit.pretrained());
      } else if (value.startsWith("checkpoint:")) {
        Path file =
            CliPaths.existingFile(
                NAME, "--inits", Path.of(value.substring("checkpoint:".length())));
        out.add(StudyInit.checkpoint(file));
      } else {
        throw new IllegalArgumentException(
            "study: --inits takes random, pretrained and checkpoint:FILE: " + value);
      }
    }
    return out;
  }

  private Optional<AugmentPolicy> teacherPolicy() {
    if (teacherPolicy.equals("same")) {
      return Optional.empty();
    }
    try {
      return Optional.of(AugmentPolicy.valueOf(teacherPolicy));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "study: --teacher-policy takes S1, S2, S3, S4 or same: " + teacherPolicy, e);
    }
  }

  private List<AugmentPolicy> policies() {
    List<AugmentPolicy> out = new ArrayList<>();
    for (String value : list("--policies", policies)) {
      try {
        out.add(AugmentPolicy.valueOf(value));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "study: --policies takes S1, S2, S3 and S4: " + value, e);
      }
    }
    return out;
  }

  private double[] fractions() {
    return parsed(
            "--fractions",
            fractions,
            "numbers in (0, 1]",
            Double::parseDouble,
            f -> f > 0 && f <= 1)
        .stream()
        .mapToDouble(Double::doubleValue)
        .toArray();
  }

  private long[] seeds() {
    return parsed("--seeds", seeds, "integers", Long::parseLong, s -> true).stream()
        .mapToLong(Long::longValue)
        .toArray();
  }

  /** A comma-separated option's values, each parsed and checked; errors name the bad one. */
  private static <V> List<V> parsed(
      String option,
      String value,
      String what,
      java.util.function.Function<String, V> parse,
      java.util.function.Predicate<V> valid) {
    List<V> out = new ArrayList<>();
    for (String item : list(option, value)) {
      V v;
      try {
        v = parse.apply(item);
      } catch (NumberFormatException e) {
        v = null;
      }
      if (v == null || !valid.test(v)) {
        throw new IllegalArgumentException("study: " + option + " must be " + what + ": " + item);
      }
      out.add(v);
    }
    return out;
  }

  private StudyMethod[] methods() {
    List<StudyMethod> out = new ArrayList<>();
    for (String value : list("--methods", methods)) {
      StudyMethod found =
          Arrays.stream(StudyMethod.values())
              .filter(m -> m.label().equals(value))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "study: --methods takes "
                              + Arrays.stream(StudyMethod.values()).map(StudyMethod::label).toList()
                              + ": "
                              + value));
      out.add(found);
    }
    return out.toArray(StudyMethod[]::new);
  }

  private static List<String> list(String option, String value) {
    List<String> out =
        Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (out.isEmpty()) {
      throw new IllegalArgumentException("study: " + option + " must not be empty: " + value);
    }
    if (out.stream().distinct().count() != out.size()) {
      throw new IllegalArgumentException("study: " + option + " repeats a value: " + value);
    }
    return out;
  }
}
