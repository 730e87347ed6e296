package io.selftrain.augment;

import ai.djl.ndarray.NDArray;
import io.selftrain.MaskTarget;
import io.selftrain.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A batch augmented by a {@link DeviceAugmenter}: the images as one NCHW uint8 array on the
 * manager's device, the masks (segmentation) as one {@code (N, H, W)} uint8 array with 255 marking
 * exposed pixels, and the targets on the host. Closing the batch closes its arrays; otherwise they
 * live as long as the manager they were made on.
 *
 * @param <T> the target type
 */
public final class DeviceBatch<T extends Target> implements AutoCloseable {
  private final NDArray images;
  private final NDArray masks;
  private final List<T> targets;

  DeviceBatch(NDArray images, NDArray masks, List<T> targets) {
    this.images = images;
    this.masks = masks;
    this.targets = targets;
  }

  /**
   * @return the number of examples
   */
  public int size() {
    return (int) images.getShape().get(0);
  }

  /**
   * @return {@code (N, C, H, W)} uint8 images, in the order of the input
   */
  public NDArray images() {
    return images;
  }

  /**
   * @return {@code (N, H, W)} uint8 class masks ({@link MaskTarget#IGNORE} where pixels were
   *     exposed), if the targets are masks
   */
  public Optional<NDArray> masks() {
    return Optional.ofNullable(masks);
  }

  /**
   * The targets in input order: classes unchanged, boxes moved, clipped and filtered with the CPU
   * path's box code. For masks this copies {@link #masks()} to the host; stay with {@link #masks()}
   * to keep them on the device.
   *
   * @return the targets
   */
  @SuppressWarnings("unchecked")
  public List<T> targets() {
    if (masks == null) {
      return targets;
    }
    int n = size();
    int h = (int) masks.getShape().get(1);
    int w = (int) masks.getShape().get(2);
    byte[] all = masks.toByteArray();
    List<T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] classes = new byte[h * w];
      System.arraycopy(all, i * h * w, classes, 0, h * w);
      out.add((T) MaskTarget.of(h, w, classes));
    }
    return List.copyOf(out);
  }

  /** Closes the images and masks. */
  @Override
  public void close() {
    images.close();
    if (masks != null) {
      masks.close();
    }
  }

  @Override
  public String toString() {
    return "DeviceBatch["
        + images.getShape()
        + (masks == null ? "" : ", masks " + masks.getShape())
        + "]";
  }
}
