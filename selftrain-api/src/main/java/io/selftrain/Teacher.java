package io.selftrain;

import java.util.List;

/**
 * Predicts targets with confidences for a batch of images. A teacher is never noised: no dropout,
 * no stochastic depth, no augmentation (Xie et al. 2020, Sec. 2: "the teacher is not noised when it
 * generates pseudo labels").
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

  /**
   * Identifies this teacher's weights and settings in a run's manifest: a run reuses pseudo labels
   * made by a given teacher only while its description is unchanged. The default names this object,
   * so a resumed run recomputes them; teachers loaded from files describe the files' content.
   *
   * @return a description that changes whenever the predictions may change
   */
  default String describe() {
    return getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(this));
  }

  /** Releases native memory held by the teacher. */
  @Override
  default void close() {}
}
