package io.selftrain.augment;

import java.util.Arrays;
import java.util.List;

/**
 * The published AutoAugment policies, sub-policies as data. Tables copied from the TF reference
 * ({@code models/official/efficientnet/autoaugment.py::policy_v0} for ImageNet; {@code
 * models/official/detection/utils/autoaugment_utils.py::policy_v0..v3} for detection; listed in
 * reference/paper-spec.md Sec. 4.3).
 */
public enum AutoAugmentPolicy {
  /**
   * The ImageNet policy (Cubuk et al. 2019) as in TF EfficientNet: 25 sub-policies; cutout 100,
   * translate 250.
   */
  IMAGENET(
      OpConstants.imageNet(),
      List.of(
          s(o("Equalize", 0.8, 1), o("ShearY", 0.8, 4)),
          s(o("Color", 0.4, 9), o("Equalize", 0.6, 3)),
          s(o("Color", 0.4, 1), o("Rotate", 0.6, 8)),
          s(o("Solarize", 0.8, 3), o("Equalize", 0.4, 7)),
          s(o("Solarize", 0.4, 2), o("Solarize", 0.6, 2)),
          s(o("Color", 0.2, 0), o("Equalize", 0.8, 8)),
          s(o("Equalize", 0.4, 8), o("SolarizeAdd", 0.8, 3)),
          s(o("ShearX", 0.2, 9), o("Rotate", 0.6, 8)),
          s(o("Color", 0.6, 1), o("Equalize", 1.0, 2)),
          s(o("Invert", 0.4, 9), o("Rotate", 0.6, 0)),
          s(o("Equalize", 1.0, 9), o("ShearY", 0.6, 3)),
          s(o("Color", 0.4, 7), o("Equalize", 0.6, 0)),
          s(o("Posterize", 0.4, 6), o("AutoContrast", 0.4, 7)),
          s(o("Solarize", 0.6, 8), o("Color", 0.6, 9)),
          s(o("Solarize", 0.2, 4), o("Rotate", 0.8, 9)),
          s(o("Rotate", 1.0, 7), o("TranslateY", 0.8, 9)),
          s(o("ShearX", 0.0, 0), o("Solarize", 0.8, 4)),
          s(o("ShearY", 0.8, 0), o("Color", 0.6, 4)),
          s(o("Color", 1.0, 0), o("Rotate", 0.6, 2)),
          s(o("Equalize", 0.8, 4), o("Equalize", 0.0, 8)),
          s(o("Equalize", 1.0, 4), o("AutoContrast", 0.6, 2)),
          s(o("ShearY", 0.4, 7), o("SolarizeAdd", 0.6, 7)),
          s(o("Posterize", 0.8, 2), o("Solarize", 0.6, 10)),
          s(o("Solarize", 0.6, 8), o("Equalize", 0.6, 1)),
          s(o("Color", 0.8, 6), o("Rotate", 0.4, 5)))),

  /**
   * Detection v0 (Zoph et al. 2019, the policy of its paper and of the RetinaNet AutoAugment
   * config): 5 sub-policies.
   */
  DETECTION_V0(OpConstants.detection(), v0()),

  /** Detection v1: v0 plus 15 sub-policies. */
  DETECTION_V1(
      OpConstants.detection(),
      concat(
          v0(),
          List.of(
              s(o("Color", 0.0, 0), o("ShearX_Only_BBoxes", 0.8, 4)),
              s(o("ShearY_Only_BBoxes", 0.8, 2), o("Flip_Only_BBoxes", 0.0, 10)),
              s(o("Equalize", 0.6, 10), o("TranslateX_BBox", 0.2, 2)),
              s(o("Color", 1.0, 10), o("TranslateY_Only_BBoxes", 0.4, 6)),
              s(o("Rotate_BBox", 0.8, 10), o("Contrast", 0.0, 10)),
              s(o("Cutout", 0.2, 2), o("Brightness", 0.8, 10)),
              s(o("Color", 1.0, 6), o("Equalize", 1.0, 2)),
              s(o("Cutout_Only_BBoxes", 0.4, 6), o("TranslateY_Only_BBoxes", 0.8, 2)),
              s(o("Color", 0.2, 8), o("Rotate_BBox", 0.8, 10)),
              s(o("Sharpness", 0.4, 4), o("TranslateY_Only_BBoxes", 0.0, 4)),
              s(o("Sharpness", 1.0, 4), o("SolarizeAdd", 0.4, 4)),
              s(o("Rotate_BBox", 1.0, 8), o("Sharpness", 0.2, 8)),
              s(o("ShearY_BBox", 0.6, 10), o("Equalize_Only_BBoxes", 0.6, 8)),
              s(o("ShearX_BBox", 0.2, 6), o("TranslateY_Only_BBoxes", 0.2, 10)),
              s(o("SolarizeAdd", 0.6, 8), o("Brightness", 0.8, 10))))),

