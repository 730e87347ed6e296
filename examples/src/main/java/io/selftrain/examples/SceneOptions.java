package io.selftrain.examples;

import io.selftrain.augment.AugmentPolicy;
import io.selftrain.core.TrainingSchedule;
import io.selftrain.core.data.ImageDataset;
import io.selftrain.core.data.ImageDatasets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options that {@code detect} and {@code segment} share: the benchmark scenes' sizes, the run,
 * the schedule and the user-data options both read; each command adds its own recipe options.
 */
final class SceneOptions {
  @Option(
      names = "--labels",
      paramLabel = "N",
      defaultValue = "500",
      description = "labeled scenes [${DEFAULT-VALUE}]")
  int labels;

  @Option(
      names = "--unlabeled",
      paramLabel = "M",
      defaultValue = "5000",
      description = "unlabeled scenes [${DEFAULT-VALUE}]")
  int unlabeled;

  @Option(
      names = "--validation",
      paramLabel = "V",
      defaultValue = "500",
      description = "validation scenes [${DEFAULT-VALUE}]")
  int validation;

  @Option(
      names = "--test",
      paramLabel = "T",
      defaultValue = "1000",
      description = "test scenes [${DEFAULT-VALUE}]")
  int test;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "0",
      description = "run and scene-layout seed [${DEFAULT-VALUE}]")
  long seed;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "PyTorch threads [available processors]")
  Integer threads;

  @Option(
      names = "--policy",
      paramLabel = "S1|S2|S3|S4|none",
      defaultValue = "S1",
      description =
          "augmentation of teacher and student, targets moving with pixels [${DEFAULT-VALUE}]")
  String policy;

  @Option(
      names = "--baseline",
      description = "also train the supervised control (student recipe, labeled data only)")
  boolean baseline;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "the result as JSON; the final student's outputs are written beside it")
  Path out;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "stage outputs and scenes; an unfinished run there is resumed [runs/<command>-<labels>-s<seed>]")
  Path workDir;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "folder with Fashion-MNIST (default: standard locations, then a cache)")
  Path dataDir;

  @Option(
      names = "--eval",
      paramLabel = "test|validation",
      defaultValue = "test",
      description =
          "the set every model is scored on: choose recipes on validation [${DEFAULT-VALUE}]")
  String eval;

  @Option(
      names = "--ratio",
      paramLabel = "K",
      defaultValue = "1",
      description = "pseudo images per human image in a batch [${DEFAULT-VALUE}]")
  int ratio;

  @Option(
      names = "--pseudo-on-top",
      description =
          "Noisy Student's batch layout: --batch human images plus --ratio x --batch pseudo"
              + " images per student step, as many human images as the control's step (default:"
              + " --batch split between them)")
  boolean pseudoOnTop;

  @Option(
      names = "--loss",
      paramLabel = "paper|sum|batch-ratio[:alpha]",
      defaultValue = "paper",
      description = "loss normalization [${DEFAULT-VALUE}]")
  String loss;

  @Option(
      names = "--batch",
      paramLabel = "B",
      defaultValue = "32",
      description = "[${DEFAULT-VALUE}]")
  int batch;

  @Option(
      names = "--lr",
      paramLabel = "LR",
      defaultValue = "0.002",
      description = "student learning rate [${DEFAULT-VALUE}]")
  float lr;

  @Option(
      names = "--teacher-lr",
      paramLabel = "LR",
      defaultValue = "0.002",
      description = "[${DEFAULT-VALUE}]")
  float teacherLr;

  @Option(
      names = "--stochastic-depth",
      paramLabel = "P",
      defaultValue = "0.2",
      description = "student stochastic depth [${DEFAULT-VALUE}]")
  float stochasticDepth;

  @Mixin BackboneLayoutOption layout = new BackboneLayoutOption();

  @Option(
      names = "--teacher-stochastic-depth",
      paramLabel = "P",
      defaultValue = "0.2",
      description = "[${DEFAULT-VALUE}]")
  float teacherStochasticDepth;

  @Option(
      names = "--unlabeled-images",
      paramLabel = "DIR",
      description = "user data: the unlabeled pool (every image file of the folder)")
  Path unlabeledImages;

  @Option(names = "--test-images", paramLabel = "DIR", description = "user data: the test images")
  Path testImages;

  @Option(
      names = "--val-images",
      paramLabel = "DIR",
      description = "user data: validation images for --eval validation")
  Path valImages;

  @Option(
      names = "--size",
      paramLabel = "S",
      defaultValue = "64",
      description = "user data: the model's input side, a multiple of 32 [${DEFAULT-VALUE}]")
  int size;

  /**
   * @return {@code --threads}, by default the available processors
   */
  int threads(String command) {
    return threads == null
        ? Runtime.getRuntime().availableProcessors()
        : positive(command, "--threads", threads);
  }

  /**
   * The scene counts: labeled, unlabeled, validation and test.
   *
   * @throws IllegalArgumentException naming the option if a count is negative (or zero, except the
   *     pool)
   */
  int[] sizes(String command) {
    positive(command, "--labels", labels);
    if (unlabeled < 0) {
      throw new IllegalArgumentException(
          command + ": --unlabeled must be non-negative: " + unlabeled);
    }
    positive(command, "--validation", validation);
    positive(command, "--test", test);
    return new int[] {labels, unlabeled, validation, test};
  }

  /**
   * @throws IllegalArgumentException unless {@code --eval} is test or validation
   */
  String eval(String command) {
    if (!eval.equals("test") && !eval.equals("validation")) {
      throw new IllegalArgumentException(command + ": --eval must be test or validation: " + eval);
    }
    return eval;
  }

  /**
   * @return {@code --policy}, or null for none
   */
  AugmentPolicy policy(String command) {
    if (policy.equals("none")) {
      return null;
    }
    try {
      return AugmentPolicy.valueOf(policy);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          command + ": --policy must be one of [S1, S2, S3, S4, none]: " + policy, e);
    }
  }

  /**
   * @throws IllegalArgumentException unless {@code --size} is a positive multiple of 32
   */
  int size(String command) {
    if (size < 32 || size % 32 != 0) {
      throw new IllegalArgumentException(
          command + ": --size must be a positive multiple of 32: " + size);
    }
    return size;
  }

  /** {@code --work-dir}, by default {@code runs/<name>}. */
  Path workDir(String command, String name) {
    return workDir != null
        ? CliPaths.folderOrAbsent(command, "--work-dir", workDir)
        : Path.of("runs", name);
  }

  /** {@code --out}, checked to be writable before a run starts (null if absent). */
  Path out() throws IOException {
    return out == null ? null : CliPaths.writableFile("--out", out);
  }

  /** Fashion-MNIST from {@code --data-dir} or the standard locations. */
  ImageDataset fashion(String command) throws IOException {
    return ImageDatasets.fashionMnist(
        dataDir == null ? null : CliPaths.existingFolder(command, "--data-dir", dataDir));
  }

  /**
   * A user-data option that another option makes necessary.
   *
   * @throws IllegalArgumentException {@code <command>: <option> is needed <because>}
   */
  static Path required(String command, String option, Path value, String because) {
    if (value == null) {
      throw new IllegalArgumentException(command + ": " + option + " is needed " + because);
    }
    return value;
  }

  /**
   * @throws IllegalArgumentException {@code <command>: <option> must be positive: <value>}
   */
  static int positive(String command, String option, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(command + ": " + option + " must be positive: " + value);
    }
    return value;
  }

  /**
   * @throws IllegalArgumentException {@code <command>: <option> must be a finite non-negative
   *     number: <value>}
   */
  static double finiteNonNegative(String command, String option, double value) {
    if (!(value >= 0 && Double.isFinite(value))) {
      throw new IllegalArgumentException(
          command + ": " + option + " must be a finite non-negative number: " + value);
    }
    return value;
  }

  /**
   * The first teacher's schedule: {@code epochs} epochs of batches of {@code batch} at {@code
   * --teacher-lr}; a value the schedule refuses fails naming its option.
   */
  TrainingSchedule teacherSchedule(String command, int epochs, int batch) {
    return schedule(command, "--teacher-epochs", "--teacher-lr", epochs, batch, teacherLr);
  }

  /**
   * Every student's (and the control's) schedule: {@code epochs} epochs of batches of {@code batch}
   * at {@code --lr}; a value the schedule refuses fails naming its option.
   */
  TrainingSchedule studentSchedule(String command, int epochs, int batch) {
    return schedule(command, "--epochs", "--lr", epochs, batch, lr);
  }

  private static TrainingSchedule schedule(
      String command, String epochsOption, String lrOption, int epochs, int batch, float lr) {
    return OptionErrors.about(
        command,
        Map.of("epochs", epochsOption, "batchSize", "--batch", "learningRate", lrOption),
        () -> TrainingSchedule.builder().epochs(epochs).batchSize(batch).learningRate(lr).build());
  }
}
