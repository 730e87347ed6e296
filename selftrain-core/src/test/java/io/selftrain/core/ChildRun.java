package io.selftrain.core;

import io.selftrain.EpochReport;
import io.selftrain.SelfTrainingListener;
import io.selftrain.Stage;
import io.selftrain.augment.AugmentPolicy;
import io.selftrain.augment.Augmenters;
import io.selftrain.augment.FlipCropConfig;
import io.selftrain.core.data.Scene;
import io.selftrain.core.label.BoxPseudoLabelConfig;
import io.selftrain.core.label.PseudoLabelConfig;
import io.selftrain.models.ConvNetConfig;
import io.selftrain.models.ConvNets;
import io.selftrain.models.detection.RetinaNet;
import io.selftrain.models.detection.RetinaNetConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A small classification or detection run in its own JVM, for tests that kill it ({@link
 * CrashSafetyTest}) or watch its resident memory ({@link TrainingMemoryTest}). Every listener event
 * is printed as one line on stdout, flushed, so the parent can act at a known point: {@code STAGE
 * round stage resumed}, {@code EPOCH round stage e/E rssKiB}, {@code PSEUDO round done/total},
 * {@code EVAL round role}, and {@code DONE} at the end.
 *
 * <p>Arguments: {@code classification|detection workDir teacherEpochs studentEpochs rounds
 * [teacherBatch]} (one PyTorch thread, seed 3, the control on; a classification teacher's batch 32
 * unless given).
 */
final class ChildRun {
  private ChildRun() {}

  public static void main(String[] args) throws IOException {
    String task = args[0];
    Path workDir = Path.of(args[1]);
    int teacherEpochs = Integer.parseInt(args[2]);
    int studentEpochs = Integer.parseInt(args[3]);
    int rounds = Integer.parseInt(args[4]);
    int teacherBatch = args.length > 5 ? Integer.parseInt(args[5]) : 32;
    Engines.configure(1);
    switch (task) {
      case "classification" ->
          classification(workDir, teacherEpochs, studentEpochs, rounds, teacherBatch);
      case "detection" -> detection(workDir, teacherEpochs, studentEpochs, rounds);
      default ->
          throw new IllegalArgumentException("task must be classification or detection: " + task);
    }
    System.out.println("DONE");
    System.out.flush();
  }

  private static void classification(
      Path workDir, int teacherEpochs, int studentEpochs, int rounds, int teacherBatch) {
    try (ClassificationRun run =
        SelfTraining.classification()
            .labeled(TinyData.labeled())
            .unlabeled(TinyData.unlabeled())
            .validation(TinyData.validation().subList(0, 200))
            .teacher(ConvNets.student(ConvNetConfig.builder().width(8).hidden(32).build()))
            .student(
                ConvNets.student(
                    ConvNetConfig.builder()
                        .width(8)
                        .hidden(32)
                        .dropout(0.2f)
                        .stochasticDepth(0.2f)
                        .build()))
            .augment(Augmenters.flipCrop(FlipCropConfig.builder().build()))
            .pseudoLabels(PseudoLabelConfig.soft())
            .teacherSchedule(
                TrainingSchedule.builder().epochs(teacherEpochs).batchSize(teacherBatch).build())
            .studentSchedule(TrainingSchedule.builder().epochs(studentEpochs).batchSize(32).build())
            .rounds(rounds)
            .control(true)
            .seed(3)
            .workDir(workDir)
            .addListener(new PrintingListener())
            .build()) {
      run.fit();
    }
  }

  /**
   * 16 labeled, 16 unlabeled and 8 validation scenes of 64 x 64 with one or two garments;
   * RetinaNet-tiny64.
   */
  private static void detection(Path workDir, int teacherEpochs, int studentEpochs, int rounds) {
    List<Scene> scenes = TinyData.scenes(3, 40);
    RetinaNetConfig detector = RetinaNet.tiny64().withNumClasses(10);
    try (DetectionRun run =
        SelfTraining.detection()
            .labeled(scenes.subList(0, 16).stream().map(Scene::detection).toList())
            .unlabeled(scenes.subList(16, 32).stream().map(Scene::image).toList())
            .validation(scenes.subList(32, 40).stream().map(Scene::detection).toList())
            .teacher(RetinaNet.student(detector))
            .student(RetinaNet.student(detector))
            .augment(AugmentPolicy.S1)
            .pseudoBoxes(BoxPseudoLabelConfig.paper().withKeepEmpty(true))
            .teacherSchedule(TrainingSchedule.builder().epochs(teacherEpochs).batchSize(8).build())
            .studentSchedule(TrainingSchedule.builder().epochs(studentEpochs).batchSize(8).build())
            .rounds(rounds)
            .control(true)
            .seed(3)
            .workDir(workDir)
            .addListener(new PrintingListener())
            .build()) {
      run.fit();
    }
  }

  /** Resident set size of this process in KiB, from {@code /proc/self/status} (Linux), or -1. */
  static long residentKib() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
      for (String line : lines) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static final class PrintingListener implements SelfTrainingListener {
    @Override
    public void onStage(int round, Stage stage, boolean resumed) {
      print("STAGE " + round + " " + stage + " " + resumed);
    }

    @Override
    public void onEpoch(EpochReport report) {
      print(
          "EPOCH "
              + report.round()
              + " "
              + report.stage()
              + " "
              + report.epoch()
              + "/"
              + report.epochs()
              + " "
              + residentKib());
    }

    @Override
    public void onPseudoLabelProgress(int round, int done, int total) {
      print("PSEUDO " + round + " " + done + "/" + total);
    }

    @Override
    public void onEvaluation(int round, String role, io.selftrain.Metrics metrics) {
      print("EVAL " + round + " " + role);
    }

    private static void print(String line) {
      System.out.println(line);
      System.out.flush();
    }
  }
}
