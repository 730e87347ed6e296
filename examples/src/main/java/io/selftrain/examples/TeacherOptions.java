package io.selftrain.examples;

import io.selftrain.Augmenter;
import io.selftrain.ClassTarget;
import io.selftrain.Student;
import io.selftrain.augment.Augmenters;
import io.selftrain.augment.FlipCropConfig;
import io.selftrain.core.ClassificationRecipe;
import io.selftrain.core.TrainingSchedule;
import io.selftrain.core.data.LabeledImages;
import io.selftrain.core.data.SemiSupervisedSplit;
import io.selftrain.models.ConvNetConfig;
import io.selftrain.models.ConvNets;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The data and first-teacher options that {@code classify} and {@code export-teacher} share, so
 * that export-teacher trains (or reuses, through the same work directory) exactly classify's first
 * teacher.
 */
final class TeacherOptions {
  @Option(
      names = "--dataset",
      paramLabel = "NAME",
      defaultValue = "fashion-mnist",
      description = "fashion-mnist or mnist [${DEFAULT-VALUE}]")
  String dataset;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "folder with the data (default: standard locations, then a cache)")
  Path dataDir;

  @Option(
      names = "--labels",
      paramLabel = "N",
      defaultValue = "1000",
      description = "labeled examples, class-stratified [${DEFAULT-VALUE}]")
  int labels;

  @Option(
      names = "--unlabeled",
      paramLabel = "M",
      defaultValue = "0",
      description = "cap on the unlabeled pool, 0 = every other training image [${DEFAULT-VALUE}]")
  int unlabeled;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "0",
      description = "[${DEFAULT-VALUE}]")
  long seed;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "PyTorch threads [available processors]")
  Integer threads;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "stage outputs; an unfinished run there is resumed [runs/<dataset>-<labels>-s<seed>]")
  Path workDir;

  @Option(
      names = "--teacher-epochs",
      paramLabel = "E",
      description =
          "first teacher's epochs over the labeled data [the recipe's: 100, more for a teacher"
              + " that would take under 1600 steps]")
  Integer teacherEpochs;

  @Option(
      names = "--teacher-width",
      paramLabel = "W",
      defaultValue = "32",
      description = "[${DEFAULT-VALUE}]")
  int teacherWidth;

  @Option(
      names = "--channels-last",
      description =
          "lay the ConvNets' activations out channels-last in memory: the same values up to the"
              + " order of a convolution's sums, faster on the CPU [off]")
  boolean channelsLast;

  @Option(
      names = "--teacher-dropout",
      paramLabel = "P",
      defaultValue = "0.3",
      description = "[${DEFAULT-VALUE}]")
  float teacherDropout;

  @Option(
      names = "--teacher-lr",
      paramLabel = "LR",
      defaultValue = "0.002",
      description = "[${DEFAULT-VALUE}]")
  float teacherLr;

  @Option(
      names = "--batch",
      paramLabel = "B",
      defaultValue = "128",
      description = "batch size; the first teacher uses at most 64 [${DEFAULT-VALUE}]")
  int batch;

  @Option(
      names = "--weight-decay",
      paramLabel = "WD",
      defaultValue = "0.0001",
      description = "[${DEFAULT-VALUE}]")
  float weightDecay;

  @Option(
      names = "--label-smoothing",
      paramLabel = "E",
      defaultValue = "0.0",
      description = "on human labels [${DEFAULT-VALUE}]")
  float labelSmoothing;

  @Option(
      names = "--min-warmup",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "fewest warm-up steps of every schedule (at most a quarter of it); 3%% of a short"
              + " schedule is one or two steps [${DEFAULT-VALUE}]")
  int minWarmup;

  @Option(
      names = "--padding",
      paramLabel = "P",
      defaultValue = "2",
      description = "crop padding [${DEFAULT-VALUE}]")
  int padding;

  @Option(names = "--no-flip", description = "no horizontal flips (never on mnist)")
  boolean noFlip;

  @Option(names = "--teacher-plain", description = "the teacher trains without augmentation")
  boolean teacherPlain;

  /**
   * The class-stratified split of {@code train} into {@code --labels} labeled images and an
   * unlabeled pool capped at {@code --unlabeled}; a count the data cannot give fails naming the
   * option and its value.
   *
   * @param command the command, for the error
   * @param train the training images to split
   * @return the split
   * @throws IllegalArgumentException if {@code --labels} is out of range or a class is short
   */
  SemiSupervisedSplit split(String command, LabeledImages train) {
    return OptionErrors.about(
        command,
        "--labels " + labels,
        () -> SemiSupervisedSplit.of(train, labels, unlabeled, seed));
  }

  /** {@code --data-dir} (null if absent), checked to be a folder. */
  Path dataDir(String command) {
    return dataDir == null ? null : CliPaths.existingFolder(command, "--data-dir", dataDir);
  }

  /**
   * @return {@code --threads}, by default the available processors
   */
  int threads() {
    return threads != null ? threads : Runtime.getRuntime().availableProcessors();
  }

  /**
   * The first teacher's architecture: a ConvNet of width {@code --teacher-width} with {@code
   * --teacher-dropout}.
   */
  Student<ClassTarget> teacherModel(String command) {
    return ConvNets.student(
        OptionErrors.about(
            command,
            Map.of("width", "--teacher-width", "dropout", "--teacher-dropout"),
            () ->
                ConvNetConfig.builder()
                    .width(teacherWidth)
                    .dropout(teacherDropout)
                    .channelsLast(channelsLast)
                    .build()));
  }

  /**
   * The first teacher's schedule: {@code --teacher-epochs} over the labeled data (by default {@link
   * ClassificationRecipe#teacherEpochs} for {@code labeled} images), batch at most 64.
   */
  TrainingSchedule teacherSchedule(String command, int labeled) {
    return schedule(
        command,
        "--teacher-epochs",
        teacherEpochs != null ? teacherEpochs : ClassificationRecipe.teacherEpochs(labeled),
        Math.min(batch, 64),
        "--teacher-lr",
        teacherLr);
  }

  /**
   * Every student's (and the control's) schedule: {@code epochs} over the pseudo labels, batches of
   * {@code --batch}, learning rate {@code lr} (the command's {@code --lr}), and the weight decay,
   * label smoothing and warm-up the teacher has.
   */
  TrainingSchedule studentSchedule(String command, int epochs, float lr) {
    return schedule(command, "--epochs", epochs, batch, "--lr", lr);
  }

  /** A schedule of these options; a value the schedule refuses fails naming its option. */
  private TrainingSchedule schedule(
      String command, String epochsOption, int epochs, int batchSize, String lrOption, float lr) {
    return OptionErrors.about(
        command,
        Map.of(
            "epochs", epochsOption,
            "batchSize", "--batch",
            "learningRate", lrOption,
            "weightDecay", "--weight-decay",
            "labelSmoothing", "--label-smoothing",
            "minWarmupSteps", "--min-warmup"),
        () ->
            TrainingSchedule.builder()
                .epochs(epochs)
                .batchSize(batchSize)
                .learningRate(lr)
                .weightDecay(weightDecay)
                .labelSmoothing(labelSmoothing)
                .minWarmupSteps(minWarmup)
                .build());
  }

  /**
   * The first teacher trains with flip + crop; Cutout and the paper policies are student noise
   * only.
   */
  Augmenter<ClassTarget> teacherAugment() {
    return teacherPlain
        ? Augmenters.none()
        : Augmenters.flipCrop(
            FlipCropConfig.builder().padding(padding).horizontalFlip(flips()).build());
  }

  /** Horizontal flips keep a garment's class, not a digit's. */
  boolean flips() {
    return !noFlip && !dataset.equals("mnist");
  }

  /**
   * {@code --work-dir}, by default {@code runs/<name>}.
   *
   * @throws IllegalArgumentException if {@code --work-dir} is a file
   */
  Path workDir(String command, String name) {
    return workDir != null
        ? CliPaths.folderOrAbsent(command, "--work-dir", workDir)
        : Path.of("runs", name);
  }
}
