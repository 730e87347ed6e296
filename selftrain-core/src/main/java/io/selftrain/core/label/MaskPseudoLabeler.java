package io.selftrain.core.label;

import io.selftrain.MaskTarget;
import io.selftrain.Prediction;
import io.selftrain.PseudoLabel;
import io.selftrain.PseudoLabeler;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Segmentation pseudo labels by {@link MaskPseudoLabelConfig}: a pixel keeps the teacher's class
 * where its top probability ({@link MaskTarget#confidences()}) is at least the threshold and
 * becomes {@link MaskTarget#IGNORE} elsewhere; pixels the teacher itself left ignored stay ignored,
 * and a mask without confidences (a teacher that thresholds on its own) is taken as it is. An image
 * keeps its mask when its labeled fraction reaches the minimum; its confidence is the mean
 * probability of its labeled pixels (0 when none is). Per image, so it draws nothing from the
 * generator.
 */
final class MaskPseudoLabeler implements PseudoLabeler<MaskTarget> {
  private final MaskPseudoLabelConfig config;

  MaskPseudoLabeler(MaskPseudoLabelConfig config) {
    this.config = config;
  }

  @Override
  public List<PseudoLabel<MaskTarget>> select(
      List<Prediction<MaskTarget>> predictions, SplittableRandom rng) {
    List<PseudoLabel<MaskTarget>> labels = new ArrayList<>();
    for (int i = 0; i < predictions.size(); i++) {
      if (predictions.get(i) == null) {
        continue; // an unreadable image, skipped
      }
      MaskTarget predicted = predictions.get(i).target();
      byte[] classes = predicted.classes();
      float[] confidences = predicted.hasConfidences() ? predicted.confidences() : null;
      int labeled = 0;
      double sum = 0;
      for (int p = 0; p < classes.length; p++) {
        if ((classes[p] & 0xFF) == MaskTarget.IGNORE) {
          continue;
        }
        if (confidences != null && confidences[p] < config.threshold()) {
          classes[p] = (byte) MaskTarget.IGNORE;
          continue;
        }
        labeled++;
        sum += confidences != null ? confidences[p] : predictions.get(i).confidence();
      }
      if (labeled < config.minLabeledFraction() * classes.length) {
        continue;
      }
      float confidence = labeled == 0 ? 0f : (float) Math.min(1.0, sum / labeled);
      labels.add(
          new PseudoLabel<>(
              i, MaskTarget.of(predicted.height(), predicted.width(), classes), confidence));
    }
    return labels;
  }

  @Override
  public String describe() {
    return config.describe();
  }
}
