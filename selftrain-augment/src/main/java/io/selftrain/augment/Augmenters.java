package io.selftrain.augment;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import io.selftrain.Augmenter;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Factories for augmenters.
 *
 * <pre>{@code
 * // Augment-S4 for RetinaNet at 640x640: RandAugment(2, 10) + flip + jitter 0.5-2.0 + crop; boxes follow.
 * PolicyAugmenter<BoxesTarget> s4 = Augmenters.policy(AugmentPolicy.S4, Task.DETECTION, 640, 640);
 * Example<BoxesTarget> out = s4.augment(example, new SplittableRandom(seed));
 *
 * // Record a draw and replay it.
 * List<AugmentStep> draw = s4.sample(example, new SplittableRandom(seed));
 * Example<BoxesTarget> same = s4.apply(example, draw);
 *
 * // A custom composition.
 * PolicyAugmenter<MaskTarget> custom = Augmenters.compose(
 *     Augmenters.autoAugment(AutoAugmentConfig.of(AutoAugmentPolicy.IMAGENET)),
 *     Augmenters.scaleJitter(ScaleJitterConfig.builder().outputHeight(512).outputWidth(512)
 *         .minScale(0.2).maxScale(1.5).build()));
 * }</pre>
 *
 * <h2>Reproducibility</h2>
 *
 * Every random choice comes from the generator passed to {@code augment} or {@code sample}, in a
 * fixed order, so one generator per example (split from a run seed) gives the same output on any
 * number of threads. Augmenters hold no mutable state.
 */
public final class Augmenters {
  private Augmenters() {}

  /**
   * Pad + random crop + horizontal flip (+ optional Cutout) for classification.
   *
   * @param config the settings
   * @return the augmenter
   */
  public static Augmenter<ClassTarget> flipCrop(FlipCropConfig config) {
    return new FlipCropAugmenter(checkNotNull(config, "config"));
  }

  /**
   * Different noise for human-labeled and pseudo-labeled examples, for instance strong RandAugment
   * on pseudo examples only (as consistency-training methods do) while the supervised control,
   * which sees only human examples, keeps the human noise. NOTE: Noisy Student itself applies one
   * policy to both.
   *
   * @param human the augmenter of {@code Origin.HUMAN} examples
   * @param pseudo the augmenter of {@code Origin.PSEUDO} examples
   * @param <T> the target type
   * @return the routing augmenter
   */
  public static <T extends Target> Augmenter<T> byOrigin(Augmenter<T> human, Augmenter<T> pseudo) {
    return new OriginAugmenter<>(checkNotNull(human, "human"), checkNotNull(pseudo, "pseudo"));
  }

  /**
   * Augmenters applied in order with the example's generator (any {@link Augmenter}, unlike {@link
   * #compose}, which fuses {@link PolicyAugmenter} stages into one recorded draw).
   *
   * @param parts at least one augmenter
   * @param <T> the target type
   * @return the sequence
   * @throws IllegalArgumentException if {@code parts} is empty
   */
  @SafeVarargs
  public static <T extends Target> Augmenter<T> sequence(Augmenter<T>... parts) {
    checkArgument(parts.length > 0, "parts must not be empty: %s", parts.length);
    for (Augmenter<T> part : parts) {
      checkNotNull(part, "parts");
    }
    return new SequenceAugmenter<>(java.util.List.of(parts));
  }

  /**
   * The identity: returns every example unchanged (what an un-noised teacher trains with).
   *
   * @param <T> the target type
   * @return the augmenter
   */
  public static <T extends Target> Augmenter<T> none() {
    return new Augmenter<>() {
      @Override
      public Example<T> augment(Example<T> example, SplittableRandom rng) {
        return example;
      }

      @Override
      public String describe() {
        return "none";
      }
    };
  }

