package io.selftrain.core.eval;

import static com.google.common.base.Preconditions.checkArgument;

import io.selftrain.MaskTarget;

/**
 * The pixel confusion matrix of semantic segmentation, accumulated over a whole data set, from
 * which mIoU is computed once (the PASCAL VOC protocol of Zoph et al. 2020's segmentation results:
 * one matrix of all pixels, not a mean of per-image scores). Pixels whose true label is {@link
 * MaskTarget#IGNORE} are skipped; a pixel the model left unlabeled (a predicted value of {@code
 * numClasses} or more, 255 included) counts as a miss of its true class: a false negative for that
 * class and a false positive for none.
 */
public final class ConfusionMatrix {
  private final int numClasses;
  private final long[] counts;
  private final long[] unlabeled;

  /**
   * An empty matrix.
   *
   * @param numClasses the classes, background included, in [2, 255]
   * @throws IllegalArgumentException if {@code numClasses} is out of range
   */
  public ConfusionMatrix(int numClasses) {
    checkArgument(
        numClasses >= 2 && numClasses <= MaskTarget.IGNORE,
        "numClasses must be in [2, 255]: %s",
        numClasses);
    this.numClasses = numClasses;
    this.counts = new long[numClasses * numClasses];
    this.unlabeled = new long[numClasses];
  }

  /**
   * Counts every pixel of one image.
   *
   * @param truth the true mask
   * @param prediction the predicted mask, of the same size
   * @throws IllegalArgumentException if the sizes differ or a true value is neither a class nor 255
   */
  public void add(MaskTarget truth, MaskTarget prediction) {
    checkArgument(
        truth.height() == prediction.height() && truth.width() == prediction.width(),
        "prediction must be the truth's %sx%s: %sx%s",
        truth.height(),
        truth.width(),
        prediction.height(),
        prediction.width());
    byte[] t = truth.classes();
    byte[] p = prediction.classes();
    for (int i = 0; i < t.length; i++) {
      int actual = t[i] & 0xFF;
      if (actual == MaskTarget.IGNORE) {
        continue;
      }
      if (actual >= numClasses) {
        throw new IllegalArgumentException(
            "truth has value "
                + actual
                + " at (x "
                + i % truth.width()
                + ", y "
                + i / truth.width()
                + "), neither a class below "
                + numClasses
                + " nor 255");
      }
      int predicted = p[i] & 0xFF;
      if (predicted < numClasses) {
        counts[actual * numClasses + predicted]++;
      } else {
        unlabeled[actual]++;
      }
    }
  }

  /**
   * Adds another matrix's counts (for instance one per worker).
   *
   * @param other a matrix of as many classes
   * @throws IllegalArgumentException if the class counts differ
   */
  public void addAll(ConfusionMatrix other) {
    checkArgument(
        other.numClasses == numClasses,
        "other must have %s classes: %s",
        numClasses,
        other.numClasses);
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    for (int k = 0; k < numClasses; k++) {
      unlabeled[k] += other.unlabeled[k];
    }
  }

  /**
   * @return the number of classes
   */
  public int numClasses() {
    return numClasses;
  }

  /**
   * @param truthClass the true class
   * @param predictedClass the predicted class
   * @return pixels of {@code truthClass} predicted as {@code predictedClass}
   */
  public long count(int truthClass, int predictedClass) {
    return counts[truthClass * numClasses + predictedClass];
  }

  /**
   * @param truthClass the true class
   * @return pixels of {@code truthClass} the model left unlabeled
   */
  public long unlabeled(int truthClass) {
    return unlabeled[truthClass];
  }

  /**
   * The scores: per class IoU = TP / (TP + FP + FN), NaN for a class absent from truth and
   * prediction; mIoU the mean over the other classes; pixel accuracy the fraction of counted pixels
   * predicted right.
   *
   * @return the scores (NaN everywhere for an empty matrix)
   */
  public SegmentationScores scores() {
    double[] iou = new double[numClasses];
    double sum = 0;
    int present = 0;
    long correct = 0;
    long total = 0;
    for (int k = 0; k < numClasses; k++) {
      long tp = count(k, k);
      long fn = unlabeled[k];
      long fp = 0;
      for (int j = 0; j < numClasses; j++) {
        if (j != k) {
          fn += count(k, j);
          fp += count(j, k);
        }
      }
      long union = tp + fp + fn;
      iou[k] = union == 0 ? Double.NaN : (double) tp / union;
      if (union > 0) {
        sum += iou[k];
        present++;
      }
      correct += tp;
      total += tp + fn;
    }
    return new SegmentationScores(
        present == 0 ? Double.NaN : sum / present,
        total == 0 ? Double.NaN : (double) correct / total,
        iou);
  }
}