  /** Detection v2: 15 sub-policies of 2-3 ops. */
  DETECTION_V2(
      OpConstants.detection(),
      List.of(
          s(o("Color", 0.0, 6), o("Cutout", 0.6, 8), o("Sharpness", 0.4, 8)),
          s(o("Rotate_BBox", 0.4, 8), o("Sharpness", 0.4, 2), o("Rotate_BBox", 0.8, 10)),
          s(o("TranslateY_BBox", 1.0, 8), o("AutoContrast", 0.8, 2)),
          s(o("AutoContrast", 0.4, 6), o("ShearX_BBox", 0.8, 8), o("Brightness", 0.0, 10)),
          s(o("SolarizeAdd", 0.2, 6), o("Contrast", 0.0, 10), o("AutoContrast", 0.6, 0)),
          s(o("Cutout", 0.2, 0), o("Solarize", 0.8, 8), o("Color", 1.0, 4)),
          s(o("TranslateY_BBox", 0.0, 4), o("Equalize", 0.6, 8), o("Solarize", 0.0, 10)),
          s(o("TranslateY_BBox", 0.2, 2), o("ShearY_BBox", 0.8, 8), o("Rotate_BBox", 0.8, 8)),
          s(o("Cutout", 0.8, 8), o("Brightness", 0.8, 8), o("Cutout", 0.2, 2)),
          s(o("Color", 0.8, 4), o("TranslateY_BBox", 1.0, 6), o("Rotate_BBox", 0.6, 6)),
          s(o("Rotate_BBox", 0.6, 10), o("BBox_Cutout", 1.0, 4), o("Cutout", 0.2, 8)),
          s(o("Rotate_BBox", 0.0, 0), o("Equalize", 0.6, 6), o("ShearY_BBox", 0.6, 8)),
          s(o("Brightness", 0.8, 8), o("AutoContrast", 0.4, 2), o("Brightness", 0.2, 2)),
          s(o("TranslateY_BBox", 0.4, 8), o("Solarize", 0.4, 6), o("SolarizeAdd", 0.2, 10)),
          s(o("Contrast", 1.0, 10), o("SolarizeAdd", 0.2, 8), o("Equalize", 0.2, 4)))),

  /** Detection v3: 15 sub-policies. */
  DETECTION_V3(
      OpConstants.detection(),
      List.of(
          s(o("Posterize", 0.8, 2), o("TranslateX_BBox", 1.0, 8)),
          s(o("BBox_Cutout", 0.2, 10), o("Sharpness", 1.0, 8)),
          s(o("Rotate_BBox", 0.6, 8), o("Rotate_BBox", 0.8, 10)),
          s(o("Equalize", 0.8, 10), o("AutoContrast", 0.2, 10)),
          s(o("SolarizeAdd", 0.2, 2), o("TranslateY_BBox", 0.2, 8)),
          s(o("Sharpness", 0.0, 2), o("Color", 0.4, 8)),
          s(o("Equalize", 1.0, 8), o("TranslateY_BBox", 1.0, 8)),
          s(o("Posterize", 0.6, 2), o("Rotate_BBox", 0.0, 10)),
          s(o("AutoContrast", 0.6, 0), o("Rotate_BBox", 1.0, 6)),
          s(o("Equalize", 0.0, 4), o("Cutout", 0.8, 10)),
          s(o("Brightness", 1.0, 2), o("TranslateY_BBox", 1.0, 6)),
          s(o("Contrast", 0.0, 2), o("ShearY_BBox", 0.8, 0)),
          s(o("AutoContrast", 0.8, 10), o("Contrast", 0.2, 10)),
          s(o("Rotate_BBox", 1.0, 10), o("Cutout", 1.0, 10)),
          s(o("SolarizeAdd", 0.8, 6), o("Equalize", 0.8, 8))));

  private final OpConstants constants;
  private final List<List<OpSpec>> subPolicies;

  AutoAugmentPolicy(OpConstants constants, List<List<OpSpec>> subPolicies) {
    this.constants = constants;
    this.subPolicies = subPolicies;
  }

  /**
   * @return the sub-policies, in the order of the TF table
   */
  public List<List<OpSpec>> subPolicies() {
    return subPolicies;
  }

  /**
   * @return the pixel constants the policy was published with
   */
  public OpConstants constants() {
    return constants;
  }

  private static List<List<OpSpec>> v0() {
    return List.of(
        s(o("TranslateX_BBox", 0.6, 4), o("Equalize", 0.8, 10)),
        s(o("TranslateY_Only_BBoxes", 0.2, 2), o("Cutout", 0.8, 8)),
        s(o("Sharpness", 0.0, 8), o("ShearX_BBox", 0.4, 0)),
        s(o("ShearY_BBox", 1.0, 2), o("TranslateY_Only_BBoxes", 0.6, 6)),
        s(o("Rotate_BBox", 0.6, 10), o("Color", 1.0, 6)));
  }

  private static List<List<OpSpec>> concat(List<List<OpSpec>> a, List<List<OpSpec>> b) {
    List<List<OpSpec>> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  private static List<OpSpec> s(OpSpec... ops) {
    return List.copyOf(Arrays.asList(ops));
  }

  private static OpSpec o(String tfName, double probability, double level) {
    return OpSpec.of(tfName, probability, level);
  }
}
