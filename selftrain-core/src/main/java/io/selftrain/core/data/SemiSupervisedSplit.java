package io.selftrain.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import io.selftrain.Image;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The semi-supervised setting of self-training: a small labeled subset of a training set, and the
 * rest of it as an unlabeled pool with its labels dropped, for the teacher to pseudo-label.
 *
 * <h2>How the split is made</h2>
 *
 * <ul>
 *   <li>The labeled subset is class-stratified: each of the {@code K} classes gets {@code labels /
 *       K} examples, and the first {@code labels % K} classes one more. Each class's examples are
 *       picked by a seeded shuffle of that class. The subset keeps the training set's order.
 *   <li>The unlabeled pool is every other training image, in a seeded shuffled order, cut to the
 *       first {@code unlabeledCap} images when a cap is given. Only the images are kept; {@link
 *       #unlabeledIndices()} says where each came from, for diagnostics.
 * </ul>
 *
 * <p>All randomness comes from one {@link SplittableRandom} seeded with {@code seed}: the same
 * training set, arguments and seed give the same split on every run and JVM.
 */
public final class SemiSupervisedSplit {
  private final LabeledImages labeled;
  private final int[] labeledIndices;
  private final List<Image> unlabeled;
  private final int[] unlabeledIndices;
  private final long seed;

  private SemiSupervisedSplit(
      LabeledImages labeled,
      int[] labeledIndices,
      List<Image> unlabeled,
      int[] unlabeledIndices,
      long seed) {
    this.labeled = labeled;
    this.labeledIndices = labeledIndices;
    this.unlabeled = unlabeled;
    this.unlabeledIndices = unlabeledIndices;
    this.seed = seed;
  }

  /**
   * Splits a training set.
   *
   * @param train the labeled training set
   * @param labels how many examples keep their label, in {@code [numClasses, train.size()]}; every
   *     class must have its share (see the class comment)
   * @param unlabeledCap the most images in the unlabeled pool; {@code 0}, any negative value and
   *     {@link Integer#MAX_VALUE} mean no cap
   * @param seed the seed of every random choice
   * @return the split
   * @throws IllegalArgumentException if {@code labels} is out of range or a class has fewer
   *     examples than its share
   */
  public static SemiSupervisedSplit of(
      LabeledImages train, int labels, int unlabeledCap, long seed) {
    checkNotNull(train, "train");
    int numClasses = train.numClasses();
    checkArgument(
        labels >= numClasses,
        "labels must be at least the number of classes (%s): %s",
        numClasses,
        labels);
    checkArgument(
        labels <= train.size(),
        "labels must be at most the training set size (%s): %s",
        train.size(),
        labels);

    int[] trainLabels = train.labels();
    int[] counts = train.classCounts();
    int[][] byClass = new int[numClasses][];
    for (int k = 0; k < numClasses; k++) {
      byClass[k] = new int[counts[k]];
    }
    int[] filled = new int[numClasses];
    for (int i = 0; i < trainLabels.length; i++) {
      int k = trainLabels[i];
      byClass[k][filled[k]++] = i;
    }

    SplittableRandom random = new SplittableRandom(seed);
    boolean[] isLabeled = new boolean[trainLabels.length];
    int[] labeledIndices = new int[labels];
    int next = 0;
    for (int k = 0; k < numClasses; k++) {
      int share = labels / numClasses + (k < labels % numClasses ? 1 : 0);
      if (counts[k] < share) {
        throw new IllegalArgumentException(
            String.format(
                "labels needs %s examples of class %s, which has only %s: %s",
                share, k, counts[k], labels));
      }
      SplittableRandom classRandom = random.split();
      int[] members = byClass[k];
      // Partial Fisher-Yates: members[0, share) becomes a uniform random sample of the class.
      for (int i = 0; i < share; i++) {
        swap(members, i, i + classRandom.nextInt(members.length - i));
        isLabeled[members[i]] = true;
        labeledIndices[next++] = members[i];
      }
    }
    Arrays.sort(labeledIndices);

    int[] pool = new int[trainLabels.length - labels];
    int p = 0;
    for (int i = 0; i < trainLabels.length; i++) {
      if (!isLabeled[i]) {
        pool[p++] = i;
      }
    }
    SplittableRandom poolRandom = random.split();
    for (int i = pool.length - 1; i > 0; i--) {
      swap(pool, i, poolRandom.nextInt(i + 1));
    }
    if (unlabeledCap > 0 && unlabeledCap < pool.length) {
      pool = Arrays.copyOf(pool, unlabeledCap);
    }
    List<Image> unlabeled = new ArrayList<>(pool.length);
    for (int index : pool) {
      unlabeled.add(train.image(index));
    }
    return new SemiSupervisedSplit(
        train.subset(labeledIndices),
        labeledIndices,
        Collections.unmodifiableList(unlabeled),
        pool,
        seed);
  }

  /**
   * @return the labeled subset, in training set order
   */
  public LabeledImages labeled() {
    return labeled;
  }

  /**
   * @return a copy of the training set positions of {@link #labeled()}, ascending
   */
  public int[] labeledIndices() {
    return labeledIndices.clone();
  }

  /**
   * @return the unlabeled pool, shuffled and capped, without labels (unmodifiable)
   */
  public List<Image> unlabeled() {
    return unlabeled;
  }

  /**
   * @return a copy of the training set position of each image of {@link #unlabeled()}, in pool
   *     order
   */
  public int[] unlabeledIndices() {
    return unlabeledIndices.clone();
  }

  /**
   * @return the seed the split was made with
   */
  public long seed() {
    return seed;
  }

  @Override
  public String toString() {
    return "SemiSupervisedSplit["
        + labeled.name()
        + ", "
        + labeledIndices.length
        + " labeled, "
        + unlabeledIndices.length
        + " unlabeled, seed "
        + seed
        + "]";
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
