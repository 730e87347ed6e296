package io.selftrain.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * How one image was fitted to a square model input (see {@link CocoDataset#fitted(int)}): scaled by
 * {@code scale}, aspect ratio kept, and placed at the top-left of the input, the rest padded. It
 * maps boxes between the two pixel frames, so detections made on the model input can be written
 * back in the coordinates of the original image.
 *
 * <pre>{@code
 * CocoDataset input = CocoDataset.load(json, images).fitted(640);
 * float[] detected = ...;  // xyxy boxes on input.examples().get(i).image(), 640 x 640
 * float[] original = input.letterbox(i).toOriginal(detected);
 * }</pre>
 *
 * <p>Both frames measure pixel edges: the original image covers {@code [0, originalWidth] x [0,
 * originalHeight]}, and a point {@code p} of it lands on {@code p * scale} of the input. An image
 * that is not fitted has {@code scale = 1}, which maps boxes onto themselves (clipped to the
 * image).
 *
 * @param scale input pixels per original pixel, positive
 * @param originalHeight rows of the original image, positive
 * @param originalWidth columns of the original image, positive
 */
public record Letterbox(double scale, int originalHeight, int originalWidth) {
  /** Checks the scale and sizes. */
  public Letterbox {
    checkArgument(
        scale > 0 && Double.isFinite(scale), "scale must be positive and finite: %s", scale);
    checkArgument(originalHeight > 0, "originalHeight must be positive: %s", originalHeight);
    checkArgument(originalWidth > 0, "originalWidth must be positive: %s", originalWidth);
  }

  /**
   * The letterbox that fits an image into a {@code size x size} input: {@code scale = size /
   * max(height, width)}, so the longer side becomes exactly {@code size}. An image whose longer
   * side already is {@code size} gets {@code scale = 1}.
   *
   * @param height rows of the original image, positive
   * @param width columns of the original image, positive
   * @param size the side of the square input, positive
   * @return the letterbox
   * @throws IllegalArgumentException if a size is not positive
   */
  public static Letterbox fit(int height, int width, int size) {
    checkArgument(height > 0, "height must be positive: %s", height);
    checkArgument(width > 0, "width must be positive: %s", width);
    checkArgument(size > 0, "size must be positive: %s", size);
    return new Letterbox((double) size / Math.max(height, width), height, width);
  }

  /**
   * @return rows of the resized image inside the input, {@code round(originalHeight * scale)} (half
   *     to even) and at least 1; the rows below it are padding
   */
  public int scaledHeight() {
    return Math.max(1, (int) Math.rint(originalHeight * scale));
  }

  /**
   * @return columns of the resized image inside the input, {@code round(originalWidth * scale)}
   *     (half to even) and at least 1; the columns right of it are padding
   */
  public int scaledWidth() {
    return Math.max(1, (int) Math.rint(originalWidth * scale));
  }

  /**
   * Maps boxes from the original image onto the model input: every coordinate times {@code scale},
   * not clipped (a box inside the original image lands inside the scaled image, so inside the
   * input). Float rounding can map the two edges of a very thin box to the same value; such a box
   * (one with {@code x1 < x2} or {@code y1 < y2} before) gets its far edge moved to the next float,
   * so it keeps a tiny positive size. Other boxes are mapped as they are.
   *
   * @param xyxyBoxes 4K values, boxes {@code (x1, y1, x2, y2)} in original pixels
   * @return 4K new values, in input pixels
   * @throws IllegalArgumentException if the length is not a multiple of 4
   */
  public float[] toInput(float[] xyxyBoxes) {
    checkBoxes(xyxyBoxes);
    float[] out = new float[xyxyBoxes.length];
    for (int i = 0; i < xyxyBoxes.length; i++) {
      out[i] = (float) (xyxyBoxes[i] * scale);
      boolean farEdge = i % 4 >= 2;
      if (farEdge && xyxyBoxes[i - 2] < xyxyBoxes[i] && !(out[i - 2] < out[i])) {
        out[i] = Math.nextUp(out[i - 2]);
      }
    }
    return out;
  }

  /**
   * Maps boxes from the model input back to the original image: every coordinate divided by {@code
   * scale}, then clipped to {@code [0, originalWidth] x [0, originalHeight]}. A box that lies in
   * the padding comes back empty ({@code x1 == x2} or {@code y1 == y2}); callers writing detections
   * usually drop those.
   *
   * @param xyxyBoxes 4K values, boxes {@code (x1, y1, x2, y2)} in input pixels
   * @return 4K new values, in original pixels
   * @throws IllegalArgumentException if the length is not a multiple of 4
   */
  public float[] toOriginal(float[] xyxyBoxes) {
    checkBoxes(xyxyBoxes);
    float[] out = new float[xyxyBoxes.length];
    for (int i = 0; i < xyxyBoxes.length; i++) {
      float limit = i % 2 == 0 ? originalWidth : originalHeight;
      out[i] = clip((float) (xyxyBoxes[i] / scale), limit);
    }
    return out;
  }

  private static void checkBoxes(float[] xyxyBoxes) {
    checkNotNull(xyxyBoxes, "xyxyBoxes");
    checkArgument(
        xyxyBoxes.length % 4 == 0, "xyxyBoxes must hold 4 values per box: %s", xyxyBoxes.length);
  }

  private static float clip(float value, float limit) {
    return Math.max(0f, Math.min(limit, value));
  }
}
