package io.selftrain.augment;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.SplittableRandom;

/**
 * The registry of augmentation operations, with the semantics and level-to-argument mappings of the
 * TensorFlow AutoAugment/RandAugment reference (Cubuk et al. 2019, 2020; Zoph et al. 2019 for the
 * detection ops; tables in reference/paper-spec.md Sec. 4.3-4.4). Levels run over [0, 10] ({@code
 * _MAX_LEVEL}); larger levels extrapolate linearly as in TF (RandAugment M = 27 in Noisy Student).
 *
 * <h2>Targets</h2>
 *
 * Geometric ops ({@link #isGeometric()}) move boxes and masks with the pixels: boxes are mapped
 * corner-wise, enclosed axis-aligned, clipped to the image and dropped when empty; masks are
 * resampled nearest-neighbour with exposed pixels set to 255 (ignore). There is one op per
 * transform: TF's {@code Rotate} and {@code Rotate_BBox} are both {@link #ROTATE}. {@code
 * *_Only_BBoxes} ops change the pixels inside each box (each box with the per-box probability) and
 * leave boxes where they are. Colour ops and Cutout leave targets unchanged.
 *
 * <h2>TF quirks kept</h2>
 *
 * <ul>
 *   <li>Posterize keeps {@code int(level / 10 * 4)} bits, so a higher level is a weaker op, and
 *       TF's shift clamping makes level 0 keep 1 bit and bit counts above 8 a no-op.
 *   <li>Solarize's threshold is {@code int(level / 10 * 256)}: level 10 changes nothing.
 *   <li>Shear is about the top-left corner, rotation about the image centre; nearest-neighbour
 *       sampling.
 *   <li>Color, Contrast, Brightness and Sharpness use factor 1.0 (identity) at level 5.
 * </ul>
 *
 * <h2>TF quirks not kept</h2>
 *
 * <ul>
 *   <li>Contrast blends with the mean grey, not TF's {@code pixel count / 256} (see {@code
 *       PointOps}).
 *   <li>Boxes that collapse are removed instead of being widened by 0.05 ({@code
 *       _check_bbox_area}).
 *   <li>Consecutive geometric ops are fused into one warp: pixels are resampled once and boxes are
 *       transformed once, which is tighter than TF's per-op enclosing boxes.
 * </ul>
 */
