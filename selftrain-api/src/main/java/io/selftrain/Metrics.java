package io.selftrain;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A model's scores on an evaluation set, by name, with one of them primary: top-1 accuracy for
 * classification ({@code "top1"}), COCO AP for detection ({@code "ap"}, {@code "ap50"}, ... as
 * pycocotools' {@code summarize()} lists them), mIoU for segmentation. Values are fractions; -1
 * marks a value that is undefined on the set (COCO's convention, for instance AP of small objects
 * when there are none).
 *
 * @param primary the name of the value that ranks models, a key of {@code values}
 * @param values the values by name, in the task's order
 */
public record Metrics(String primary, Map<String, Double> values) {
  /** Checks that the primary value exists; keeps the given order. */
  public Metrics {
    checkNotNull(primary, "primary");
    checkNotNull(values, "values");
    checkArgument(
        values.containsKey(primary),
        "values must hold the primary metric %s: %s",
        primary,
        values.keySet());
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /**
   * One value as the whole result, such as top-1 accuracy.
   *
   * @param name its name
   * @param value the value
   * @return the metrics
   */
  public static Metrics of(String name, double value) {
    return new Metrics(name, Map.of(name, value));
  }

  /**
   * @return the primary value
   */
  public double value() {
    return values.get(primary);
  }

  /**
   * One value by name.
   *
   * @param name a key of {@link #values()}
   * @return the value
   * @throws IllegalArgumentException if there is no such value
   */
  public double get(String name) {
    Double v = values.get(name);
    checkArgument(v != null, "no metric %s; these exist: %s", name, values.keySet());
    return v;
  }

  @Override
  public String toString() {
    StringJoiner s = new StringJoiner(", ");
    values.forEach((k, v) -> s.add(String.format(Locale.ROOT, "%s %.4f", k, v)));
    return s.toString();
  }
}
