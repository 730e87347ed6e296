package io.selftrain.core.label;

import static com.google.common.base.Preconditions.checkState;

import java.util.Locale;
import org.immutables.value.Value;

/**
 * How teacher detections become pseudo boxes (Zoph et al. 2020, Sec. 3: "a hard score threshold of
 * 0.5"): the un-noised teacher's detections after per-class NMS are kept when their score is at
 * least {@link #scoreThreshold()}; an image with no kept box is either dropped (the default) or
 * kept as background.
 *
 * <p>Dropping is the default because an image of the pool with no box above the threshold far more
 * often holds objects the teacher missed than none: as background it would teach the student to
 * suppress exactly the objects it is weakest on. Keep them ({@code keepEmpty = true}) when the pool
 * has real background images.
 *
 * <pre>{@code
 * BoxPseudoLabelConfig rules = BoxPseudoLabelConfig.paper().withScoreThreshold(0.4);
 * }</pre>
 */
@Value.Immutable
public interface BoxPseudoLabelConfig {
  /**
   * @return the lowest score a kept box has, in (0, 1]; default 0.5
   */
  @Value.Default
  default double scoreThreshold() {
    return 0.5;
  }

  /**
   * @return whether images without a kept box train as background (true) or are dropped (false,
   *     default)
   */
  @Value.Default
  default boolean keepEmpty() {
    return false;
  }

  /**
   * @return the lowest score of a detection below {@link #scoreThreshold()} that is kept as an
   *     ignored region (weight 0: the anchors it matches are neither objects nor background in the
   *     student's loss), in [0, scoreThreshold]; default 0: nothing is ignored. An uncertain
   *     detection is then not taught as background, the damage a missed object does to the student
   */
  @Value.Default
  default double ignoreScore() {
    return 0;
  }

  /**
   * @return whether a box is also suppressed by a higher-scored box of another class overlapping it
   *     at IoU 0.5 or more, before the threshold (default false: only the teacher's per-class NMS).
   *     A detector that is unsure between similar classes reports one object several times, once
   *     per class; with this on, the object keeps its best class only, a clean hard label
   */
  @Value.Default
  default boolean crossClassNms() {
    return false;
  }

  /** Checks ranges; messages name the setting and the bad value. */
  @Value.Check
  default void check() {
    checkState(
        scoreThreshold() > 0 && scoreThreshold() <= 1,
        "scoreThreshold must be in (0, 1]: %s",
        scoreThreshold());
    checkState(
        ignoreScore() >= 0 && ignoreScore() <= scoreThreshold(),
        "ignoreScore must be in [0, scoreThreshold = %s]: %s",
        scoreThreshold(),
        ignoreScore());
  }

  /**
   * @return a short description, entering the pseudo-label stage's digest
   */
  default String describe() {
    return String.format(
        Locale.ROOT,
        "boxes(score>=%.3f, empty=%s%s%s)",
        scoreThreshold(),
        keepEmpty() ? "background" : "dropped",
        crossClassNms() ? ", cross-class NMS" : "",
        ignoreScore() > 0 && ignoreScore() < scoreThreshold()
            ? String.format(Locale.ROOT, ", ignored>=%.3f", ignoreScore())
            : "");
  }

  /**
   * @return the paper's rules: score at least 0.5, images without a kept box dropped
   */
  static BoxPseudoLabelConfig paper() {
    return ImmutableBoxPseudoLabelConfig.builder().build();
  }

  /**
   * @param value the lowest score a kept box has, in (0, 1]
   * @return a copy with that threshold
   */
  BoxPseudoLabelConfig withScoreThreshold(double value);

  /**
   * @param value whether images without a kept box train as background
   * @return a copy with that rule
   */
  BoxPseudoLabelConfig withKeepEmpty(boolean value);

  /**
   * @param value the lowest score of a detection kept as an ignored region, at most the threshold;
   *     0 for none
   * @return a copy with that rule
   */
  BoxPseudoLabelConfig withIgnoreScore(double value);

  /**
   * @param value whether boxes of other classes overlapping a better one at IoU 0.5 are suppressed
   * @return a copy with that rule
   */
  BoxPseudoLabelConfig withCrossClassNms(boolean value);
}
