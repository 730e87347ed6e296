package io.selftrain.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.Device;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import io.selftrain.BoxesTarget;
import io.selftrain.Example;
import io.selftrain.augment.Task;
import io.selftrain.core.data.CocoDataset;
import io.selftrain.core.data.Letterbox;
import io.selftrain.core.eval.CocoAnnotation;
import io.selftrain.core.eval.CocoGroundTruth;
import io.selftrain.core.label.BoxPseudoLabelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Noisy Student run for object detection, the setting of Zoph et al. 2020 (RetinaNet on COCO,
 * Sec. 4): train a detector on the labeled images; the un-noised teacher's detections scoring at
 * least 0.5 become pseudo boxes on the unlabeled images; train a fresh student, noised by
 * Augment-S1..S4 moving boxes with the pixels, dropout and stochastic depth, on human and pseudo
 * boxes, with the per-example focal + Huber losses combined by the paper's loss normalization;
 * score every model with COCO AP.
 *
 * <pre>{@code
 * CocoDataset train = CocoDataset.load(Path.of("train.json"), Path.of("train")).fitted(64);
 * CocoDataset test = CocoDataset.load(Path.of("test.json"), Path.of("test")).fitted(64);
 * RetinaNetConfig detector = RetinaNet.tiny64().withNumClasses(10);
 * try (DetectionRun run = SelfTraining.detection()
 *         .labeled(train.examples())
 *         .unlabeled(poolImages)
 *         .validation(test, CocoGroundTruth.load(Path.of("test.json")))
 *         .teacher(RetinaNet.student(detector))
 *         .augment(AugmentPolicy.S1)
 *         .pseudoBoxes(BoxPseudoLabelConfig.paper())
 *         .rounds(1).seed(0).control(true)
 *         .workDir(Path.of("runs/detect"))
 *         .build()) {
 *   SelfTrainingResult result = run.fit();   // AP, AP50, AP75, AP small/medium/large, AR per round
 * }
 * }</pre>
 *
 * <p>The stages, work directory, resume, determinism and the control trained beside round 1's
 * student are {@link SelfTrainingRun}'s, shared with every task. Every evaluation writes the
 * validation set's detections in COCO results format ({@link #evaluationFiles(int)}).
 */
public final class DetectionRun extends SelfTrainingRun<BoxesTarget> {
  private DetectionRun(
      RunConfig<BoxesTarget> config,
      TaskSupport<BoxesTarget> task,
      Map<String, String> settings,
      WorkDirectory workDir,
      Device device) {
    super(config, task, settings, workDir, device);
  }

  /**
   * @return a builder; see the class documentation
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link DetectionRun}: the settings every task shares ({@link RunBuilder}) and the
   * detection-only ones (pseudo-box rules, category ids, the validation set's COCO ground truth,
   * the pool's true boxes for diagnostics).
   */
  public static final class Builder extends RunBuilder<BoxesTarget, Builder> {
    private BoxPseudoLabelConfig pseudoBoxes = BoxPseudoLabelConfig.paper();
    private List<BoxesTarget> unlabeledTruth;
    private int[] categoryIds;
    private CocoGroundTruth validationTruth;
    private long[] validationIds;
    private List<Letterbox> validationLetterboxes;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    @Override
    Task augmentTask() {
      return Task.DETECTION;
    }

