package io.selftrain.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.selftrain.BoxesTarget;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.Origin;
import io.selftrain.Target;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The device path's contract: shapes, memory, argument checks, mixed draws and edge-case images.
 */
class DeviceAugmenterTest {
  private static final PolicyAugmenter<BoxesTarget> S4 =
      Augmenters.policy(AugmentPolicy.S4, Task.DETECTION, 32, 32);
  private static final PolicyAugmenter<BoxesTarget> REPLAY =
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

  private static <T extends Target> List<List<AugmentStep>> sample(
      PolicyAugmenter<T> policy, List<Example<T>> batch, long seed) {
    List<List<AugmentStep>> draws = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      draws.add(policy.sample(batch.get(i), new SplittableRandom(seed + i)));
    }
    return draws;
  }

  @Test
  void apply_detection_leavesOnlyTheImagesOnTheManager() {
    List<Example<BoxesTarget>> batch = DeviceComparison.boxBatch(6, 40, 36, 1);
    List<List<AugmentStep>> draws = sample(S4, batch, 5);
    int before = manager.getManagedArrays().size();
    DeviceBatch<BoxesTarget> out = Augmenters.device(S4).apply(batch, draws, manager);
    assertThat(manager.getManagedArrays()).as("arrays left on the manager").hasSize(before + 1);
    assertThat(out.images().getShape()).isEqualTo(new Shape(6, 3, 32, 32));
    assertThat(out.images().getDataType()).isEqualTo(DataType.UINT8);
    assertThat(out.masks()).isEmpty();
    assertThat(out.size()).isEqualTo(6);
    out.close();
    assertThat(manager.getManagedArrays()).hasSize(before);
  }

  @Test
  void apply_segmentation_leavesImagesAndMasks() {
    PolicyAugmenter<MaskTarget> s3 = Augmenters.policy(AugmentPolicy.S3, Task.SEGMENTATION, 24, 28);
    List<Example<MaskTarget>> batch = DeviceComparison.maskBatch(5, 30, 30, 2);
    List<List<AugmentStep>> draws = sample(s3, batch, 9);
    int before = manager.getManagedArrays().size();
    try (DeviceBatch<MaskTarget> out = Augmenters.device(s3).apply(batch, draws, manager)) {
      assertThat(manager.getManagedArrays()).hasSize(before + 2);
      NDArray masks = out.masks().orElseThrow();
      assertThat(masks.getShape()).isEqualTo(new Shape(5, 24, 28));
      assertThat(masks.getDataType()).isEqualTo(DataType.UINT8);
      assertThat(out.targets()).hasSize(5).allSatisfy(t -> assertThat(t.height()).isEqualTo(24));
    }
    assertThat(manager.getManagedArrays()).hasSize(before);
  }

  @Test
  void apply_changesPixels_andBoxesFollow() {
    List<Example<BoxesTarget>> batch = DeviceComparison.boxBatch(4, 32, 32, 3);
    List<List<AugmentStep>> draws = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      draws.add(
          List.of(
              new OpParams(AugmentOp.ROTATE, 20 + 10 * i, 0, i),
              new OpParams(AugmentOp.INVERT, 0, 0, i)));
    }
    try (DeviceBatch<BoxesTarget> out = Augmenters.device(REPLAY).apply(batch, draws, manager)) {
      byte[] pixels = out.images().toByteArray();
      byte[] first = Arrays.copyOf(pixels, 3 * 32 * 32);
      byte[] input = chw(batch.get(0).image());
      assertThat(first).isNotEqualTo(input);
      assertThat(out.targets().get(0)).isNotEqualTo(batch.get(0).target());
    }
  }

  @Test
  void apply_mixedDraws_matchCpu() {
    // different lengths and kinds per example; two flips fuse into the identity and are skipped
    List<Example<BoxesTarget>> batch = DeviceComparison.boxBatch(6, 30, 34, 4);
    List<List<AugmentStep>> draws =
        List.of(
            List.of(),
            List.of(new OpParams(AugmentOp.EQUALIZE, 0, 0, 1)),
            List.of(
                new OpParams(AugmentOp.ROTATE, 17, 0, 2),
                new OpParams(AugmentOp.COLOR, 1.7, 0, 2),
                new OpParams(AugmentOp.TRANSLATE_X, -6, 0, 2)),
            List.of(
                new OpParams(AugmentOp.CUTOUT, 5, 0, 3),
                new OpParams(AugmentOp.CUTOUT, 9, 0, 4),
                new OpParams(AugmentOp.BBOX_CUTOUT, 0.6, 0, 5)),
            List.of(new OpParams(AugmentOp.FLIP, 0, 0, 6), new OpParams(AugmentOp.FLIP, 0, 0, 7)),
            List.of(
                new OpParams(AugmentOp.CUTOUT_ONLY_BBOXES, 4, 1, 8),
                new OpParams(AugmentOp.EQUALIZE, 0, 0, 9),
                new OpParams(AugmentOp.SHEAR_Y, 0.2, 0, 9)));
    new DeviceComparison().compare(REPLAY, batch, draws, manager);
  }

  @ParameterizedTest
  @EnumSource(
      value = AugmentOp.class,
      names = {"AUTO_CONTRAST", "EQUALIZE", "CONTRAST", "SHARPNESS", "COLOR", "POSTERIZE"})
  void apply_flatAndTinyImages_matchCpu(AugmentOp op) {
    // flat channels (autocontrast keeps them, equalize's step is 0), a few outliers, and 2x2 / 3x3
    // images
    for (int[] size : new int[][] {{12, 10}, {2, 2}, {3, 3}, {1, 5}}) {
      List<Example<BoxesTarget>> batch = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        byte[] p = new byte[size[0] * size[1] * 3];
        Arrays.fill(p, (byte) (40 * i + 7));
        for (int j = 0; j < i; j++) {
          p[(j * 7) % p.length] = (byte) (250 - 30 * j);
        }
        Image image = Image.of(size[0], size[1], 3, p);
        batch.add(new Example<>(image, BoxesTarget.of(new float[0], new int[0]), Origin.HUMAN));
      }
      List<List<AugmentStep>> draws = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        draws.add(
            List.of(op.sample(2 + 2 * i, 1, OpConstants.randAugment(), new SplittableRandom(i))));
      }
      new DeviceComparison().compare(REPLAY, batch, draws, manager);
    }
  }

  @Test
  void augment_equalsApplyOfTheSameSamples() {
    List<Example<BoxesTarget>> batch = DeviceComparison.boxBatch(4, 36, 36, 6);
    DeviceAugmenter<BoxesTarget> device = Augmenters.device(S4);
    List<SplittableRandom> generators =
        List.of(
            new SplittableRandom(1),
            new SplittableRandom(2),
            new SplittableRandom(3),
            new SplittableRandom(4));
    try (DeviceBatch<BoxesTarget> a = device.augment(batch, generators, manager);
        DeviceBatch<BoxesTarget> b = device.apply(batch, sample(S4, batch, 1), manager)) {
      assertThat(a.images().toByteArray()).isEqualTo(b.images().toByteArray());
      assertThat(a.targets()).isEqualTo(b.targets());
    }
    assertThat(device.policy()).isSameAs(S4);
  }

  @Test
  void apply_fewerDrawsThanExamples_throws() {
    List<Example<BoxesTarget>> batch = DeviceComparison.boxBatch(3, 32, 32, 7);
    List<List<AugmentStep>> draws = sample(S4, batch, 1).subList(0, 2);
    assertThatThrownBy(() -> Augmenters.device(S4).apply(batch, draws, manager))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("draws")
        .hasMessageContaining("3")
        .hasMessageContaining("2");
  }

  @Test
  void augment_fewerGeneratorsThanExamples_throws() {
    List<Example<BoxesTarget>> batch = DeviceComparison.boxBatch(3, 32, 32, 7);
    assertThatThrownBy(
            () -> Augmenters.device(S4).augment(batch, List.of(new SplittableRandom(1)), manager))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("generators")
        .hasMessageContaining("1");
  }

  @Test
  void apply_differentImageSizes_throws() {
    List<Example<BoxesTarget>> batch = new ArrayList<>(DeviceComparison.boxBatch(2, 32, 32, 8));
    batch.addAll(DeviceComparison.boxBatch(1, 32, 30, 9));
    assertThatThrownBy(() -> Augmenters.device(S4).apply(batch, sample(S4, batch, 1), manager))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("examples")
        .hasMessageContaining("example 2")
        .hasMessageContaining("32x30");
  }

  @Test
  void apply_differentChannels_throws() {
    PolicyAugmenter<ClassTarget> s1 =
        Augmenters.policy(AugmentPolicy.S1, Task.CLASSIFICATION, 16, 16);
    List<Example<ClassTarget>> batch =
        new ArrayList<>(DeviceComparison.classBatch(1, 16, 16, 3, 1));
    batch.addAll(DeviceComparison.classBatch(1, 16, 16, 1, 2));
    assertThatThrownBy(() -> Augmenters.device(s1).apply(batch, sample(s1, batch, 1), manager))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("example 1")
        .hasMessageContaining("16x16x1");
  }

  @Test
  void apply_emptyBatch_throws() {
    assertThatThrownBy(() -> Augmenters.device(S4).apply(List.of(), List.of(), manager))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("examples")
        .hasMessageContaining("0");
  }

  @Test
  void apply_drawsResizingToDifferentSizes_throws() {
    PolicyAugmenter<BoxesTarget> small =
        Augmenters.policy(AugmentPolicy.S1, Task.DETECTION, 24, 24);
    List<Example<BoxesTarget>> batch = DeviceComparison.boxBatch(2, 32, 32, 10);
    List<List<AugmentStep>> draws =
        List.of(
            S4.sample(batch.get(0), new SplittableRandom(1)),
            small.sample(batch.get(1), new SplittableRandom(2)));
    assertThatThrownBy(() -> Augmenters.device(S4).apply(batch, draws, manager))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("draws")
        .hasMessageContaining("32x32")
        .hasMessageContaining("24x24");
  }

  @Test
  void apply_masksMixedWithOtherTargets_throws() {
    PolicyAugmenter<Target> replay =
        Augmenters.randAugment(RandAugmentConfig.builder().numLayers(0).build());
    List<Example<Target>> batch =
        List.of(
            new Example<>(
                DeviceComparison.maskBatch(1, 16, 16, 1).get(0).image(),
                MaskTarget.of(16, 16, new byte[256]),
                Origin.HUMAN),
            new Example<>(
                DeviceComparison.maskBatch(1, 16, 16, 2).get(0).image(),
                ClassTarget.index(0, 2),
                Origin.HUMAN));
    assertThatThrownBy(
            () -> Augmenters.device(replay).apply(batch, List.of(List.of(), List.of()), manager))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mask")
        .hasMessageContaining("example 1");
  }

  @Test
  void apply_nullManager_throws() {
    List<Example<BoxesTarget>> batch = DeviceComparison.boxBatch(1, 16, 16, 1);
    assertThatThrownBy(() -> Augmenters.device(S4).apply(batch, sample(S4, batch, 1), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("manager");
  }

  private static byte[] chw(Image image) {
    int h = image.height();
    int w = image.width();
    byte[] out = new byte[3 * h * w];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          out[(c * h + y) * w + x] = (byte) image.get(y, x, c);
        }
      }
    }
    return out;
  }
}
