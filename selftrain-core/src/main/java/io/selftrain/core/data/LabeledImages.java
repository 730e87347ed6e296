package io.selftrain.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Origin;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * An immutable list of images, each with a class label in {@code [0, numClasses)}: a training set,
 * a test set, or the labeled part of a {@link SemiSupervisedSplit}.
 *
 * <p>The images themselves are shared, not copied (see {@link Image}); the list and the labels
 * cannot change.
 */
public final class LabeledImages {
  private final String name;
  private final List<Image> images;
  private final int[] labels;
  private final int numClasses;

  private LabeledImages(String name, List<Image> images, int[] labels, int numClasses) {
    this.name = name;
    this.images = images;
    this.labels = labels;
    this.numClasses = numClasses;
  }

  /**
   * Creates a labeled set; the list and the label array are copied.
   *
   * @param name a short name for logs and reports, e.g. {@code fashion-mnist/train}
   * @param images the images, none null
   * @param labels one label per image, each in {@code [0, numClasses)}
   * @param numClasses the number of classes, at least 2
   * @return the labeled set
   * @throws NullPointerException if an argument or an image is null
   * @throws IllegalArgumentException if the sizes differ, {@code numClasses < 2} or a label is out
   *     of range
   */
  public static LabeledImages of(String name, List<Image> images, int[] labels, int numClasses) {
    checkNotNull(name, "name");
    checkNotNull(images, "images");
    checkNotNull(labels, "labels");
    checkArgument(numClasses >= 2, "numClasses must be at least 2: %s", numClasses);
    checkArgument(
        labels.length == images.size(),
        "labels must have one entry per image (%s): %s",
        images.size(),
        labels.length);
    List<Image> copy = new ArrayList<>(images);
    for (int i = 0; i < labels.length; i++) {
      checkNotNull(copy.get(i), "images[%s]", i);
      int label = labels[i];
      if (label < 0 || label >= numClasses) {
        throw new IllegalArgumentException(
            String.format("labels[%s] must be in [0, %s): %s", i, numClasses, label));
      }
    }
    return new LabeledImages(name, Collections.unmodifiableList(copy), labels.clone(), numClasses);
  }

  /** Wraps already validated data without copying; {@code images} must be unmodifiable. */
  static LabeledImages trusted(String name, List<Image> images, int[] labels, int numClasses) {
    return new LabeledImages(name, images, labels, numClasses);
  }

  /**
   * @return the number of images
   */
  public int size() {
    return labels.length;
  }

  /**
   * One image.
   *
   * @param index in {@code [0, size())}
   * @return the image at {@code index}
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   */
  public Image image(int index) {
    return images.get(index);
  }

  /**
   * One label.
   *
   * @param index in {@code [0, size())}
   * @return the class of the image at {@code index}, in {@code [0, numClasses())}
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   */
  public int label(int index) {
    checkElementIndex(index, labels.length, "index");
    return labels[index];
  }

  /**
   * @return all images in order (unmodifiable)
   */
  public List<Image> images() {
    return images;
  }

  /**
   * @return a copy of all labels in order
   */
  public int[] labels() {
    return labels.clone();
  }

  /**
   * @return the number of classes
   */
  public int numClasses() {
    return numClasses;
  }

  /**
   * @return the name given at creation, e.g. {@code fashion-mnist/train}
   */
  public String name() {
    return name;
  }

  /**
   * The images at the given positions, in the given order, under the same name and number of
   * classes.
   *
   * @param indices positions in {@code [0, size())}; repeats are allowed and repeat the image
   * @return the subset
   * @throws IllegalArgumentException if an index is out of range
   */
  public LabeledImages subset(int[] indices) {
    checkNotNull(indices, "indices");
    List<Image> subImages = new ArrayList<>(indices.length);
    int[] subLabels = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      int index = indices[i];
      if (index < 0 || index >= labels.length) {
        throw new IllegalArgumentException(
            String.format("indices[%s] must be in [0, %s): %s", i, labels.length, index));
      }
      subImages.add(images.get(index));
      subLabels[i] = labels[index];
    }
    return new LabeledImages(name, Collections.unmodifiableList(subImages), subLabels, numClasses);
  }

  /**
   * @return the number of images of each class, indexed by class ({@code numClasses()} entries)
   */
  public int[] classCounts() {
    int[] counts = new int[numClasses];
    for (int label : labels) {
      counts[label]++;
    }
    return counts;
  }

  /**
   * @return one human-labeled example per image, in order, with a hard {@link ClassTarget}
   */
  public List<Example<ClassTarget>> toExamples() {
    ClassTarget[] targets = new ClassTarget[numClasses];
    List<Example<ClassTarget>> examples = new ArrayList<>(labels.length);
    for (int i = 0; i < labels.length; i++) {
      int label = labels[i];
      if (targets[label] == null) {
        targets[label] = ClassTarget.index(label, numClasses);
      }
      examples.add(new Example<>(images.get(i), targets[label], Origin.HUMAN));
    }
    return Collections.unmodifiableList(examples);
  }

  @Override
  public String toString() {
    return "LabeledImages["
        + name
        + ", "
        + labels.length
        + " images, "
        + numClasses
        + " classes, counts "
        + Arrays.toString(classCounts())
        + "]";
  }
}
