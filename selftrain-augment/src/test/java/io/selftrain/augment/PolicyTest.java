package io.selftrain.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.selftrain.BoxesTarget;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.Origin;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PolicyTest {
  private static final int[] RECT_RGB = {230, 40, 230};
  private static final int[] BACKGROUND_RGB = {20, 200, 20};

  /**
   * Keeps the steps that move pixels (geometric ops and resize-crop), so shapes stay recognisable.
   */
  private static List<AugmentStep> geometryOnly(List<AugmentStep> draw) {
    return draw.stream()
        .filter(s -> s instanceof ResizeCrop || ((OpParams) s).op().isGeometric())
        .collect(Collectors.toList());
  }

  /**
   * Two-colour image: {@link #RECT_RGB} inside [x1, x2) x [y1, y2), {@link #BACKGROUND_RGB}
   * elsewhere.
   */
  private static Image twoColour(int height, int width, int x1, int y1, int x2, int y2) {
    byte[] p = new byte[height * width * 3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int[] c = x >= x1 && x < x2 && y >= y1 && y < y2 ? RECT_RGB : BACKGROUND_RGB;
        for (int k = 0; k < 3; k++) {
          p[(y * width + x) * 3 + k] = (byte) c[k];
        }
      }
    }
    return Image.of(height, width, 3, p);
  }

  private static boolean is(Image img, int y, int x, int r, int g, int b) {
    return img.get(y, x, 0) == r && img.get(y, x, 1) == g && img.get(y, x, 2) == b;
  }

  @ParameterizedTest
  @EnumSource(AugmentPolicy.class)
  void policy_detection_outputSizeAndBoxesInside(AugmentPolicy policy) {
    PolicyAugmenter<BoxesTarget> a = Augmenters.policy(policy, Task.DETECTION, 64, 80);
    Example<BoxesTarget> in = Fixtures.twoBoxes();
    for (long seed = 0; seed < 30; seed++) {
      Example<BoxesTarget> out = a.augment(in, new SplittableRandom(seed));
      assertThat(out.image().height()).isEqualTo(64);
      assertThat(out.image().width()).isEqualTo(80);
      assertThat(out.image().channels()).isEqualTo(3);
      float[] b = out.target().boxes();
      for (int i = 0; i < out.target().size(); i++) {
        assertThat(b[4 * i]).isGreaterThanOrEqualTo(0f).isLessThan(b[4 * i + 2]);
        assertThat(b[4 * i + 2]).isLessThanOrEqualTo(80f);
        assertThat(b[4 * i + 1]).isGreaterThanOrEqualTo(0f).isLessThan(b[4 * i + 3]);
        assertThat(b[4 * i + 3]).isLessThanOrEqualTo(64f);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AugmentPolicy.class)
  void augment_sameSeed_sameOutput_andReplayMatches(AugmentPolicy policy) {
    PolicyAugmenter<BoxesTarget> a = Augmenters.policy(policy, Task.DETECTION, 48, 48);
    Example<BoxesTarget> in = Fixtures.twoBoxes();
    for (long seed = 0; seed < 10; seed++) {
      Example<BoxesTarget> x = a.augment(in, new SplittableRandom(seed));
      Example<BoxesTarget> y = a.augment(in, new SplittableRandom(seed));
      List<AugmentStep> draw = a.sample(in, new SplittableRandom(seed));
      Example<BoxesTarget> z = a.apply(in, draw);
      assertThat(x.image()).isEqualTo(y.image()).isEqualTo(z.image());
      assertThat(x.target()).isEqualTo(y.target()).isEqualTo(z.target());
    }
  }

  @ParameterizedTest
  @EnumSource(AugmentPolicy.class)
  void augment_differentSeeds_differ(AugmentPolicy policy) {
    // large enough that Translate (100 px) and Cutout (half-side 40) do not grey out the whole
    // image
    PolicyAugmenter<ClassTarget> a = Augmenters.policy(policy, Task.CLASSIFICATION, 64, 64);
    Example<ClassTarget> in =
        new Example<>(Fixtures.gradient(160, 150), ClassTarget.index(4, 10), Origin.HUMAN);
    java.util.Set<Image> seen = new java.util.HashSet<>();
    for (long seed = 0; seed < 20; seed++) {
      Example<ClassTarget> out = a.augment(in, new SplittableRandom(seed));
      assertThat(out.target()).isSameAs(in.target());
      seen.add(out.image());
    }
    assertThat(seen).hasSizeGreaterThan(15);
  }

  @ParameterizedTest
  @EnumSource(AugmentPolicy.class)
  void augment_parallel_equalsSequential(AugmentPolicy policy) {
    PolicyAugmenter<BoxesTarget> a = Augmenters.policy(policy, Task.DETECTION, 40, 40);
    Example<BoxesTarget> in = Fixtures.twoBoxes();
    SplittableRandom root = new SplittableRandom(2020);
    List<SplittableRandom> perExample = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      perExample.add(root.split());
    }
    // copies, so each run consumes its own generator state
    List<Long> seeds =
        perExample.stream().map(SplittableRandom::nextLong).collect(Collectors.toList());
    List<Example<BoxesTarget>> sequential =
        seeds.stream()
            .map(s -> a.augment(in, new SplittableRandom(s)))
            .collect(Collectors.toList());
    List<Example<BoxesTarget>> parallel =
        IntStream.range(0, seeds.size())
            .parallel()
            .mapToObj(i -> a.augment(in, new SplittableRandom(seeds.get(i))))
            .collect(Collectors.toList());
    for (int i = 0; i < seeds.size(); i++) {
      assertThat(parallel.get(i).image()).isEqualTo(sequential.get(i).image());
      assertThat(parallel.get(i).target()).isEqualTo(sequential.get(i).target());
    }
  }

  @ParameterizedTest
  @EnumSource(AugmentPolicy.class)
  void policy_detection_boxesEncloseMovedRectangle(AugmentPolicy policy) {
    PolicyAugmenter<BoxesTarget> a = Augmenters.policy(policy, Task.DETECTION, 64, 64);
    Example<BoxesTarget> in = Fixtures.rectangleExample(60, 70, 18, 14, 46, 40);
    int checked = 0;
    for (long seed = 0; seed < 40; seed++) {
      List<AugmentStep> draw = geometryOnly(a.sample(in, new SplittableRandom(seed)));
      Example<BoxesTarget> out = a.apply(in, draw);
      // bilinear resampling blurs the edge over one pixel: threshold between background (< 100) and
      // 230
      int[] pixels = Fixtures.rectangleBounds(out.image(), 165);
      if (pixels == null || out.target().size() == 0) {
        assertThat(pixels == null ? 0 : (pixels[2] - pixels[0]) * (pixels[3] - pixels[1]))
            .as("draw %s", draw)
            .isLessThanOrEqualTo(4);
        continue;
      }
      float[] box = out.target().boxes();
      for (int k = 0; k < 4; k++) {
        assertThat((double) box[k])
            .as("draw %s corner %s", draw, k)
            .isCloseTo(pixels[k], within(2.0));
      }
      checked++;
    }
    assertThat(checked).isGreaterThan(20);
  }

  @ParameterizedTest
  @EnumSource(AugmentPolicy.class)
  void policy_segmentation_maskAlignedWithPixels(AugmentPolicy policy) {
    PolicyAugmenter<MaskTarget> a = Augmenters.policy(policy, Task.SEGMENTATION, 56, 56);
    int h = 50;
    int w = 60;
    byte[] m = new byte[h * w];
    for (int y = 12; y < 38; y++) {
      for (int x = 15; x < 40; x++) {
        m[y * w + x] = 1;
      }
    }
    Example<MaskTarget> in =
        new Example<>(twoColour(h, w, 15, 12, 40, 38), MaskTarget.of(h, w, m), Origin.HUMAN);
    for (long seed = 0; seed < 25; seed++) {
      List<AugmentStep> draw = geometryOnly(a.sample(in, new SplittableRandom(seed)));
      Example<MaskTarget> out = a.apply(in, draw);
      Image img = out.image();
      int exact = 0;
      for (int y = 0; y < 56; y++) {
        for (int x = 0; x < 56; x++) {
          int label = out.target().get(y, x);
          if (is(img, y, x, RECT_RGB[0], RECT_RGB[1], RECT_RGB[2])) {
            assertThat(label).as("draw %s at (%s,%s)", draw, y, x).isEqualTo(1);
            exact++;
          } else if (is(img, y, x, BACKGROUND_RGB[0], BACKGROUND_RGB[1], BACKGROUND_RGB[2])) {
            assertThat(label).as("draw %s at (%s,%s)", draw, y, x).isZero();
            exact++;
          } else if (is(img, y, x, 128, 128, 128)) {
            assertThat(label).as("draw %s at (%s,%s)", draw, y, x).isEqualTo(MaskTarget.IGNORE);
            exact++;
          } else {
            assertThat(label).isIn(0, 1, MaskTarget.IGNORE);
          }
        }
      }
      assertThat(exact).as("most pixels are exact colours").isGreaterThan(56 * 56 / 2);
    }
  }

  @Test
  void fusedWarp_matchesSequentialWarps() {
    Example<BoxesTarget> in = Fixtures.rectangleExample(60, 60, 20, 20, 40, 36);
    List<AugmentStep> draw =
        List.of(
            new OpParams(AugmentOp.ROTATE, 20, 0, 1),
            new OpParams(AugmentOp.SHEAR_X, 0.15, 0, 2),
            new OpParams(AugmentOp.TRANSLATE_Y, 6, 0, 3));
    Work fused = Work.of(in);
    PolicyPipeline.execute(fused, draw, true);
    Work sequential = Work.of(in);
    PolicyPipeline.execute(sequential, draw, false);
    // on noise every one-pixel rounding difference shows, so compare the rectangle's footprint
    int both = 0;
    int either = 0;
    for (int i = 0; i < fused.pixels.length; i += 3) {
      boolean a = (fused.pixels[i] & 0xFF) == Fixtures.RECT;
      boolean b = (sequential.pixels[i] & 0xFF) == Fixtures.RECT;
      both += a && b ? 1 : 0;
      either += a || b ? 1 : 0;
    }
    assertThat(either).isGreaterThan(200);
    assertThat((double) both / either)
        .as("IoU of the rectangle resampled once vs three times")
        .isGreaterThan(0.85);
    // one corner-wise enclosure is inside the three nested ones
    assertThat(fused.boxes[0]).isGreaterThanOrEqualTo(sequential.boxes[0] - 1e-3f);
    assertThat(fused.boxes[1]).isGreaterThanOrEqualTo(sequential.boxes[1] - 1e-3f);
    assertThat(fused.boxes[2]).isLessThanOrEqualTo(sequential.boxes[2] + 1e-3f);
    assertThat(fused.boxes[3]).isLessThanOrEqualTo(sequential.boxes[3] + 1e-3f);
  }

  @Test
  void autoAugmentPolicy_tableSizes() {
    assertThat(AutoAugmentPolicy.IMAGENET.subPolicies()).hasSize(25);
    assertThat(AutoAugmentPolicy.DETECTION_V0.subPolicies()).hasSize(5);
    assertThat(AutoAugmentPolicy.DETECTION_V1.subPolicies()).hasSize(20);
    assertThat(AutoAugmentPolicy.DETECTION_V2.subPolicies()).hasSize(15);
    assertThat(AutoAugmentPolicy.DETECTION_V3.subPolicies()).hasSize(15);
    assertThat(AutoAugmentPolicy.DETECTION_V0.subPolicies().get(1))
        .containsExactly(
            OpSpec.of(AugmentOp.TRANSLATE_Y_ONLY_BBOXES, 0.2, 2),
            OpSpec.of(AugmentOp.CUTOUT, 0.8, 8));
    assertThat(AutoAugmentPolicy.DETECTION_V1.subPolicies().subList(0, 5))
        .isEqualTo(AutoAugmentPolicy.DETECTION_V0.subPolicies());
  }

  @Test
  void autoAugment_probabilities_andBoxOnlyAlwaysRuns() {
    AutoAugmentConfig config =
        AutoAugmentConfig.builder()
            .addSubPolicies(
                List.of(
                    OpSpec.of(AugmentOp.EQUALIZE, 1.0, 0),
                    OpSpec.of(AugmentOp.COLOR, 0.0, 5),
                    OpSpec.of(AugmentOp.CUTOUT_ONLY_BBOXES, 0.3, 6)))
            .constants(OpConstants.detection())
            .build();
    PolicyAugmenter<BoxesTarget> a = Augmenters.autoAugment(config);
    for (long seed = 0; seed < 20; seed++) {
      List<AugmentStep> draw = a.sample(Fixtures.twoBoxes(), new SplittableRandom(seed));
      assertThat(draw)
          .extracting(s -> ((OpParams) s).op())
          .containsExactly(AugmentOp.EQUALIZE, AugmentOp.CUTOUT_ONLY_BBOXES);
      assertThat(((OpParams) draw.get(1)).boxProbability()).isCloseTo(0.1, within(1e-12));
    }
  }

  @Test
  void autoAugment_choosesEverySubPolicy() {
    PolicyAugmenter<BoxesTarget> a = Augmenters.autoAugment(AutoAugmentPolicy.DETECTION_V0);
    java.util.Set<AugmentOp> firstOps = new java.util.HashSet<>();
    for (long seed = 0; seed < 200; seed++) {
      a.sample(Fixtures.twoBoxes(), new SplittableRandom(seed))
          .forEach(s -> firstOps.add(((OpParams) s).op()));
    }
    assertThat(firstOps)
        .contains(
            AugmentOp.TRANSLATE_X,
            AugmentOp.EQUALIZE,
            AugmentOp.TRANSLATE_Y_ONLY_BBOXES,
            AugmentOp.CUTOUT,
            AugmentOp.SHEAR_Y,
            AugmentOp.ROTATE,
            AugmentOp.COLOR);
  }

  @Test
  void randAugment_drawsNOpsAtMagnitudeM() {
    PolicyAugmenter<ClassTarget> a =
        Augmenters.randAugment(RandAugmentConfig.builder().numLayers(3).magnitude(27).build());
    for (long seed = 0; seed < 30; seed++) {
      List<AugmentStep> draw = a.sample(Fixtures.classExample(), new SplittableRandom(seed));
      assertThat(draw).hasSize(3);
      for (AugmentStep s : draw) {
        OpParams p = (OpParams) s;
        assertThat(RandAugmentConfig.TF_OPS).contains(p.op());
        assertThat(Math.abs(p.argument()))
            .isCloseTo(p.op().argument(27, OpConstants.randAugment()), within(1e-12));
      }
      Example<ClassTarget> out = a.apply(Fixtures.classExample(), draw);
      assertThat(out.image().height()).isEqualTo(40);
    }
  }

  @Test
  void randAugmentConfig_specRoundTrip() {
    RandAugmentConfig c = RandAugmentConfig.parse("rand-m27-n3");
    assertThat(c.magnitude()).isEqualTo(27);
    assertThat(c.numLayers()).isEqualTo(3);
    assertThat(c.spec()).isEqualTo("rand-m27-n3");
    assertThat(RandAugmentConfig.parse("rand").spec()).isEqualTo("rand-m10-n2");
  }

  @Test
  void randAugmentConfig_parse_bad() {
    assertThatThrownBy(() -> RandAugmentConfig.parse("rand-x3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spec")
        .hasMessageContaining("rand-x3");
  }

  @Test
  void scaleJitter_sizesWithinRange() {
    PolicyAugmenter<ClassTarget> a =
        Augmenters.scaleJitter(
            ScaleJitterConfig.builder()
                .outputHeight(100)
                .outputWidth(100)
                .minScale(0.5)
                .maxScale(2.0)
                .build());
    Example<ClassTarget> in =
        new Example<>(Fixtures.gradient(50, 100), ClassTarget.index(0, 2), Origin.HUMAN);
    for (long seed = 0; seed < 50; seed++) {
      ResizeCrop r = (ResizeCrop) a.sample(in, new SplittableRandom(seed)).get(0);
      // aspect kept: width is the limiting side of a 1:2 input in a square output
      assertThat(r.scaledWidth()).isBetween(50, 200);
      assertThat(Math.abs(r.scaledHeight() * 2 - r.scaledWidth())).isLessThanOrEqualTo(1);
      assertThat(r.offsetX()).isBetween(0, Math.max(0, r.scaledWidth() - 100));
      assertThat(r.offsetY()).isEqualTo(0);
    }
  }

  @Test
  void scaleJitter_padsBottomRightWithFill() {
    Example<BoxesTarget> in = Fixtures.rectangleExample(40, 40, 5, 5, 15, 15);
    PolicyAugmenter<BoxesTarget> a =
        Augmenters.scaleJitter(
            ScaleJitterConfig.builder().outputHeight(40).outputWidth(40).build());
    Example<BoxesTarget> out = a.apply(in, List.of(new ResizeCrop(20, 20, 0, 0, false, 40, 40)));
    assertThat(out.image().get(30, 30, 0)).isEqualTo(128);
    assertThat(out.image().get(10, 30, 2)).isEqualTo(128);
    assertThat(out.target().boxes()).containsExactly(2.5f, 2.5f, 7.5f, 7.5f);
  }

  @Test
  void scaleJitter_flip_mirrorsBox() {
    Example<BoxesTarget> in = Fixtures.rectangleExample(40, 40, 5, 10, 15, 20);
    PolicyAugmenter<BoxesTarget> a =
        Augmenters.scaleJitter(
            ScaleJitterConfig.builder().outputHeight(40).outputWidth(40).build());
    Example<BoxesTarget> out = a.apply(in, List.of(new ResizeCrop(40, 40, 0, 0, true, 40, 40)));
    assertThat(out.target().boxes()).containsExactly(25f, 10f, 35f, 20f);
    assertThat(Fixtures.rectangleBounds(out.image())).containsExactly(25, 10, 35, 20);
  }

  @Test
  void scaleJitterConfig_maxBelowMin() {
    assertThatThrownBy(
            () ->
                ScaleJitterConfig.builder()
                    .outputHeight(8)
                    .outputWidth(8)
                    .minScale(2)
                    .maxScale(1)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maxScale")
        .hasMessageContaining("1.0");
  }

  @Test
  void opSpec_probabilityOutOfRange() {
    assertThatThrownBy(() -> OpSpec.of(AugmentOp.INVERT, 1.5, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("probability")
        .hasMessageContaining("1.5");
  }

  @Test
  void policy_badOutputSize() {
    assertThatThrownBy(() -> Augmenters.policy(AugmentPolicy.S1, Task.DETECTION, 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outputHeight")
        .hasMessageContaining("0");
  }

  @Test
  void compose_runsPartsInOrder_andDescribes() {
    PolicyAugmenter<BoxesTarget> a =
        Augmenters.compose(
            Augmenters.op(OpSpec.of(AugmentOp.ROTATE, 1.0, 5), OpConstants.randAugment()),
            Augmenters.autoAugment(AutoAugmentPolicy.DETECTION_V3),
            Augmenters.scaleJitter(
                ScaleJitterConfig.builder().outputHeight(32).outputWidth(32).build()));
    List<AugmentStep> draw = a.sample(Fixtures.twoBoxes(), new SplittableRandom(5));
    assertThat(((OpParams) draw.get(0)).op()).isEqualTo(AugmentOp.ROTATE);
    assertThat(draw.get(draw.size() - 1)).isInstanceOf(ResizeCrop.class);
    assertThat(a.describe()).contains("Rotate", "detection_v3", "jitter");
    assertThat(a.augment(Fixtures.twoBoxes(), new SplittableRandom(5)).image().height())
        .isEqualTo(32);
  }

  @Test
  void describe_namesPolicyAndTask() {
    assertThat(Augmenters.policy(AugmentPolicy.S4, Task.DETECTION, 640, 640).describe())
        .startsWith("S4/detection")
        .contains("rand-m10-n2", "0.5-2.0");
    assertThat(Augmenters.policy(AugmentPolicy.S2, Task.CLASSIFICATION, 224, 224).describe())
        .contains("imagenet", "0.8-1.2");
  }

  @Test
  void randAugment_withIdentityChoice_tfModelsVariant() {
    List<AugmentOp> ops = new ArrayList<>(RandAugmentConfig.TF_OPS);
    ops.add(AugmentOp.IDENTITY);
    PolicyAugmenter<MaskTarget> a =
        Augmenters.randAugment(RandAugmentConfig.builder().ops(ops).magnitude(27).build());
    Example<MaskTarget> in = Fixtures.maskExample(40, 40, 5, 5, 30, 30);
    java.util.Set<AugmentOp> seen = new java.util.HashSet<>();
    for (long seed = 0; seed < 300; seed++) {
      List<AugmentStep> draw = a.sample(in, new SplittableRandom(seed));
      draw.forEach(st -> seen.add(((OpParams) st).op()));
      Example<MaskTarget> out = a.apply(in, draw);
      assertThat(out.target().height()).isEqualTo(40);
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(ops);
  }

  @ParameterizedTest
  @EnumSource(AugmentPolicy.class)
  void policy_largeBoxesAndExtremeLevels_boxesFinite(AugmentPolicy policy) {
    PolicyAugmenter<BoxesTarget> a =
        Augmenters.compose(
            Augmenters.randAugment(RandAugmentConfig.builder().magnitude(27).numLayers(3).build()),
            Augmenters.policy(policy, Task.DETECTION, 50, 70));
    Example<BoxesTarget> in =
        new Example<>(
            Fixtures.gradient(60, 60),
            BoxesTarget.of(new float[] {0, 0, 60, 60, 10, 10, 11, 11}, new int[] {0, 1}),
            Origin.HUMAN);
    for (long seed = 0; seed < 40; seed++) {
      for (float v : a.augment(in, new SplittableRandom(seed)).target().boxes()) {
        assertThat(Float.isFinite(v)).isTrue();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AugmentPolicy.class)
  void augment_neverWritesToTheInput(AugmentPolicy policy) {
    Example<BoxesTarget> boxes = Fixtures.twoBoxes();
    Example<ClassTarget> image = Fixtures.classExample();
    byte[] boxPixels = boxes.image().pixels().clone();
    byte[] classPixels = image.image().pixels().clone();
    PolicyAugmenter<BoxesTarget> detection = Augmenters.policy(policy, Task.DETECTION, 40, 40);
    PolicyAugmenter<ClassTarget> classification =
        Augmenters.policy(policy, Task.CLASSIFICATION, 40, 36);
    for (int seed = 0; seed < 30; seed++) {
      detection.augment(boxes, new SplittableRandom(seed));
      classification.augment(image, new SplittableRandom(seed));
    }
    assertThat(boxes.image().pixels()).isEqualTo(boxPixels);
    assertThat(image.image().pixels()).isEqualTo(classPixels);
  }
}
