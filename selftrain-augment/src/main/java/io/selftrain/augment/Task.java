package io.selftrain.augment;

import io.selftrain.BoxesTarget;
import io.selftrain.ClassTarget;
import io.selftrain.MaskTarget;
import io.selftrain.Target;

/**
 * The task a policy is built for, typed by its target so that {@code
 * Augmenters.policy(AugmentPolicy.S4, Task.DETECTION, 640, 640)} returns an {@code
 * Augmenter<BoxesTarget>}. The task picks the AutoAugment table: ImageNet for classification and
 * segmentation, detection v0 for detection.
 *
 * @param <T> the target type
 */
public final class Task<T extends Target> {
  /** Image classification; targets pass through unchanged. */
  public static final Task<ClassTarget> CLASSIFICATION =
      new Task<>("classification", AutoAugmentPolicy.IMAGENET, 224);

  /** Object detection; boxes move with the pixels (detection AutoAugment v0). */
  public static final Task<BoxesTarget> DETECTION =
      new Task<>("detection", AutoAugmentPolicy.DETECTION_V0, 640);

  /**
   * Semantic segmentation; masks move with the pixels. NOTE: the paper does not say which
   * AutoAugment table its segmentation runs used; the ImageNet table is used here because the
   * detection tables are built around box-only ops, which do nothing without boxes.
   */
  public static final Task<MaskTarget> SEGMENTATION =
      new Task<>("segmentation", AutoAugmentPolicy.IMAGENET, 512);

  private final String name;
  private final AutoAugmentPolicy autoAugment;
  private final int referenceSize;

  private Task(String name, AutoAugmentPolicy autoAugment, int referenceSize) {
    this.name = name;
    this.autoAugment = autoAugment;
    this.referenceSize = referenceSize;
  }

  /**
   * @return the task's name, such as {@code "detection"}
   */
  public String name() {
    return name;
  }

  /**
   * @return the AutoAugment table Augment-S2/S3 use for this task
   */
  public AutoAugmentPolicy autoAugmentPolicy() {
    return autoAugment;
  }

  /**
   * The image side TensorFlow's pixel constants were written for: 224 for classification (the
   * ImageNet EfficientNet-B0 input of {@code autoaugment.py}), 640 for detection (the RetinaNet
   * input of {@code autoaugment_utils.py}), 512 for segmentation (the PASCAL self-training configs'
   * output size). {@code Augmenters.policy} scales the constants by {@code min(height, width) /
   * referenceSize()}.
   *
   * @return the side in pixels
   */
  public int referenceSize() {
    return referenceSize;
  }

  @Override
  public String toString() {
    return name;
  }
}
