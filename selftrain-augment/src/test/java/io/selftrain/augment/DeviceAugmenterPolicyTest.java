package io.selftrain.augment;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.selftrain.BoxesTarget;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.MaskTarget;
import io.selftrain.Target;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Augment-S1..S4 (Zoph et al. 2020) for classification, detection and segmentation, and every
 * AutoAugment table, device path against CPU path: batches of eight 40x48 images resized to 32x36,
 * draws sampled by the CPU path's policy, pixels, masks and targets compared.
 */
class DeviceAugmenterPolicyTest {
  private static final int BATCH = 8;
  private static final int SEEDS = 3;

  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  static Stream<Arguments> policiesAndTasks() {
    return Stream.of(AugmentPolicy.values())
        .flatMap(
            p ->
                Stream.of(Task.CLASSIFICATION, Task.DETECTION, Task.SEGMENTATION)
                    .map(t -> Arguments.of(p, t)));
  }

  @ParameterizedTest
  @MethodSource("policiesAndTasks")
  void apply_policy_matchesCpu(AugmentPolicy policy, Task<?> task) {
    DeviceComparison total = new DeviceComparison();
    Set<AugmentOp> seen = EnumSet.noneOf(AugmentOp.class);
    for (int seed = 0; seed < SEEDS; seed++) {
      DeviceComparison c = run(policy, task, seed, seen);
      total.maxImageDiff = Math.max(total.maxImageDiff, c.maxImageDiff);
      total.imageMismatches += c.imageMismatches;
      total.imageValues += c.imageValues;
    }
  }

  @SuppressWarnings("unchecked")
  private static DeviceComparison run(
      AugmentPolicy policy, Task<?> task, int seed, Set<AugmentOp> seen) {
    long s = 1000L * seed + 10L * policy.ordinal() + task.name().length();
    if (task == Task.DETECTION) {
      return compare(
          Augmenters.policy(policy, Task.DETECTION, 32, 36),
          DeviceComparison.boxBatch(BATCH, 40, 48, s),
          s,
          seen);
    }
    if (task == Task.SEGMENTATION) {
      return compare(
          Augmenters.policy(policy, Task.SEGMENTATION, 32, 36),
          DeviceComparison.maskBatch(BATCH, 40, 48, s),
          s,
          seen);
    }
    return compare(
        Augmenters.policy(policy, Task.CLASSIFICATION, 32, 36),
        DeviceComparison.classBatch(BATCH, 40, 48, 3, s),
        s,
        seen);
  }

  @ParameterizedTest
  @EnumSource(AutoAugmentPolicy.class)
  void apply_autoAugmentTable_detection_matchesCpu(AutoAugmentPolicy table) {
    PolicyAugmenter<BoxesTarget> policy =
        Augmenters.compose(
            Augmenters.autoAugment(table),
            Augmenters.scaleJitter(
                ScaleJitterConfig.builder()
                    .outputHeight(40)
                    .outputWidth(40)
                    .minScale(0.5)
                    .maxScale(2.0)
                    .build()));
    Set<AugmentOp> seen = EnumSet.noneOf(AugmentOp.class);
    for (int seed = 0; seed < SEEDS; seed++) {
      compare(policy, DeviceComparison.boxBatch(BATCH, 44, 40, 77L + seed), seed, seen);
    }
    assertThat(seen).as("ops the comparison exercised").isNotEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = AugmentPolicy.class,
      names = {"S3", "S4"})
  void apply_largeScaleJitterAt64_matchesCpu(AugmentPolicy policy) {
    // a larger output so that bilinear weights and Equalize's histograms take many distinct values
    PolicyAugmenter<BoxesTarget> augmenter = Augmenters.policy(policy, Task.DETECTION, 64, 64);
    Set<AugmentOp> seen = EnumSet.noneOf(AugmentOp.class);
    DeviceComparison c =
        compare(augmenter, DeviceComparison.boxBatch(4, 72, 80, 500L + policy.ordinal()), 11, seen);
    assertThat(seen).as("ops the comparison exercised").isNotEmpty();
  }

  @Test
  void apply_randAugmentMagnitude27_matchesCpu() {
    // Noisy Student's M = 27 extrapolates: rotate 81 degrees, factor 4.96 (clipped blends),
    // posterize a no-op
    RandAugmentConfig config =
        RandAugmentConfig.builder()
            .numLayers(3)
            .magnitude(27)
            .constants(OpConstants.randAugment().scaledBy(0.2))
            .build();
    PolicyAugmenter<MaskTarget> policy = Augmenters.randAugment(config);
    Set<AugmentOp> seen = EnumSet.noneOf(AugmentOp.class);
    for (int seed = 0; seed < SEEDS; seed++) {
      compare(policy, DeviceComparison.maskBatch(BATCH, 30, 34, 900L + seed), seed, seen);
    }
    assertThat(seen.size()).isGreaterThan(8);
  }

  @Test
  void apply_greyImages_matchesCpu() {
    // one channel: Color is the identity, Contrast averages the pixels themselves
    RandAugmentConfig config =
        RandAugmentConfig.builder()
            .numLayers(3)
            .magnitude(9)
            .constants(OpConstants.randAugment().scaledBy(0.2))
            .build();
    PolicyAugmenter<ClassTarget> policy =
        Augmenters.compose(
            Augmenters.randAugment(config),
            Augmenters.scaleJitter(
                ScaleJitterConfig.builder()
                    .outputHeight(28)
                    .outputWidth(28)
                    .minScale(0.8)
                    .maxScale(1.2)
                    .build()));
    Set<AugmentOp> seen = EnumSet.noneOf(AugmentOp.class);
    for (int seed = 0; seed < SEEDS; seed++) {
      compare(policy, DeviceComparison.classBatch(BATCH, 28, 28, 1, 300L + seed), seed, seen);
    }
    assertThat(seen).contains(AugmentOp.COLOR, AugmentOp.CONTRAST);
  }

  private static <T extends Target> DeviceComparison compare(
      PolicyAugmenter<T> policy, List<Example<T>> batch, long seed, Set<AugmentOp> seen) {
    List<List<AugmentStep>> draws = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      List<AugmentStep> draw = policy.sample(batch.get(i), new SplittableRandom(seed * 31 + i));
      draw.forEach(
          step -> {
            if (step instanceof OpParams p) {
              seen.add(p.op());
            }
          });
      draws.add(draw);
    }
    return new DeviceComparison().compare(policy, batch, draws, manager);
  }
}