  /**
   * One of the paper's policies for a task (Zoph et al. 2020, Sec. 3.1): S1 flip + jitter (0.8,
   * 1.2) + crop; S2 AutoAugment + S1; S3 AutoAugment + flip + jitter (0.5, 2.0) + crop; S4
   * RandAugment(2, 10) + flip + jitter (0.5, 2.0) + crop. AutoAugment uses the task's table ({@link
   * Task#autoAugmentPolicy()}).
   *
   * <p>TensorFlow's level-to-pixel constants (translate 100 or 250 px, cutout 40..100 px) were
   * written for one image size per task ({@link Task#referenceSize()}: 224, 640, 512); here they
   * scale with {@code min(outputHeight, outputWidth) / referenceSize}, so the paper's sizes get
   * TF's exact values and a 28x28 image is not translated off the canvas (at 28 px, unscaled
   * RandAugment blanked about a third of the images). For TF's absolute constants at any size,
   * build the stages with {@link #autoAugment} and {@link #randAugment} instead.
   *
   * @param policy S1..S4
   * @param task the task, which also fixes the target type
   * @param outputHeight rows of every output image
   * @param outputWidth columns of every output image
   * @param <T> the target type
   * @return the augmenter
   * @throws IllegalArgumentException if an output size is not positive
   */
  public static <T extends Target> PolicyAugmenter<T> policy(
      AugmentPolicy policy, Task<T> task, int outputHeight, int outputWidth) {
    checkNotNull(policy, "policy");
    checkNotNull(task, "task");
    checkArgument(outputHeight > 0, "outputHeight must be positive: %s", outputHeight);
    checkArgument(outputWidth > 0, "outputWidth must be positive: %s", outputWidth);
    List<Stage> stages = new ArrayList<>();
    double scale = Math.min(outputHeight, outputWidth) / (double) task.referenceSize();
    if (policy.usesAutoAugment()) {
      AutoAugmentPolicy table = task.autoAugmentPolicy();
      AutoAugmentConfig config =
          AutoAugmentConfig.builder()
              .addAllSubPolicies(table.subPolicies())
              .constants(table.constants().scaledBy(scale))
              .build();
      stages.add(new AutoAugmentStage(config, table.name().toLowerCase(java.util.Locale.ROOT)));
    }
    if (policy.usesRandAugment()) {
      stages.add(
          new RandAugmentStage(
              RandAugmentConfig.builder()
                  .constants(OpConstants.randAugment().scaledBy(scale))
                  .build()));
    }
    stages.add(
        new ScaleJitterStage(
            ScaleJitterConfig.builder()
                .outputHeight(outputHeight)
                .outputWidth(outputWidth)
                .minScale(policy.minScale())
                .maxScale(policy.maxScale())
                .build()));
    return new PolicyPipeline<>(
        stages, policy.name() + "/" + task.name() + ": " + describe(stages));
  }

  /**
   * AutoAugment with a given table.
   *
   * @param config the sub-policies and constants
   * @param <T> the target type
   * @return the augmenter
   */
  public static <T extends Target> PolicyAugmenter<T> autoAugment(AutoAugmentConfig config) {
    checkNotNull(config, "config");
    return new PolicyPipeline<>(
        List.of(new AutoAugmentStage(config, config.subPolicies().size() + " sub-policies")));
  }

  /**
   * A published AutoAugment policy.
   *
   * @param policy the table
   * @param <T> the target type
   * @return the augmenter
   */
  public static <T extends Target> PolicyAugmenter<T> autoAugment(AutoAugmentPolicy policy) {
    checkNotNull(policy, "policy");
    return new PolicyPipeline<>(
        List.of(
            new AutoAugmentStage(
                AutoAugmentConfig.of(policy), policy.name().toLowerCase(java.util.Locale.ROOT))));
  }

  /**
   * RandAugment(N, M).
   *
   * @param config N, M, ops and constants
   * @param <T> the target type
   * @return the augmenter
   */
  public static <T extends Target> PolicyAugmenter<T> randAugment(RandAugmentConfig config) {
    checkNotNull(config, "config");
    return new PolicyPipeline<>(List.of(new RandAugmentStage(config)));
  }

