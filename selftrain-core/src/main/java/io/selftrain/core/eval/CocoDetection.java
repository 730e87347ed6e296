package io.selftrain.core.eval;

import static com.google.common.base.Preconditions.checkArgument;

import io.selftrain.core.data.CorruptDataException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * One detected box with its confidence, as in the COCO results format: one entry of {@code
 * [{"image_id": 42, "category_id": 3, "bbox": [x, y, w, h], "score": 0.9}, ...]}.
 *
 * <p>Numbers are {@code double}, as JSON numbers are read by pycocotools (Python floats), so a
 * results file evaluates to the same values here and there. Coordinates are in pixels: {@code [x,
 * y, w, h]} is the top-left corner, width and height. The box area {@code w * h} decides which size
 * range (small, medium, large) an unmatched detection is counted in.
 *
 * <pre>{@code
 * CocoDetection.write(Path.of("detections.json"), detections);
 * List<CocoDetection> again = CocoDetection.read(Path.of("detections.json"));
 * }</pre>
 *
 * @param imageId the image the box is in
 * @param categoryId the predicted category
 * @param x the left edge
 * @param y the top edge
 * @param w the width, at least 0
 * @param h the height, at least 0
 * @param score the confidence: higher scores are matched first
 */
public record CocoDetection(
    long imageId, int categoryId, double x, double y, double w, double h, double score) {

  /**
   * Checks the numbers.
   *
   * @throws IllegalArgumentException if a coordinate or the score is not finite, or the width or
   *     height is negative
   */
  public CocoDetection {
    checkArgument(
        Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(w) && Double.isFinite(h),
        "box must be finite: [%s, %s, %s, %s]",
        x,
        y,
        w,
        h);
    checkArgument(w >= 0 && h >= 0, "w and h must be at least 0: [%s, %s, %s, %s]", x, y, w, h);
    checkArgument(Double.isFinite(score), "score must be finite: %s", score);
  }

  /**
   * Reads a COCO results file: a JSON array of objects with {@code image_id}, {@code category_id},
   * {@code bbox} ({@code [x, y, w, h]}, width and height at least 0) and {@code score} (finite).
   * Other fields, such as {@code segmentation}, are not read.
   *
   * @param json the results file
   * @return the detections, in file order (unmodifiable)
   * @throws FileNotFoundException if the file does not exist
   * @throws CorruptDataException if the file is not a JSON array of such objects; the message names
   *     the file and the entry, e.g. {@code detections.json: [7].score must be a finite number:
   *     "high"}
   * @throws IOException if the file cannot be read
   */
  public static List<CocoDetection> read(Path json) throws IOException {
    return CocoResults.read(json);
  }

  /**
   * Writes detections as a COCO results file, one detection a line, atomically: readers see the old
   * file or the whole new one. Numbers are written so that {@link #read} gives back the same
   * values.
   *
   * @param json the file to create or replace (its folder is created if needed)
   * @param detections what to write, in this order
   * @throws IOException if the file cannot be written; it is then unchanged
   */
  public static void write(Path json, Collection<CocoDetection> detections) throws IOException {
    CocoResults.write(json, detections);
  }
}
