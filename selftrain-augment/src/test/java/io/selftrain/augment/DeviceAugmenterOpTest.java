package io.selftrain.augment;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.selftrain.BoxesTarget;
import io.selftrain.Example;
import io.selftrain.MaskTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every op of the registry, device path against CPU path on the same draws: a batch of eight 36x44
 * images where two examples skip the op (drawn as not run), two run it next to a geometric op, and
 * the rest run it alone at levels 1..10; detection (boxes, box-only ops with per-box probability 1
 * or a third) and segmentation (masks).
 */
class DeviceAugmenterOpTest {
  private static final double[] LEVELS = {1, 3, 5, 7, 9, 10, 2, 6};
  private static final OpConstants CONSTANTS = OpConstants.randAugment().scaledBy(0.3);
  private static final PolicyAugmenter<BoxesTarget> BOX_REPLAY =
      Augmenters.randAugment(RandAugmentConfig.builder().numLayers(0).build());
  private static final PolicyAugmenter<MaskTarget> MASK_REPLAY =
      Augmenters.randAugment(RandAugmentConfig.builder().numLayers(0).build());

  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  /**
   * Example i's draw: none (i = 3, 7), the op then ROTATE (i = 5), SHEAR_X then the op (i = 6),
   * else the op alone.
   */
  private static List<List<AugmentStep>> draws(AugmentOp op, long seed) {
    List<List<AugmentStep>> draws = new ArrayList<>();
    for (int i = 0; i < LEVELS.length; i++) {
      SplittableRandom rng = new SplittableRandom(seed * 100 + i);
      OpParams p = op.sample(LEVELS[i], 1.0, CONSTANTS, rng);
      if (op.isBoxesOnly() && i % 2 == 0) {
        p = new OpParams(op, p.argument(), 1.0, p.seed());
      }
      List<AugmentStep> draw = new ArrayList<>();
      switch (i) {
        case 3, 7 -> {}
        case 5 -> {
          draw.add(p);
          draw.add(AugmentOp.ROTATE.sample(4, 1.0, CONSTANTS, rng));
        }
        case 6 -> {
          draw.add(AugmentOp.SHEAR_X.sample(6, 1.0, CONSTANTS, rng));
          draw.add(p);
        }
        default -> draw.add(p);
      }
      draws.add(draw);
    }
    return draws;
  }

  @ParameterizedTest
  @EnumSource(AugmentOp.class)
  void apply_detection_matchesCpu(AugmentOp op) {
    List<Example<BoxesTarget>> batch =
        DeviceComparison.boxBatch(LEVELS.length, 36, 44, op.ordinal());
    report(
        op, "detection", new DeviceComparison().compare(BOX_REPLAY, batch, draws(op, 1), manager));
  }

  @ParameterizedTest
  @EnumSource(AugmentOp.class)
  void apply_segmentation_matchesCpu(AugmentOp op) {
    List<Example<MaskTarget>> batch =
        DeviceComparison.maskBatch(LEVELS.length, 36, 44, op.ordinal() + 100);
    report(
        op,
        "segmentation",
        new DeviceComparison().compare(MASK_REPLAY, batch, draws(op, 2), manager));
  }

  /** Restates the bounds for this op on the measured agreement (compare asserted them already). */
  private static void report(AugmentOp op, String task, DeviceComparison c) {
    assertThat(c.maxImageDiff)
        .as("%s %s: largest pixel difference", op, task)
        .isLessThanOrEqualTo(DeviceComparison.TOLERANCE);
    assertThat(c.maskMismatches).as("%s %s: mask values that differ", op, task).isZero();
  }
}
