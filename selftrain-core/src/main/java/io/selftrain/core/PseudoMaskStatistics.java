package io.selftrain.core;

import io.selftrain.MaskTarget;
import io.selftrain.PseudoLabel;
import java.util.List;

/**
 * Computes {@link PseudoMaskStats} from the kept pseudo masks, the teacher's pixel probabilities
 * and, when known, the pool's truth.
 */
final class PseudoMaskStatistics {
  private PseudoMaskStatistics() {}

  /**
   * @param predictions the teacher's masks with per-pixel probabilities, one per pool image
   * @param labels the kept pseudo masks
   * @param truth the pool's true masks, or null
   * @param numClasses the number of classes
   * @return the statistics
   */
  static PseudoMaskStats of(
      List<MaskTarget> predictions,
      List<PseudoLabel<MaskTarget>> labels,
      List<MaskTarget> truth,
      int numClasses) {
    long[] histogram = new long[numClasses];
    long poolPixels = 0;
    for (MaskTarget p : predictions) {
      if (p == null) {
        continue; // an unreadable image, skipped
      }
      poolPixels += (long) p.height() * p.width();
    }
    double confidenceSum = 0;
    long labeled = 0;
    long judged = 0;
    long correct = 0;
    for (PseudoLabel<MaskTarget> label : labels) {
      byte[] classes = label.target().classes();
      MaskTarget predicted = predictions.get(label.poolIndex());
      float[] confidences = predicted.hasConfidences() ? predicted.confidences() : null;
      byte[] known = truth == null ? null : truth.get(label.poolIndex()).classes();
      for (int p = 0; p < classes.length; p++) {
        int c = classes[p] & 0xFF;
        if (c == MaskTarget.IGNORE) {
          continue;
        }
        if (c >= numClasses) {
          throw new IllegalStateException(
              "the teacher labeled pool image "
                  + label.poolIndex()
                  + " with class "
                  + c
                  + ", but the run has "
                  + numClasses
                  + " classes");
        }
        histogram[c]++;
        labeled++;
        confidenceSum += confidences != null ? confidences[p] : label.confidence();
        if (known != null && (known[p] & 0xFF) != MaskTarget.IGNORE) {
          judged++;
          correct += (known[p] & 0xFF) == c ? 1 : 0;
        }
      }
    }
    return new PseudoMaskStats(
        predictions.size(),
        labels.size(),
        poolPixels == 0 ? 0 : (double) labeled / poolPixels,
        histogram,
        labeled == 0 ? 0 : confidenceSum / labeled,
        judged == 0 ? -1 : (double) correct / judged);
  }
}
