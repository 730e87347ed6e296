package io.selftrain;

import java.util.List;

/**
 * Predicts targets with confidences for a batch of images. A teacher is never noised: no dropout, no
 * stochastic depth, no augmentation (Xie et al. 2020, Sec. 2: "the teacher is not noised when it generates
 * pseudo labels").
 *
 * <p>Implementations: a trained DJL model on any engine, a TensorFlow SavedModel, an ensemble.
 *
 * @param <T> the task's target type
 */
public interface Teacher<T extends Target> extends AutoCloseable {
  /**
   * Predicts one target per image, in order.
   *
   * @param images a batch of images of the size the teacher expects
   * @return one prediction per image
   */
  List<Prediction<T>> predict(List<Image> images);

  /** Releases native memory held by the teacher. */
  @Override
  default void close() {}
}
