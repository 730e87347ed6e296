package io.selftrain.core.label;

import static com.google.common.base.Preconditions.checkState;

import org.immutables.value.Value;

/**
 * Rules that turn a classification teacher's predictions into pseudo labels (Xie et al. 2020, Sec.
 * 2 and 3.1; google-research/noisystudent {@code filter_unlabel.py}).
 *
 * <ul>
 *   <li>{@link #soft()}: the target is the teacher's distribution sharpened or flattened by {@link
 *       #temperature()} ({@code softmax(z / T)}, computed as {@code p^(1/T)} renormalised). {@link
 *       #hard()}: the target is the teacher's arg-max class.
 *   <li>{@link #minConfidence()}: images whose top-1 probability is below it are dropped (Noisy
 *       Student uses 0.3 on ImageNet).
 *   <li>{@link #perClass()}: class balancing. {@code 0} keeps what passes the threshold; {@code n >
 *       0} keeps at most the n most confident images of each (predicted) class and duplicates the
 *       images of smaller classes up to n, the fractional copy drawn at random; {@link
 *       #AUTO_BALANCE} uses the mean kept count per class as n.
 * </ul>
 */
@Value.Immutable
public interface PseudoLabelConfig {
  /** {@link #perClass()} value meaning "balance to the mean count per class". */
  int AUTO_BALANCE = -1;

  /** Whether targets are probability vectors or one-hot classes. */
  enum Mode {
    /** One-hot arg-max of the teacher. */
    HARD,
    /** The teacher's probability vector (with temperature). */
    SOFT
  }

  /**
   * @return hard or soft labels
   */
  Mode mode();

  /**
   * @return softmax temperature of soft labels, positive; 1 keeps the teacher's distribution
   */
  @Value.Default
  default double temperature() {
    return 1.0;
  }

  /**
   * @return the minimum teacher top-1 probability of a kept image, in [0, 1]
   */
  @Value.Default
  default double minConfidence() {
    return 0.0;
  }

  /**
   * @return images per class after balancing; 0 = no balancing; {@link #AUTO_BALANCE} = mean per
   *     class
   */
  @Value.Default
  default int perClass() {
    return 0;
  }

  /** Checks ranges. */
  @Value.Check
  default void check() {
    checkState(
        temperature() > 0 && Double.isFinite(temperature()),
        "temperature must be positive: %s",
        temperature());
    checkState(
        minConfidence() >= 0 && minConfidence() <= 1,
        "minConfidence must be in [0, 1]: %s",
        minConfidence());
    checkState(
        perClass() >= AUTO_BALANCE,
        "perClass must be non-negative or AUTO_BALANCE (-1): %s",
        perClass());
  }

  /**
   * @return a description such as {@code "soft(T=1.0) min=0.30 perClass=auto"}
   */
  default String describe() {
    String base = mode() == Mode.SOFT ? "soft(T=" + temperature() + ")" : "hard";
    String balance =
        perClass() == 0 ? "" : " perClass=" + (perClass() == AUTO_BALANCE ? "auto" : perClass());
    return base + String.format(java.util.Locale.ROOT, " min=%.2f", minConfidence()) + balance;
  }

  /**
   * @return soft labels at temperature 1, no threshold, no balancing
   */
  static PseudoLabelConfig soft() {
    return ImmutablePseudoLabelConfig.builder().mode(Mode.SOFT).build();
  }

  /**
   * @return hard labels, no threshold, no balancing
   */
  static PseudoLabelConfig hard() {
    return ImmutablePseudoLabelConfig.builder().mode(Mode.HARD).build();
  }

  /**
   * A copy with another threshold.
   *
   * @param value the minimum top-1 probability, in [0, 1]
   * @return the copy
   */
  PseudoLabelConfig withMinConfidence(double value);

  /**
   * A copy with another temperature.
   *
   * @param value the temperature, positive
   * @return the copy
   */
  PseudoLabelConfig withTemperature(double value);

  /**
   * A copy with another balancing rule.
   *
   * @param value images per class, 0 (off) or {@link #AUTO_BALANCE}
   * @return the copy
   */
  PseudoLabelConfig withPerClass(int value);
}
