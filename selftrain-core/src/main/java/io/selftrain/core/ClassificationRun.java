package io.selftrain.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.Device;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import io.selftrain.ClassTarget;
import io.selftrain.augment.Task;
import io.selftrain.core.label.PseudoLabelConfig;
import io.selftrain.models.ConvNets;
import java.util.Map;

/**
 * A Noisy Student run for image classification (Xie et al. 2020; Zoph et al. 2020, Sec. 3): train a
 * teacher on the labeled data; pseudo-label the unlabeled pool with the un-noised teacher; train a
 * fresh, noised student on human and pseudo labels mixed in every batch, with the losses combined
 * by a {@link LossNormalization}; the student becomes the next round's teacher.
 *
 * <pre>{@code
 * try (ClassificationRun run = SelfTraining.classification()
 *         .labeled(split.labeled().toExamples())
 *         .unlabeled(split.unlabeled())
 *         .validation(dataset.test().toExamples())
 *         .teacher(ConvNets.student(ConvNetConfig.builder().build()))
 *         .student(ConvNets.student(ConvNetConfig.builder().dropout(0.3f).stochasticDepth(0.2f).build()))
 *         .augment(Augmenters.flipCrop(FlipCropConfig.builder().build()))
 *         .pseudoLabels(PseudoLabelConfig.soft())
 *         .lossNormalization(LossNormalization.paper(1.0))
 *         .rounds(2).seed(0)
 *         .workDir(Path.of("runs/fashion-mnist"))
 *         .build()) {
 *   SelfTrainingResult result = run.fit();
 * }
 * }</pre>
 *
 * <p>The stages, work directory, resume, determinism and the control trained beside round 1's
 * student are {@link SelfTrainingRun}'s, shared with every task.
 */
public final class ClassificationRun extends SelfTrainingRun<ClassTarget> {
  private ClassificationRun(
      RunConfig<ClassTarget> config,
      TaskSupport<ClassTarget> task,
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
   * Builds a {@link ClassificationRun}: the settings every task shares ({@link RunBuilder}) and the
   * classification-only ones (pseudo-label rules, Mixup and CutMix on pseudo examples,
   * flip-averaged teacher).
   */
  public static final class Builder extends RunBuilder<ClassTarget, Builder> {
    private PseudoLabelConfig pseudoLabels = PseudoLabelConfig.soft();
    private double pseudoMixup = 0;
    private double pseudoCutMix = 0;
    private boolean teacherFlipAveraging;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    @Override
    Task augmentTask() {
      return Task.CLASSIFICATION;
    }

    @Override
    TaskSupport<ClassTarget> task(RunConfig<ClassTarget> config) {
      int numClasses = config.labeled().get(0).target().numClasses();
      return new ClassificationSupport(
          pseudoLabels, pseudoMixup, pseudoCutMix, teacherFlipAveraging, numClasses);
    }

    /**
     * Applies a recipe: the first teacher's and the students' networks and schedules, the
     * pseudo-label rule, the loss weighting, the pseudo ratio and Mixup. Data, augmentation, seed
     * and work directory stay the caller's; a setting made after this call replaces the recipe's.
     *
     * <pre>{@code
     * SelfTraining.classification()
     *     .labeled(labeled).unlabeled(pool).validation(test)
     *     .recipe(ClassificationRecipe.forSizes(labeled.size(), pool.size()))
     *     .augment(Augmenters.flipCrop(FlipCropConfig.builder().build()))
     * }</pre>
     *
     * @param recipe the recipe, e.g. {@link ClassificationRecipe#forSizes}
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder recipe(ClassificationRecipe recipe) {
      checkNotNull(recipe, "recipe");
      return teacher(ConvNets.student(recipe.teacherNetwork()))
          .student(ConvNets.student(recipe.studentNetwork()))
          .teacherSchedule(recipe.teacherSchedule())
          .studentSchedule(recipe.studentSchedule())
          .pseudoLabels(recipe.pseudoLabels())
          .lossNormalization(recipe.lossNormalization())
          .pseudoRatio(recipe.pseudoRatio())
          .pseudoMixup(recipe.pseudoMixup());
    }

    /**
     * Pseudo-label rules (default: soft, temperature 1, no threshold, no balancing).
     *
     * @param config the rules
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder pseudoLabels(PseudoLabelConfig config) {
      this.pseudoLabels = checkNotNull(config, "pseudoLabels");
      return this;
    }

    /**
     * Mixup between the pseudo-labeled examples of each student batch, as extra student noise: each
     * pseudo example is blended with another one of its batch, inputs and target distributions
     * alike, with weight {@code max(lambda, 1 - lambda)}, {@code lambda ~ Beta(alpha, alpha)}
     * (Zhang et al. 2018). The teacher still labels clean images, and human examples (so the
     * supervised control) are not mixed. Default 0: off.
     *
     * @param alpha the Beta parameter; 0 turns mixup off, 1 draws the weight uniformly from [0.5,
     *     1]
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder pseudoMixup(double alpha) {
      checkArgument(
          alpha >= 0 && Double.isFinite(alpha),
          "pseudoMixup must be a finite non-negative number: %s",
          alpha);
      this.pseudoMixup = alpha;
      return this;
    }

    /**
     * CutMix between the pseudo-labeled examples of each student batch, as extra student noise
     * (after mixup when both are on): a rectangle of each pseudo example, {@code 1 - max(lambda, 1
     * - lambda)} of its area with {@code lambda ~ Beta(alpha, alpha)}, is replaced by the same
     * rectangle of another pseudo example of its batch, and the target distributions are mixed by
     * area (Yun et al. 2019). The teacher still labels clean images, and human examples (so the
     * supervised control) are not cut. Default 0: off.
     *
     * @param alpha the Beta parameter; 0 turns CutMix off
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder pseudoCutMix(double alpha) {
      this.pseudoCutMix = CutMix.checkAlpha(alpha);
      return this;
    }

    /**
     * Averages the teacher's class probabilities over each unlabeled image and its left-right
     * mirror before selecting pseudo labels (default off). The teacher itself stays un-noised (no
     * dropout, no stochastic depth); only use it where mirroring keeps the class (garments, natural
     * images; not digits). NOTE: not in Noisy Student; a two-view test-time ensemble of the
     * teacher.
     *
     * @param enabled whether to average over the two views
     * @return this builder (for chaining)
     */
    @CanIgnoreReturnValue
    public Builder teacherFlipAveraging(boolean enabled) {
      this.teacherFlipAveraging = enabled;
      return this;
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
    public ClassificationRun build() {
      return build(ClassificationRun::new);
    }

    @Override
    SelfTrainingRun<ClassTarget> buildRun() {
      return build();
    }
  }
}
