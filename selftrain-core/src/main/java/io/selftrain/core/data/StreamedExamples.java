package io.selftrain.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import io.selftrain.Example;
import io.selftrain.Origin;
import io.selftrain.Target;
import java.util.List;

/**
 * Human-labeled examples whose images stay on disk ({@link StreamedImages}) and whose targets are
 * held in memory (a class index or a box list is small; the pixels are not): for a labeled set too
 * large to decode into memory. Works wherever a {@code List<Example<T>>} does, and a run never
 * copies it; each {@link #get} reads the image again.
 *
 * <pre>{@code
 * StreamedImages images = StreamedImages.idx(Path.of("train-images-idx3-ubyte"));
 * List<ClassTarget> targets = ...;   // one per image, e.g. from IdxFiles.readLabels
 * StreamedExamples<ClassTarget> labeled = StreamedExamples.of(images, targets);
 * }</pre>
 *
 * @param <T> the target type
 */
public final class StreamedExamples<T extends Target> extends DiskBackedList<Example<T>> {
  private final StreamedImages images;
  private final List<T> targets;

  private StreamedExamples(StreamedImages images, List<T> targets) {
    this.images = images;
    this.targets = targets;
  }

  /**
   * Pairs streamed images with their targets, as human labels.
   *
   * @param images the images, read when needed
   * @param targets one target per image, in the same order (copied)
   * @return the examples
   * @throws IllegalArgumentException if the counts differ
   */
  public static <T extends Target> StreamedExamples<T> of(StreamedImages images, List<T> targets) {
    checkNotNull(images, "images");
    checkNotNull(targets, "targets");
    checkArgument(
        images.size() == targets.size(),
        "targets must hold one target per image (%s images): %s",
        images.size(),
        targets.size());
    return new StreamedExamples<>(images, List.copyOf(targets));
  }

  /**
   * @param index an example's position
   * @return its target, without reading the image
   */
  public T target(int index) {
    return targets.get(index);
  }

  /**
   * @return the images, as read from disk
   */
  public StreamedImages images() {
    return images;
  }

  /**
   * Reads the image and pairs it with its target.
   *
   * @throws UnreadableImageException naming the file if it cannot be read
   */
  @Override
  public Example<T> get(int index) {
    return new Example<>(images.get(index), targets.get(index), Origin.HUMAN);
  }

  @Override
  public int size() {
    return targets.size();
  }

  /** Size and first file, not the images. */
  @Override
  public String toString() {
    return "StreamedExamples(" + size() + " examples, images from " + images.where(0) + ")";
  }
}
