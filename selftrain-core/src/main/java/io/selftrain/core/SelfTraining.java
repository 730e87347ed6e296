package io.selftrain.core;

/**
 * The entry point of selftrain: one builder per task.
 *
 * <pre>{@code
 * Engines.configure(2);
 * try (ClassificationRun run = SelfTraining.classification()
 *         .labeled(labeled).unlabeled(pool).validation(test)
 *         .teacher(ConvNets.student(ConvNetConfig.builder().build()))
 *         .rounds(2).seed(0).build()) {
 *   SelfTrainingResult result = run.fit();
 * }
 * }</pre>
 *
 * @see <a href="https://arxiv.org/abs/2006.06882">Zoph et al. 2020, Rethinking Pre-training and
 *     Self-training</a>
 * @see <a href="https://arxiv.org/abs/1911.04252">Xie et al. 2020, Self-training with Noisy
 *     Student</a>
 */
public final class SelfTraining {
  private SelfTraining() {}

  /**
   * @return a builder for a Noisy Student run on image classification
   */
  public static ClassificationRun.Builder classification() {
    return ClassificationRun.builder();
  }

  /**
   * Starts an object detection run (RetinaNet students; COCO AP).
   *
   * @return a new builder
   */
  public static DetectionRun.Builder detection() {
    return DetectionRun.builder();
  }

  /**
   * Starts a semantic segmentation run (NAS-FPN students; mIoU).
   *
   * @return a new builder
   */
  public static SegmentationRun.Builder segmentation() {
    return SegmentationRun.builder();
  }

  /**
   * Starts a study: pre-training vs self-training vs joint training as a grid of runs (Zoph et al.
   * 2020).
   *
   * @param runs makes a task builder with the data, models and recipe, once per run
   * @param <T> the task's target type
   * @return a new builder
   */
  public static <T extends io.selftrain.Target> Study.Builder<T> study(
      java.util.function.Supplier<? extends RunBuilder<T, ?>> runs) {
    return Study.builder(runs);
  }
}
