package io.selftrain.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;

/**
 * An image classification dataset: a training set, a test set and the names of the classes.
 *
 * @param name the dataset, e.g. {@code fashion-mnist}
 * @param train the training images
 * @param test the held-out test images
 * @param classNames one name per class, in label order (copied, unmodifiable)
 */
public record ImageDataset(
    String name, LabeledImages train, LabeledImages test, List<String> classNames) {
  /**
   * Checks that no component is null and that both sets and the names agree on the number of
   * classes.
   *
   * @param name the dataset, e.g. {@code fashion-mnist}
   * @param train the training images
   * @param test the held-out test images
   * @param classNames one name per class, in label order
   * @throws IllegalArgumentException if the numbers of classes differ
   */
  public ImageDataset {
    checkNotNull(name, "name");
    checkNotNull(train, "train");
    checkNotNull(test, "test");
    classNames = List.copyOf(checkNotNull(classNames, "classNames"));
    checkArgument(
        classNames.size() == train.numClasses(),
        "classNames must have one name per class of train (%s): %s",
        train.numClasses(),
        classNames.size());
    checkArgument(
        test.numClasses() == train.numClasses(),
        "test must have the number of classes of train (%s): %s",
        train.numClasses(),
        test.numClasses());
  }

  /**
   * @return the number of classes
   */
  public int numClasses() {
    return classNames.size();
  }
}