public enum AugmentOp {
  /** No change (the extra choice of {@code tensorflow/models} RandAugment). */
  IDENTITY("Identity", Kind.NONE),
  /** Per-channel stretch of [min, max] to [0, 255]. */
  AUTO_CONTRAST("AutoContrast", Kind.NONE),
  /** Per-channel histogram equalization. */
  EQUALIZE("Equalize", Kind.NONE),
  /** {@code 255 - x}. */
  INVERT("Invert", Kind.NONE),
  /** Keep {@code int(level/10*4)} high bits. */
  POSTERIZE("Posterize", Kind.POSTERIZE),
  /** Invert pixels at or above {@code int(level/10*256)}. */
  SOLARIZE("Solarize", Kind.SOLARIZE),
  /** Add {@code int(level/10*110)} to pixels below 128, clipped. */
  SOLARIZE_ADD("SolarizeAdd", Kind.SOLARIZE_ADD),
  /** Blend with grayscale, factor {@code level/10*1.8+0.1}. */
  COLOR("Color", Kind.ENHANCE),
  /** Blend with the mean grey, factor {@code level/10*1.8+0.1}. */
  CONTRAST("Contrast", Kind.ENHANCE),
  /** Blend with black, factor {@code level/10*1.8+0.1}. */
  BRIGHTNESS("Brightness", Kind.ENHANCE),
  /** Blend with a 3x3 smoothing, factor {@code level/10*1.8+0.1}. */
  SHARPNESS("Sharpness", Kind.ENHANCE),
  /** Horizontal mirror of the whole image (boxes and mask follow). */
  FLIP("Flip", Kind.NONE),
  /** Rotation by ±{@code level/10*30} degrees about the centre (TF Rotate, Rotate_BBox). */
  ROTATE("Rotate", Kind.ROTATE),
  /** Shear {@code x_in = x + s y}, s = ±{@code level/10*0.3} (TF ShearX, ShearX_BBox). */
  SHEAR_X("ShearX", Kind.SHEAR),
  /** Shear {@code y_in = y + s x}, s = ±{@code level/10*0.3} (TF ShearY, ShearY_BBox). */
  SHEAR_Y("ShearY", Kind.SHEAR),
  /** Shift by ±{@code level/10*translateConst} pixels (TF TranslateX, TranslateX_BBox). */
  TRANSLATE_X("TranslateX", Kind.TRANSLATE),
  /** Shift by ±{@code level/10*translateConst} pixels (TF TranslateY, TranslateY_BBox). */
  TRANSLATE_Y("TranslateY", Kind.TRANSLATE),
  /**
   * A square of half-side {@code int(level/10*cutoutConst)} at a uniform centre, filled with 128.
   */
  CUTOUT("Cutout", Kind.CUTOUT),
  /** A cut of {@code level/10*0.75} of one random box's size, centred inside that box. */
  BBOX_CUTOUT("BBox_Cutout", Kind.BBOX_CUTOUT),
  /** Mirror the content of each box. */
  FLIP_ONLY_BBOXES("Flip_Only_BBoxes", Kind.NONE),
  /** Rotate the content of each box by ±{@code level/10*30} degrees. */
  ROTATE_ONLY_BBOXES("Rotate_Only_BBoxes", Kind.ROTATE),
  /** Shear the content of each box horizontally. */
  SHEAR_X_ONLY_BBOXES("ShearX_Only_BBoxes", Kind.SHEAR),
  /** Shear the content of each box vertically. */
  SHEAR_Y_ONLY_BBOXES("ShearY_Only_BBoxes", Kind.SHEAR),
  /** Shift the content of each box by ±{@code level/10*translateBboxConst} pixels. */
  TRANSLATE_X_ONLY_BBOXES("TranslateX_Only_BBoxes", Kind.TRANSLATE_BBOX),
  /** Shift the content of each box vertically. */
  TRANSLATE_Y_ONLY_BBOXES("TranslateY_Only_BBoxes", Kind.TRANSLATE_BBOX),
  /** Equalize the content of each box. */
  EQUALIZE_ONLY_BBOXES("Equalize_Only_BBoxes", Kind.NONE),
  /** Solarize the content of each box. */
  SOLARIZE_ONLY_BBOXES("Solarize_Only_BBoxes", Kind.SOLARIZE),
  /** Cutout of half-side {@code int(level/10*cutoutBboxConst)} inside each box. */
  CUTOUT_ONLY_BBOXES("Cutout_Only_BBoxes", Kind.CUTOUT_BBOX);

  /** How a level becomes an argument. */
  private enum Kind {
    NONE,
    POSTERIZE,
    SOLARIZE,
    SOLARIZE_ADD,
    ENHANCE,
    ROTATE,
    SHEAR,
    TRANSLATE,
    TRANSLATE_BBOX,
    CUTOUT,
    CUTOUT_BBOX,
    BBOX_CUTOUT
  }

  private static final double MAX_LEVEL = 10.0;

  private final String tfName;
  private final Kind kind;

  AugmentOp(String tfName, Kind kind) {
    this.tfName = tfName;
    this.kind = kind;
  }

  /**
   * @return the op's name in the TF policies, such as {@code "TranslateY_Only_BBoxes"}
   */
  public String tfName() {
    return tfName;
  }

  /**
   * @return whether the op moves pixels of the whole image (and therefore boxes and masks)
   */
  public boolean isGeometric() {
    return this == FLIP
        || this == ROTATE
        || this == SHEAR_X
        || this == SHEAR_Y
        || this == TRANSLATE_X
        || this == TRANSLATE_Y;
  }