    /**
     * Pseudo-box rules (default {@link BoxPseudoLabelConfig#paper()}: score at least 0.5, images
     * without a kept box dropped).
     *
     * @param rules the rules
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder pseudoBoxes(BoxPseudoLabelConfig rules) {
      this.pseudoBoxes = checkNotNull(rules, "pseudoBoxes");
      return this;
    }

    /**
     * The unlabeled images' true boxes, when known (benchmarks, scenes): never trained on, only
     * used to report the pseudo boxes' precision and recall at IoU 0.5, the diagnostic for choosing
     * the score threshold.
     *
     * @param truth one target per unlabeled image, in the pool's order
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder unlabeledTruth(List<BoxesTarget> truth) {
      this.unlabeledTruth = List.copyOf(checkNotNull(truth, "unlabeledTruth"));
      return this;
    }

    /**
     * The COCO category id of each class, for detections written in COCO results format (default
     * 1..K, K the largest class in the labels plus one).
     *
     * @param ids one distinct id per class, class k first
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder categoryIds(int... ids) {
      checkNotNull(ids, "categoryIds");
      checkArgument(ids.length > 0, "categoryIds must not be empty: %s", ids.length);
      checkArgument(
          java.util.Arrays.stream(ids).distinct().count() == ids.length,
          "categoryIds must be distinct: %s",
          java.util.Arrays.toString(ids));
      this.categoryIds = ids.clone();
      return this;
    }

    /**
     * A COCO data set as the validation set, scored against its own ground truth as pycocotools
     * would: in original pixels (letterboxed boxes mapped back), with the file's image and category
     * ids and its crowd regions. Sets {@link #categoryIds} from the data set.
     *
     * @param dataset the validation images, loaded from {@code truth}'s file, fitted to the model's
     *     input
     * @param truth the same file's ground truth ({@link CocoGroundTruth#load})
     * @return this builder (for chaining)
     * @throws IllegalArgumentException if {@code truth} does not list the data set's images
     */
    @CanIgnoreReturnValue
    public Builder validation(CocoDataset dataset, CocoGroundTruth truth) {
      checkNotNull(dataset, "dataset");
      checkNotNull(truth, "truth");
      validation(dataset.examples());
      long[] ids = new long[dataset.size()];
      List<Letterbox> boxes = new ArrayList<>(dataset.size());
      java.util.Set<Long> listed = new java.util.HashSet<>(truth.imageIds());
      for (int i = 0; i < ids.length; i++) {
        ids[i] = dataset.imageIds().get(i);
        checkArgument(
            listed.contains(ids[i]),
            "truth must list every validation image; it lacks image id %s",
            ids[i]);
        boxes.add(dataset.letterbox(i));
      }
      categoryIds(dataset.categoryIds());
      this.validationTruth = truth;
      this.validationIds = ids;
      this.validationLetterboxes = boxes;
      return this;
    }

    @Override
    TaskSupport<BoxesTarget> task(RunConfig<BoxesTarget> config) {
      int numClasses = 0;
      for (List<Example<BoxesTarget>> set : List.of(config.labeled(), config.validation())) {
        for (Example<BoxesTarget> e : set) {
          for (int k : e.target().classes()) {
            numClasses = Math.max(numClasses, k + 1);
          }
        }
      }
      int[] ids = categoryIds;
      if (ids == null) {
        ids = new int[Math.max(1, numClasses)];
        for (int k = 0; k < ids.length; k++) {
          ids[k] = k + 1;
        }
      }
      DetectionSupport.DetectionEvaluation evaluation =
          validationTruth != null && validationIds.length == config.validation().size()
              ? new DetectionSupport.DetectionEvaluation(
                  validationTruth, validationIds, ids, validationLetterboxes)
              : evaluationFromExamples(config.validation(), ids);
      return new DetectionSupport(pseudoBoxes, ids.length, unlabeledTruth, evaluation);
    }

    /**
     * The validation examples' own boxes as COCO ground truth: image ids 1..n, model-input pixels.
     */
    private static DetectionSupport.DetectionEvaluation evaluationFromExamples(
        List<Example<BoxesTarget>> validation, int[] categoryIds) {
      List<Long> images = new ArrayList<>();
      List<CocoAnnotation> annotations = new ArrayList<>();
      long[] ids = new long[validation.size()];
      for (int i = 0; i < validation.size(); i++) {
        ids[i] = i + 1;
        images.add(ids[i]);
        BoxesTarget t = validation.get(i).target();
        float[] b = t.boxes();
        int[] classes = t.classes();
        for (int j = 0; j < classes.length; j++) {
          annotations.add(
              CocoAnnotation.box(
                  annotations.size() + 1,
                  ids[i],
                  categoryIds[Math.min(classes[j], categoryIds.length - 1)],
                  b[4 * j],
                  b[4 * j + 1],
                  b[4 * j + 2] - b[4 * j],
                  b[4 * j + 3] - b[4 * j + 1]));
        }
      }
      List<Integer> categories = new ArrayList<>();
      for (int id : categoryIds) {
        categories.add(id);
      }
      return new DetectionSupport.DetectionEvaluation(
          CocoGroundTruth.of(images, categories, annotations), ids, categoryIds, null);
    }

    /**
     * Validates every setting, loads the engine and opens the work directory. The run holds a
     * snapshot of the settings: changing this builder afterwards changes no run.
     *
     * @return the run
     * @throws IllegalStateException if a required setting is missing, or the work directory holds a
     *     run with other data
     * @throws IllegalArgumentException if settings contradict each other or the engine cannot train
     */
    public DetectionRun build() {
      return build(DetectionRun::new);
    }

    @Override
    SelfTrainingRun<BoxesTarget> buildRun() {
      return build();
    }
  }
}
