package io.selftrain.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.Device;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import io.selftrain.Example;
import io.selftrain.MaskTarget;
import io.selftrain.augment.Task;
import io.selftrain.core.data.MaskDataset;
import io.selftrain.core.label.MaskPseudoLabelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Noisy Student run for semantic segmentation, the setting of Zoph et al. 2020's PASCAL VOC
 * experiments (NAS-FPN on EfficientNet; +1.5 mIoU from self-training): train a segmentation model
 * on the labeled masks; the un-noised teacher's per-pixel argmax where its probability reaches 0.5
 * becomes a pseudo mask on each unlabeled image (255, ignored, elsewhere); train a fresh student,
 * noised by Augment-S1..S4 moving masks with the pixels, dropout and stochastic depth, on human and
 * pseudo masks, with the per-example cross entropies combined by the paper's loss normalization;
 * score every model with mIoU.
 *
 * <pre>{@code
 * MaskDataset train = MaskDataset.load(Path.of("train/images"), Path.of("train/masks"), 11).fitted(64);
 * MaskDataset test = MaskDataset.load(Path.of("test/images"), Path.of("test/masks"), 11).fitted(64);
 * SegmentationConfig model = Segmentation.tiny64().withNumClasses(11);
 * try (SegmentationRun run = SelfTraining.segmentation()
 *         .labeled(train.examples())
 *         .unlabeled(poolImages)
 *         .validation(test)
 *         .teacher(Segmentation.student(model))
 *         .augment(AugmentPolicy.S1)
 *         .pseudoMasks(MaskPseudoLabelConfig.paper())
 *         .rounds(2).seed(0).control(true)
 *         .workDir(Path.of("runs/segment"))
 *         .build()) {
 *   SelfTrainingResult result = run.fit();   // mIoU, pixel accuracy and per-class IoU per round
 * }
 * }</pre>
 *
 * <p>The stages, work directory, resume, determinism and the control trained beside round 1's
 * student are {@link SelfTrainingRun}'s, shared with every task. Every evaluation writes the
 * predicted validation masks as PNG ({@link #evaluationFiles(int)}); every pseudo-label stage
 * writes its masks as PNG too.
 */
public final class SegmentationRun extends SelfTrainingRun<MaskTarget> {
  private SegmentationRun(
      RunConfig<MaskTarget> config,
      TaskSupport<MaskTarget> task,
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
   * Builds a {@link SegmentationRun}: the settings every task shares ({@link RunBuilder}) and the
   * segmentation-only ones (pseudo-mask rules, the number of classes, the pool's true masks for
   * diagnostics, the names of the predicted masks).
   */
  public static final class Builder extends RunBuilder<MaskTarget, Builder> {
    private MaskPseudoLabelConfig pseudoMasks = MaskPseudoLabelConfig.paper();
    private double pseudoCutMix = 0;
    private double priorCorrection = 0;
    private List<MaskTarget> unlabeledTruth;
    private int numClasses;
    private List<String> validationNames;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    @Override
    Task augmentTask() {
      return Task.SEGMENTATION;
    }

    /**
     * Pseudo-mask rules (default {@link MaskPseudoLabelConfig#paper()}: pixels at probability 0.5
     * or more, every image kept).
     *
     * @param rules the rules
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder pseudoMasks(MaskPseudoLabelConfig rules) {
      this.pseudoMasks = checkNotNull(rules, "pseudoMasks");
      return this;
    }

    /**
     * CutMix between the pseudo-labeled examples of each student batch, as extra student noise (Yun
     * et al. 2019; the strong perturbation of semi-supervised segmentation, French et al. 2020,
     * applied to self-training's unlabeled images as in ST++, Yang et al. 2022): each pseudo image
     * takes a rectangle, at most half its area, of the next pseudo image in the batch, and its mask
     * takes the same rectangle of that image's mask. Human examples and the control are unchanged.
     *
     * @param alpha the Beta parameter of the kept fraction; 0 turns CutMix off (the default)
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder pseudoCutMix(double alpha) {
      this.pseudoCutMix = CutMix.checkAlpha(alpha);
      return this;
    }

    /**
     * Corrects the students' pseudo rows for the class prior of the pseudo masks ({@link
     * PseudoPriorCorrection}: logit adjustment, Menon et al. 2021, for the label shift between the
     * teacher's thresholded masks and the human masks): in the loss, each pseudo row's logits get
     * {@code tau (log pi_pseudo(c) - log pi_human(c))} per class, so a class the teacher's masks
     * hold too rarely is not learned as rare. Human rows, predictions and the control are
     * unchanged.
     *
     * @param tau the strength, finite and non-negative; 0 turns it off (the default), 1 is the full
     *     log prior ratio
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder pseudoPriorCorrection(double tau) {
      checkArgument(
          Double.isFinite(tau) && tau >= 0,
          "pseudoPriorCorrection must be a finite non-negative number: %s",
          tau);
      this.priorCorrection = tau;
      return this;
    }

    /**
     * The unlabeled images' true masks, when known (benchmarks, scenes): never trained on, only
     * used to report the pseudo masks' pixel accuracy, the diagnostic for choosing the threshold.
     *
     * @param truth one mask per unlabeled image, in the pool's order
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder unlabeledTruth(List<MaskTarget> truth) {
      this.unlabeledTruth = List.copyOf(checkNotNull(truth, "unlabeledTruth"));
      return this;
    }

    /**
     * The number of classes, background included (default: the largest class in the labeled and
     * validation masks plus one); the student's own class count must match it.
     *
     * @param count in [2, 255]
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder classes(int count) {
      checkArgument(
          count >= 2 && count <= MaskTarget.IGNORE,
          "classes must be in [2, 255] (255 is the ignore label): %s",
          count);
      this.numClasses = count;
      return this;
    }

    /**
     * A mask data set as the validation set: its examples, its class count, and its file names for
     * the predicted masks (so a prediction sits beside its true mask under the same name).
     *
     * @param dataset the validation images and masks, fitted to the model's input
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder validation(MaskDataset dataset) {
      checkNotNull(dataset, "dataset");
      validation(dataset.examples());
      List<String> names = new ArrayList<>(dataset.size());
      for (String name : dataset.fileNames()) {
        names.add(name.substring(0, name.lastIndexOf('.')) + ".png");
      }
      this.validationNames = names;
      return classes(Math.max(2, dataset.numClasses()));
    }

    @Override
    TaskSupport<MaskTarget> task(RunConfig<MaskTarget> config) {
      int classes = numClasses;
      if (classes == 0) {
        for (List<Example<MaskTarget>> set : List.of(config.labeled(), config.validation())) {
          for (Example<MaskTarget> e : set) {
            for (byte b : e.target().classes()) {
              int k = b & 0xFF;
              if (k != MaskTarget.IGNORE) {
                classes = Math.max(classes, k + 1);
              }
            }
          }
        }
        classes = Math.max(2, classes);
      }
      List<String> names =
          validationNames != null && validationNames.size() == config.validation().size()
              ? validationNames
              : SegmentationSupport.indexNames(config.validation().size());
      return new SegmentationSupport(
          pseudoMasks, pseudoCutMix, priorCorrection, classes, unlabeledTruth, names);
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
    public SegmentationRun build() {
      return build(SegmentationRun::new);
    }

    @Override
    SelfTrainingRun<MaskTarget> buildRun() {
      return build();
    }
  }
}
