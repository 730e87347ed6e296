package io.selftrain.core.eval;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * One ground-truth object of a {@link CocoGroundTruth}: an entry of a COCO file's {@code
 * annotations}.
 *
 * <p>Coordinates are in pixels, as in COCO: {@code [x, y, w, h]} is the box's top-left corner,
 * width and height. {@code area} decides the object's size range (small below 32², medium, large
 * above 96²); in COCO files it is the area of the segmentation, which is smaller than {@code w *
 * h}. The box itself is what detections are matched against.
 *
 * @param id the annotation id, unique within the ground truth; use ids from 1 as COCO does: like
 *     pycocotools, {@link CocoEvaluator} counts a detection matched to an annotation with id 0 as
 *     unmatched
 * @param imageId the image the object is in
 * @param categoryId its category
 * @param x the left edge of the box
 * @param y the top edge of the box
 * @param w the box width, at least 0
 * @param h the box height, at least 0
 * @param area the object area that sets its size range, at least 0
 * @param crowd whether this is a crowd region ({@code iscrowd = 1}): detections inside it are
 *     neither true nor false positives, and it is never missed
 */
public record CocoAnnotation(
    long id,
    long imageId,
    int categoryId,
    double x,
    double y,
    double w,
    double h,
    double area,
    boolean crowd) {

  /**
   * Checks the numbers.
   *
   * @throws IllegalArgumentException if a coordinate or the area is not finite, or the width,
   *     height or area is negative
   */
  public CocoAnnotation {
    checkArgument(
        Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(w) && Double.isFinite(h),
        "box must be finite: [%s, %s, %s, %s]",
        x,
        y,
        w,
        h);
    checkArgument(w >= 0 && h >= 0, "w and h must be at least 0: [%s, %s, %s, %s]", x, y, w, h);
    checkArgument(
        Double.isFinite(area) && area >= 0, "area must be a finite number at least 0: %s", area);
  }

  /**
   * An object that is not a crowd region, whose area is its box area {@code w * h}.
   *
   * @param id the annotation id (from 1)
   * @param imageId the image the object is in
   * @param categoryId its category
   * @param x the left edge of the box
   * @param y the top edge of the box
   * @param w the box width
   * @param h the box height
   * @return the annotation
   * @throws IllegalArgumentException if a coordinate is not finite or the width or height is
   *     negative
   */
  public static CocoAnnotation box(
      long id, long imageId, int categoryId, double x, double y, double w, double h) {
    return new CocoAnnotation(id, imageId, categoryId, x, y, w, h, w * h, false);
  }
}
