package io.selftrain.core.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The twelve numbers of pycocotools' {@code COCOeval.summarize()} for boxes, in its order ({@code
 * stats[0]} to {@code stats[11]}), as fractions (0.5 is 50 AP).
 *
 * <p>AP is averaged over the IoU thresholds 0.50:0.05:0.95 (unless the name gives one), the 101
 * recall points and the categories; AR over the IoU thresholds and the categories. Small, medium
 * and large objects have an area below 32², between 32² and 96², and above 96². A number is -1
 * where pycocotools gives -1: when no category has an object to find in that setting (for example
 * {@code apLarge} without large objects).
 *
 * @param ap AP at IoU 0.50:0.95, all areas, 100 detections per image and category
 * @param ap50 AP at IoU 0.50
 * @param ap75 AP at IoU 0.75
 * @param apSmall AP for small objects
 * @param apMedium AP for medium objects
 * @param apLarge AP for large objects
 * @param ar1 AR with 1 detection per image and category
 * @param ar10 AR with 10 detections per image and category
 * @param ar100 AR with 100 detections per image and category
 * @param arSmall AR for small objects
 * @param arMedium AR for medium objects
 * @param arLarge AR for large objects
 */
public record DetectionMetrics(
    double ap,
    double ap50,
    double ap75,
    double apSmall,
    double apMedium,
    double apLarge,
    double ar1,
    double ar10,
    double ar100,
    double arSmall,
    double arMedium,
    double arLarge) {

  /**
   * The numbers by name, in pycocotools' order: {@code ap, ap50, ap75, apSmall, apMedium, apLarge,
   * ar1, ar10, ar100, arSmall, arMedium, arLarge}.
   *
   * @return an unmodifiable map that iterates in that order
   */
  public Map<String, Double> asMap() {
    Map<String, Double> map = new LinkedHashMap<>();
    map.put("ap", ap);
    map.put("ap50", ap50);
    map.put("ap75", ap75);
    map.put("apSmall", apSmall);
    map.put("apMedium", apMedium);
    map.put("apLarge", apLarge);
    map.put("ar1", ar1);
    map.put("ar10", ar10);
    map.put("ar100", ar100);
    map.put("arSmall", arSmall);
    map.put("arMedium", arMedium);
    map.put("arLarge", arLarge);
    return Collections.unmodifiableMap(map);
  }
}