  /**
   * @return whether the op changes only the content of boxes (a TF {@code *_Only_BBoxes} op)
   */
  public boolean isBoxesOnly() {
    return name().endsWith("_ONLY_BBOXES");
  }

  /**
   * @return whether the argument is negated with probability 1/2 ({@code _randomly_negate_tensor})
   */
  public boolean isSigned() {
    return kind == Kind.ROTATE
        || kind == Kind.SHEAR
        || kind == Kind.TRANSLATE
        || kind == Kind.TRANSLATE_BBOX;
  }

  /**
   * @return whether the level changes what the op does
   */
  public boolean hasLevel() {
    return kind != Kind.NONE;
  }

  /**
   * The TF level-to-argument mapping, before the random sign.
   *
   * @param level the magnitude, at least 0 (10 is TF's maximum; larger values extrapolate)
   * @param constants the pixel constants of the policy
   * @return the argument (0 for ops without one)
   * @throws IllegalArgumentException if the level is negative or not finite
   */
  public double argument(double level, OpConstants constants) {
    checkArgument(
        level >= 0 && Double.isFinite(level), "level must be finite and non-negative: %s", level);
    checkNotNull(constants, "constants");
    double r = level / MAX_LEVEL;
    return switch (kind) {
      case NONE -> 0;
      case POSTERIZE -> (int) (r * 4);
      case SOLARIZE -> (int) (r * 256);
      case SOLARIZE_ADD -> (int) (r * 110);
      case ENHANCE -> r * 1.8 + 0.1;
      case ROTATE -> r * 30.0;
      case SHEAR -> r * 0.3;
      case TRANSLATE -> r * constants.translateConst();
      case TRANSLATE_BBOX -> r * constants.translateBboxConst();
      case CUTOUT -> (int) (r * constants.cutoutConst());
      case CUTOUT_BBOX -> (int) (r * constants.cutoutBboxConst());
      case BBOX_CUTOUT -> r * constants.cutoutMaxPadFraction();
    };
  }

  /**
   * Samples this op's parameters: the argument with its random sign and a seed for the op's
   * remaining choices. For {@code *_Only_BBoxes} ops the per-box probability is {@code probability
   * / 3}, as the TF detection policies do ({@code _scale_bbox_only_op_probability}); other ops
   * ignore {@code probability} (whether they run at all is the policy's draw).
   *
   * @param level the magnitude
   * @param probability the sub-policy probability of this op, in [0, 1]
   * @param constants the pixel constants of the policy
   * @param rng the example's generator
   * @return the parameters
   */
  public OpParams sample(
      double level, double probability, OpConstants constants, SplittableRandom rng) {
    checkArgument(
        probability >= 0 && probability <= 1, "probability must be in [0, 1]: %s", probability);
    checkNotNull(rng, "rng");
    double argument = argument(level, constants);
    boolean negate = rng.nextBoolean();
    if (isSigned() && negate) {
      argument = -argument;
    }
    return new OpParams(this, argument, isBoxesOnly() ? probability / 3.0 : 0.0, rng.nextLong());
  }

  /**
   * Looks an op up by its TF name (case-sensitive), accepting the {@code _BBox} aliases of the
   * detection policies ({@code "Rotate_BBox"} is {@link #ROTATE}).
   *
   * @param tfName a name such as {@code "ShearX_BBox"} or {@code "Equalize"}
   * @return the op
   * @throws IllegalArgumentException if no op has that name
   */
  public static AugmentOp ofTfName(String tfName) {
    checkNotNull(tfName, "tfName");
    String name =
        tfName.endsWith("_BBox") ? tfName.substring(0, tfName.length() - "_BBox".length()) : tfName;
    for (AugmentOp op : values()) {
      if (op.tfName.equals(name)) {
        return op;
      }
    }
    throw new IllegalArgumentException("tfName must name a TF augmentation op: " + tfName);
  }
}
