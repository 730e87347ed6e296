package io.selftrain.core;

import io.selftrain.Example;
import io.selftrain.MaskTarget;
import java.util.List;

/**
 * The logit offsets that correct a student's pseudo-labeled rows for the class prior of the pseudo
 * masks (logit adjustment, Menon et al. 2021, applied to the label shift between pseudo and human
 * labels, the shift that distribution alignment removes in ReMixMatch, Berthelot et al. 2020). A
 * teacher's thresholded pseudo masks under-represent the classes it is unsure of (a garment it
 * confuses with its neighbours keeps a fraction of its pixels, the neighbours gain them), and a
 * student trained on them learns that skewed prior on top of the teacher's confusions. Training the
 * pseudo rows on {@code logits + tau (log pi_pseudo(c) - log pi_human(c))} while predicting with
 * the plain logits makes the student's own predictions follow the human labels' prior: a class the
 * pseudo masks hold too rarely gets a negative offset during training, so the student's plain
 * logits must rise for it. Priors are pixel frequencies over the labeled (non-ignored) pixels, with
 * one pseudo-count per class.
 */
final class PseudoPriorCorrection {
  private PseudoPriorCorrection() {}

  /**
   * @param human the human-labeled examples
   * @param pseudo the pseudo-labeled examples
   * @param numClasses the classes, background included
   * @param tau the strength (1 = the full log prior ratio)
   * @return one offset per class, added to the pseudo rows' logits in the loss
   */
  static float[] offsets(
      List<Example<MaskTarget>> human,
      List<Example<MaskTarget>> pseudo,
      int numClasses,
      double tau) {
    double[] humanPrior = prior(human, numClasses);
    double[] pseudoPrior = prior(pseudo, numClasses);
    float[] offsets = new float[numClasses];
    for (int c = 0; c < numClasses; c++) {
      offsets[c] = (float) (tau * (Math.log(pseudoPrior[c]) - Math.log(humanPrior[c])));
    }
    return offsets;
  }

  /** Each class's share of the labeled pixels, with one pseudo-count per class. */
  static double[] prior(List<Example<MaskTarget>> examples, int numClasses) {
    long[] counts = new long[numClasses];
    long total = 0;
    for (Example<MaskTarget> e : examples) {
      for (byte b : e.target().classes()) {
        int c = b & 0xFF;
        if (c < numClasses) {
          counts[c]++;
          total++;
        }
      }
    }
    double[] prior = new double[numClasses];
    for (int c = 0; c < numClasses; c++) {
      prior[c] = (counts[c] + 1.0) / (total + numClasses);
    }
    return prior;
  }
}
