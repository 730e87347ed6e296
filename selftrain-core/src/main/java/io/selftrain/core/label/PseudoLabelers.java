package io.selftrain.core.label;

import static com.google.common.base.Preconditions.checkNotNull;

import io.selftrain.ClassTarget;
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
}
