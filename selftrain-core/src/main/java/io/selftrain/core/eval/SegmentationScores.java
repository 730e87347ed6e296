package io.selftrain.core.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Semantic segmentation scores of a whole data set ({@link ConfusionMatrix#scores()}): mean IoU
 * over the classes present in truth or prediction (Zoph et al. 2020 report mIoU on PASCAL VOC),
 * pixel accuracy and each class's IoU (NaN for a class absent from both).
 *
 * @param miou the mean IoU, as a fraction
 * @param pixelAccuracy the fraction of non-ignored pixels predicted right
 * @param perClassIou IoU per class, class 0 first
 */
public record SegmentationScores(double miou, double pixelAccuracy, double[] perClassIou) {
  private static final String IOU = "iou/";

  /** Copies the array. */
  public SegmentationScores {
    perClassIou = perClassIou.clone();
  }

  @Override
  public double[] perClassIou() {
    return perClassIou.clone();
  }

  /**
   * @return {@code miou}, {@code pixelAccuracy}, then {@code iou/0}, {@code iou/1}, ...
   */
  public Map<String, Double> asMap() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("miou", miou);
    m.put("pixelAccuracy", pixelAccuracy);
    for (int k = 0; k < perClassIou.length; k++) {
      m.put(IOU + k, perClassIou[k]);
    }
    return m;
  }

  /**
   * The per-class IoU of a map written by {@link #asMap()}.
   *
   * @param values the metrics by name
   * @return {@code iou/0}, {@code iou/1}, ... in class order, up to the first class missing
   */
  public static double[] perClassIou(Map<String, Double> values) {
    List<Double> found = new ArrayList<>();
    for (int k = 0; values.containsKey(IOU + k); k++) {
      found.add(values.get(IOU + k));
    }
    return found.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SegmentationScores s
        && Double.compare(s.miou, miou) == 0
        && Double.compare(s.pixelAccuracy, pixelAccuracy) == 0
        && java.util.Arrays.equals(s.perClassIou, perClassIou);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(perClassIou);
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT, "mIoU %.4f, pixel accuracy %.4f", miou, pixelAccuracy);
  }
}
