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
 * probability of its labeled pixels (0 when none is). With class balancing, each class's threshold
 * comes first from the whole pool's confidences; nothing is drawn from the generator.
 */
final class MaskPseudoLabeler implements PseudoLabeler<MaskTarget> {
  /** Bins of the per-class confidence histograms of class balancing. */
  private static final int BINS = 1000;

  private final MaskPseudoLabelConfig config;

  MaskPseudoLabeler(MaskPseudoLabelConfig config) {
    this.config = config;
  }

  @Override
  public List<PseudoLabel<MaskTarget>> select(
      List<Prediction<MaskTarget>> predictions, SplittableRandom rng) {
    float[] thresholds = thresholds(predictions);
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
        int c = classes[p] & 0xFF;
        if (c == MaskTarget.IGNORE) {
          continue;
        }
        if (confidences != null && confidences[p] < threshold(thresholds, c)) {
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

  private float threshold(float[] perClass, int c) {
    return c < perClass.length ? perClass[c] : (float) config.threshold();
  }

  /**
   * Each class's threshold: the configured one, lowered for a class to the confidence that keeps
   * {@link MaskPseudoLabelConfig#classBalance()} of the pixels predicted as it (found on a
   * histogram of {@value #BINS} bins over [0, 1], rounding down to a bin's lower edge, so at least
   * that fraction is kept).
   */
  private float[] thresholds(List<Prediction<MaskTarget>> predictions) {
    if (config.classBalance() <= 0) {
      return new float[0];
    }
    long[][] histograms = new long[MaskTarget.IGNORE][];
    for (Prediction<MaskTarget> prediction : predictions) {
      if (prediction == null || !prediction.target().hasConfidences()) {
        continue;
      }
      byte[] classes = prediction.target().classes();
      float[] confidences = prediction.target().confidences();
      for (int p = 0; p < classes.length; p++) {
        int c = classes[p] & 0xFF;
        if (c == MaskTarget.IGNORE) {
          continue;
        }
        if (histograms[c] == null) {
          histograms[c] = new long[BINS];
        }
        histograms[c][Math.min(BINS - 1, (int) (confidences[p] * BINS))]++;
      }
    }
    float[] thresholds = new float[MaskTarget.IGNORE];
    for (int c = 0; c < thresholds.length; c++) {
      thresholds[c] = (float) config.threshold();
      if (histograms[c] == null) {
        continue;
      }
      long total = 0;
      for (long n : histograms[c]) {
        total += n;
      }
      long kept = 0;
      for (int bin = BINS - 1; bin >= 0; bin--) {
        kept += histograms[c][bin];
        if (kept >= config.classBalance() * total) {
          thresholds[c] = Math.min(thresholds[c], (float) bin / BINS);
          break;
        }
      }
    }
    return thresholds;
  }

  @Override
  public String describe() {
    return config.describe();
  }
}
