package io.selftrain.core.label;

import static com.google.common.base.Preconditions.checkNotNull;

import io.selftrain.BoxesTarget;
import io.selftrain.ClassTarget;
import io.selftrain.MaskTarget;
import io.selftrain.PseudoLabeler;

/**
 * Factories for pseudo labelers.
 *
 * <pre>{@code
 * PseudoLabeler<ClassTarget> labeler =
 *     PseudoLabelers.classification(PseudoLabelConfig.soft().withMinConfidence(0.3));
 * }</pre>
 */
public final class PseudoLabelers {
  private PseudoLabelers() {}

  /**
   * The classification labeler.
   *
   * @param config hard/soft, temperature, threshold, balancing
   * @return the labeler
   */
  public static PseudoLabeler<ClassTarget> classification(PseudoLabelConfig config) {
    return new ClassPseudoLabeler(checkNotNull(config, "config"));
  }

  /**
   * The detection labeler: teacher boxes (after per-class NMS) scoring at least the threshold.
   *
   * @param config the score threshold and what happens to images without a kept box
   * @return the labeler
   */
  public static PseudoLabeler<BoxesTarget> detection(BoxPseudoLabelConfig config) {
    return new BoxPseudoLabeler(checkNotNull(config, "config"));
  }

  /**
   * The segmentation labeler: each pixel's teacher class where its probability reaches the
   * threshold, ignored (255) elsewhere.
   *
   * @param config the pixel threshold and the smallest labeled fraction of a kept image
   * @return the labeler
   */
  public static PseudoLabeler<MaskTarget> segmentation(MaskPseudoLabelConfig config) {
    return new MaskPseudoLabeler(checkNotNull(config, "config"));
  }
}
