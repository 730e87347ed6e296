package io.selftrain.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.selftrain.BoxesTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AugmentOpTest {
  private static final PolicyAugmenter<BoxesTarget> REPLAY =
      Augmenters.randAugment(RandAugmentConfig.builder().numLayers(0).build());
  private static final PolicyAugmenter<MaskTarget> MASK_REPLAY =
      Augmenters.randAugment(RandAugmentConfig.builder().numLayers(0).build());

  /**
   * Parameters at level 7 (no enhance op is the identity there; Solarize still changes bright
   * pixels).
   */
  private static OpParams at7(AugmentOp op, long seed) {
    OpParams p = op.sample(7, 1.0, OpConstants.detection(), new SplittableRandom(seed));
    // every box is changed by box-only ops, so the test does not depend on the per-box coin
    return new OpParams(op, p.argument(), op.isBoxesOnly() ? 1.0 : 0.0, p.seed());
  }

  private static Example<BoxesTarget> run(Example<BoxesTarget> e, OpParams p) {
    return REPLAY.apply(e, List.of(p));
  }

  @ParameterizedTest
  @EnumSource(AugmentOp.class)
  void apply_keepsShapeChannelsAndOrigin(AugmentOp op) {
    Example<BoxesTarget> in = Fixtures.twoBoxes();
    Example<BoxesTarget> out = run(in, at7(op, 1));
    assertThat(out.image().height()).isEqualTo(48);
    assertThat(out.image().width()).isEqualTo(64);
    assertThat(out.image().channels()).isEqualTo(3);
    assertThat(out.origin()).isEqualTo(in.origin());
    float[] b = out.target().boxes();
    for (int i = 0; i < out.target().size(); i++) {
      assertThat(b[4 * i]).isBetween(0f, 64f);
      assertThat(b[4 * i + 2]).isBetween(0f, 64f);
      assertThat(b[4 * i + 1]).isBetween(0f, 48f);
      assertThat(b[4 * i + 3]).isBetween(0f, 48f);
    }
  }

  @ParameterizedTest
  @EnumSource(value = AugmentOp.class, mode = EnumSource.Mode.EXCLUDE, names = "IDENTITY")
  void apply_nonZeroLevel_changesPixels(AugmentOp op) {
    // values squeezed into [20, 230] so that AutoContrast has something to stretch
    Example<BoxesTarget> full = Fixtures.twoBoxes();
    byte[] p = full.image().pixels().clone();
    for (int i = 0; i < p.length; i++) {
      p[i] = (byte) (20 + (p[i] & 0xFF) * 210 / 255);
    }
    Example<BoxesTarget> in = full.withImage(Image.of(48, 64, 3, p));
    assertThat(run(in, at7(op, 3)).image()).isNotEqualTo(in.image());
  }

  @ParameterizedTest
  @EnumSource(AugmentOp.class)
  void apply_doesNotModifyInput(AugmentOp op) {
    Example<BoxesTarget> in = Fixtures.twoBoxes();
    byte[] before = in.image().pixels().clone();
    run(in, at7(op, 5));
    assertThat(in.image().pixels()).isEqualTo(before);
  }

  @ParameterizedTest
  @EnumSource(AugmentOp.class)
  void sample_sameSeed_sameParamsAndOutput(AugmentOp op) {
    OpParams a = op.sample(6, 0.6, OpConstants.detection(), new SplittableRandom(42));
    OpParams b = op.sample(6, 0.6, OpConstants.detection(), new SplittableRandom(42));
    assertThat(a).isEqualTo(b);
    Example<BoxesTarget> in = Fixtures.twoBoxes();
    Example<BoxesTarget> x = run(in, a);
    Example<BoxesTarget> y = run(in, b);
    assertThat(x.image()).isEqualTo(y.image());
    assertThat(x.target()).isEqualTo(y.target());
  }

  @ParameterizedTest
  @EnumSource(
      value = AugmentOp.class,
      names = {
        "IDENTITY",
        "COLOR",
        "CONTRAST",
        "BRIGHTNESS",
        "SHARPNESS",
        "ROTATE",
        "SHEAR_X",
        "SHEAR_Y",
        "TRANSLATE_X",
        "TRANSLATE_Y",
        "CUTOUT",
        "SOLARIZE_ADD"
      })
  void apply_identityLevel_returnsInput(AugmentOp op) {
    // enhance factor 1.0 at level 5; zero angle/shear/shift/pad/addition at level 0
    double level =
        op == AugmentOp.COLOR
                || op == AugmentOp.CONTRAST
                || op == AugmentOp.BRIGHTNESS
                || op == AugmentOp.SHARPNESS
            ? 5
            : 0;
    Example<BoxesTarget> in = Fixtures.twoBoxes();
    Example<BoxesTarget> out =
        run(in, op.sample(level, 1.0, OpConstants.detection(), new SplittableRandom(9)));
    assertThat(out.image()).isEqualTo(in.image());
    assertThat(out.target()).isEqualTo(in.target());
  }

  @Test
  void solarize_level10_isIdentity_tfQuirk() {
    Example<BoxesTarget> in = Fixtures.twoBoxes();
    assertThat(
            run(
                    in,
                    AugmentOp.SOLARIZE.sample(
                        10, 1, OpConstants.detection(), new SplittableRandom(1)))
                .image())
        .isEqualTo(in.image());
  }

  @Test
  void argument_matchesTfTables() {
    OpConstants det = OpConstants.detection();
    OpConstants ra = OpConstants.randAugment();
    assertThat(AugmentOp.POSTERIZE.argument(7, det)).isEqualTo(2);
    assertThat(AugmentOp.POSTERIZE.argument(27, det)).isEqualTo(10);
    assertThat(AugmentOp.SOLARIZE.argument(3, det)).isEqualTo(76);
    assertThat(AugmentOp.SOLARIZE_ADD.argument(3, det)).isEqualTo(33);
    assertThat(AugmentOp.COLOR.argument(27, det)).isCloseTo(4.96, within(1e-9));
    assertThat(AugmentOp.ROTATE.argument(27, det)).isCloseTo(81, within(1e-9));
    assertThat(AugmentOp.SHEAR_X.argument(27, det)).isCloseTo(0.81, within(1e-9));
    assertThat(AugmentOp.TRANSLATE_Y.argument(4, det)).isCloseTo(100, within(1e-9));
    assertThat(AugmentOp.TRANSLATE_Y.argument(4, ra)).isCloseTo(40, within(1e-9));
    assertThat(AugmentOp.TRANSLATE_Y_ONLY_BBOXES.argument(5, det)).isCloseTo(60, within(1e-9));
    assertThat(AugmentOp.CUTOUT.argument(8, det)).isEqualTo(80);
    assertThat(AugmentOp.CUTOUT.argument(10, ra)).isEqualTo(40);
    assertThat(AugmentOp.CUTOUT_ONLY_BBOXES.argument(6, det)).isEqualTo(30);
    assertThat(AugmentOp.BBOX_CUTOUT.argument(4, det)).isCloseTo(0.3, within(1e-9));
    assertThat(AugmentOp.EQUALIZE.argument(9, det)).isZero();
  }

  @Test
  void sample_signedOps_drawBothSigns() {
    SplittableRandom rng = new SplittableRandom(0);
    int negative = 0;
    for (int i = 0; i < 200; i++) {
      negative +=
          AugmentOp.ROTATE.sample(10, 1, OpConstants.detection(), rng).argument() < 0 ? 1 : 0;
    }
    assertThat(negative).isBetween(70, 130);
  }

  @Test
  void sample_boxOnlyOp_perBoxProbabilityIsAThird() {
    OpParams p =
        AugmentOp.CUTOUT_ONLY_BBOXES.sample(
            6, 0.6, OpConstants.detection(), new SplittableRandom(1));
    assertThat(p.boxProbability()).isCloseTo(0.2, within(1e-12));
    assertThat(
            AugmentOp.CUTOUT
                .sample(6, 0.6, OpConstants.detection(), new SplittableRandom(1))
                .boxProbability())
        .isZero();
  }

  @ParameterizedTest
  @EnumSource(
      value = AugmentOp.class,
      names = {"FLIP", "ROTATE", "SHEAR_X", "SHEAR_Y", "TRANSLATE_X", "TRANSLATE_Y"})
  void apply_geometric_boxTightlyEnclosesMovedRectangle(AugmentOp op) {
    Example<BoxesTarget> in = Fixtures.rectangleExample(60, 80, 20, 15, 45, 40);
    for (double level : new double[] {1, 3, 6, 10}) {
      for (long seed = 0; seed < 4; seed++) {
        OpParams p = op.sample(level, 1, OpConstants.randAugment(), new SplittableRandom(seed));
        Example<BoxesTarget> out = run(in, p);
        int[] pixels = Fixtures.rectangleBounds(out.image());
        if (pixels == null) {
          assertThat(out.target().size()).as("%s: rectangle gone, box must go", p).isZero();
          continue;
        }
        assertThat(out.target().size()).as("%s", p).isEqualTo(1);
        float[] box = out.target().boxes();
        for (int k = 0; k < 4; k++) {
          assertThat((double) box[k]).as("%s corner %s", p, k).isCloseTo(pixels[k], within(1.5));
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = AugmentOp.class,
      names = {"FLIP", "ROTATE", "SHEAR_X", "SHEAR_Y", "TRANSLATE_X", "TRANSLATE_Y"})
  void apply_geometric_maskFollowsPixels(AugmentOp op) {
    Example<MaskTarget> in = Fixtures.maskExample(50, 70, 10, 12, 40, 30);
    OpParams p = op.sample(8, 1, OpConstants.randAugment(), new SplittableRandom(11));
    Example<MaskTarget> out = MASK_REPLAY.apply(in, List.of(p));
    Image img = out.image();
    for (int y = 0; y < 50; y++) {
      for (int x = 0; x < 70; x++) {
        int v = img.get(y, x, 0);
        int expected =
            v == Fixtures.RECT ? 1 : v == 128 && img.get(y, x, 1) == 128 ? MaskTarget.IGNORE : 0;
        assertThat(out.target().get(y, x)).as("%s at (%s,%s)", p, y, x).isEqualTo(expected);
      }
    }
  }

  @Test
  void apply_translateOutOfImage_removesBox() {
    Example<BoxesTarget> in = Fixtures.rectangleExample(40, 40, 2, 2, 10, 10);
    Example<BoxesTarget> out = run(in, new OpParams(AugmentOp.TRANSLATE_X, 30, 0, 1));
    assertThat(out.target().size()).isZero();
    assertThat(Fixtures.rectangleBounds(out.image())).isNull();
  }

  @Test
  void apply_rotate90_boxIsRotatedAboutCentre() {
    Example<BoxesTarget> in = Fixtures.rectangleExample(40, 40, 5, 10, 15, 30);
    Example<BoxesTarget> out = run(in, new OpParams(AugmentOp.ROTATE, 90, 0, 1));
    int[] pixels = Fixtures.rectangleBounds(out.image());
    // a 10 wide, 20 tall box becomes 20 wide, 10 tall
    assertThat(pixels[2] - pixels[0]).isEqualTo(20);
    assertThat(pixels[3] - pixels[1]).isEqualTo(10);
    float[] box = out.target().boxes();
    for (int k = 0; k < 4; k++) {
      assertThat((double) box[k]).isCloseTo(pixels[k], within(1e-3));
    }
  }

  @Test
  void apply_boxOnlyOp_keepsBoxesAndPixelsOutsideBoxes() {
    Example<BoxesTarget> in = Fixtures.twoBoxes();
    Example<BoxesTarget> out = run(in, new OpParams(AugmentOp.ROTATE_ONLY_BBOXES, 30, 1.0, 4));
    assertThat(out.target()).isEqualTo(in.target());
    float[] b = in.target().boxes();
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        boolean inside = false;
        for (int i = 0; i < 2; i++) {
          inside |=
              x >= (int) b[4 * i]
                  && x <= (int) b[4 * i + 2]
                  && y >= (int) b[4 * i + 1]
                  && y <= (int) b[4 * i + 3];
        }
        if (!inside) {
          assertThat(out.image().get(y, x, 0)).isEqualTo(in.image().get(y, x, 0));
        }
      }
    }
  }

  @Test
  void apply_boxOnlyOp_zeroProbability_changesNothing() {
    Example<BoxesTarget> in = Fixtures.twoBoxes();
    assertThat(run(in, new OpParams(AugmentOp.FLIP_ONLY_BBOXES, 0, 0.0, 4)).image())
        .isEqualTo(in.image());
  }

  @Test
  void apply_cutout_fillsSquareWith128() {
    Example<BoxesTarget> in = Fixtures.twoBoxes();
    Image out = run(in, new OpParams(AugmentOp.CUTOUT, 5, 0, 77)).image();
    SplittableRandom rng = new SplittableRandom(77);
    int cy = rng.nextInt(48);
    int cx = rng.nextInt(64);
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        boolean cut = y >= cy - 5 && y < cy + 5 && x >= cx - 5 && x < cx + 5;
        assertThat(out.get(y, x, 1)).isEqualTo(cut ? 128 : in.image().get(y, x, 1));
      }
    }
  }

  @Test
  void apply_classTarget_passesThrough() {
    var in = Fixtures.classExample();
    var out =
        Augmenters.<io.selftrain.ClassTarget>randAugment(RandAugmentConfig.builder().build())
            .apply(in, List.of(new OpParams(AugmentOp.ROTATE, 20, 0, 1)));
    assertThat(out.target()).isSameAs(in.target());
    assertThat(out.image()).isNotEqualTo(in.image());
  }

  @Test
  void ofTfName_acceptsBBoxAliases() {
    assertThat(AugmentOp.ofTfName("Rotate_BBox")).isEqualTo(AugmentOp.ROTATE);
    assertThat(AugmentOp.ofTfName("TranslateY_Only_BBoxes"))
        .isEqualTo(AugmentOp.TRANSLATE_Y_ONLY_BBOXES);
    assertThat(AugmentOp.ofTfName("BBox_Cutout")).isEqualTo(AugmentOp.BBOX_CUTOUT);
  }

  @Test
  void ofTfName_unknown() {
    assertThatThrownBy(() -> AugmentOp.ofTfName("Blur"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tfName")
        .hasMessageContaining("Blur");
  }

  @Test
  void argument_negativeLevel() {
    assertThatThrownBy(() -> AugmentOp.ROTATE.argument(-1, OpConstants.detection()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("level")
        .hasMessageContaining("-1");
  }

  @Test
  void apply_flipOnlyBoxes_mirrorsEachBoxCropInPlace() {
    Example<BoxesTarget> in = Fixtures.twoBoxes();
    Image out = run(in, new OpParams(AugmentOp.FLIP_ONLY_BBOXES, 0, 1.0, 8)).image();
    // box 0 = (4, 6, 30, 40): crop columns 4..30, rows 6..40 inclusive (TF int() bounds)
    for (int y = 6; y <= 40; y++) {
      for (int x = 4; x <= 30; x++) {
        boolean inOther = x >= 34 && y <= 30 && y >= 8;
        if (!inOther) {
          assertThat(out.get(y, x, 0)).as("(%s,%s)", y, x).isEqualTo(in.image().get(y, 34 - x, 0));
        }
      }
    }
  }

  @Test
  void apply_bboxCutout_cutsInsideTheChosenBox() {
    Example<BoxesTarget> in =
        new Example<>(
            Image.filled(60, 60, 3, 10),
            BoxesTarget.of(new float[] {10, 10, 50, 30}, new int[] {0}),
            io.selftrain.Origin.HUMAN);
    for (long seed = 0; seed < 20; seed++) {
      Image out = run(in, new OpParams(AugmentOp.BBOX_CUTOUT, 0.75, 0, seed)).image();
      int[] cut = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1};
      for (int y = 0; y < 60; y++) {
        for (int x = 0; x < 60; x++) {
          if (out.get(y, x, 0) == 128) {
            cut[0] = Math.min(cut[0], x);
            cut[1] = Math.min(cut[1], y);
            cut[2] = Math.max(cut[2], x + 1);
            cut[3] = Math.max(cut[3], y + 1);
          }
        }
      }
      // half-sizes int(0.75 * 20 / 2) = 15 and int(0.75 * 40 / 2) = 7 around a centre inside the
      // box
      assertThat(cut[2] - cut[0]).isLessThanOrEqualTo(30).isGreaterThanOrEqualTo(15);
      assertThat(cut[3] - cut[1]).isLessThanOrEqualTo(14).isGreaterThanOrEqualTo(7);
      int cx = cut[0] + 15 <= 50 && cut[0] > 0 ? cut[0] + 15 : cut[2] - 15;
      assertThat(cx).isBetween(10, 50);
    }
  }
}