  /**
   * Flip + scale jitter + crop to a fixed size.
   *
   * @param config range, output size and flip
   * @param <T> the target type
   * @return the augmenter
   */
  public static <T extends Target> PolicyAugmenter<T> scaleJitter(ScaleJitterConfig config) {
    checkNotNull(config, "config");
    return new PolicyPipeline<>(List.of(new ScaleJitterStage(config)));
  }

  /**
   * One op applied with a probability.
   *
   * @param spec the op, probability and level
   * @param constants the pixel constants of the level-to-argument mapping
   * @param <T> the target type
   * @return the augmenter
   */
  public static <T extends Target> PolicyAugmenter<T> op(OpSpec spec, OpConstants constants) {
    checkNotNull(spec, "spec");
    checkNotNull(constants, "constants");
    return new PolicyPipeline<>(List.of(new OpStage(spec, constants)));
  }

  /**
   * Runs augmenters one after the other; the draw is the concatenation of theirs, and consecutive
   * geometric ops across parts are still fused.
   *
   * @param parts augmenters from this class, in order
   * @param <T> the target type
   * @return the augmenter
   */
  @SafeVarargs
  public static <T extends Target> PolicyAugmenter<T> compose(PolicyAugmenter<T>... parts) {
    checkNotNull(parts, "parts");
    checkArgument(parts.length > 0, "parts must not be empty: %s", parts.length);
    List<Stage> stages = new ArrayList<>();
    for (PolicyAugmenter<T> part : parts) {
      stages.addAll(((PolicyPipeline<T>) checkNotNull(part, "part")).stages());
    }
    return new PolicyPipeline<>(stages);
  }

  /**
   * The device path of a policy: replays its draws on a batch as batched NDArray operations on the
   * device of the {@code NDManager} passed to {@link DeviceAugmenter#apply} (a GPU when the engine
   * has one), giving the same pixels, boxes and masks as {@link PolicyAugmenter#apply} on the same
   * draws.
   *
   * <pre>{@code
   * DeviceAugmenter<MaskTarget> device = Augmenters.device(Augmenters.policy(AugmentPolicy.S3, Task.SEGMENTATION, 512, 512));
   * DeviceBatch<MaskTarget> batch = device.augment(examples, generators, manager);
   * }</pre>
   *
   * @param policy an augmenter from this class
   * @param <T> the target type
   * @return the device augmenter
   */
  public static <T extends Target> DeviceAugmenter<T> device(PolicyAugmenter<T> policy) {
    return new DevicePipeline<>(checkNotNull(policy, "policy"));
  }

  private static String describe(List<Stage> stages) {
    StringBuilder sb = new StringBuilder();
    for (Stage s : stages) {
      sb.append(sb.length() == 0 ? "" : "+").append(s.describe());
    }
    return sb.toString();
  }

  /**
   * Whether the Java loops of the CPU path's bilinear resize (scale jitter in Augment-S1..S4) run
   * on the JDK's Vector API: true when the JVM runs with {@code --add-modules jdk.incubator.vector}
   * and without {@code -Dselftrain.vector=false}. They are used where the native kernel is not
   * ({@link #resizeKernels}). All give identical pixels.
   *
   * @return true if the vectorised row loops are in use
   */
  public static boolean vectorized() {
    return ResizeRows.BEST.describe().equals(ResizeRows.MODULE);
  }

  /**
   * Which loops run the CPU path's bilinear resize (scale jitter in Augment-S1..S4): {@code "native
   * (linux-x86_64)"}, the C kernel the jar carries for Linux x86-64; otherwise the Java loops,
   * {@code "scalar"} or {@code "jdk.incubator.vector"} (see {@link #vectorized}), followed by why
   * the native kernel is not in use, e.g. {@code "scalar (-Dselftrain.native=false)"}. All give
   * identical pixels; see the README's "Augmentation speed" for how fast each is.
   *
   * @return the resize loops in use, in words
   */
  public static String resizeKernels() {
    return NativeKernels.AVAILABLE
        ? NativeKernels.STATUS
        : ResizeRows.BEST.describe() + NativeKernels.STATUS.substring("java".length());
  }
}
