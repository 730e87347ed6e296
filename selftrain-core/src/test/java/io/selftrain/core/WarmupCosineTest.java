package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WarmupCosineTest {
  /** The schedule written out by hand: lr(t) for peak 2e-3, 10 warm-up steps, 110 steps in all. */
  private static double expected(int step) {
    double peak = 2e-3;
    if (step < 10) {
      return peak * (step + 1) / 10.0;
    }
    double progress = Math.min(1.0, (step - 10) / 100.0);
    return 0.01 * peak + 0.99 * peak * (1 + Math.cos(Math.PI * progress)) / 2;
  }

  @Test
  void getNewValue_warmupThenCosineToOnePercent() {
    WarmupCosine schedule = new WarmupCosine(2e-3f, 10, 110);
    assertThat((double) schedule.getNewValue(0)).isCloseTo(2e-4, within(1e-9));
    assertThat((double) schedule.getNewValue(9))
        .isCloseTo(2e-3, within(1e-9)); // warm-up ends at the peak
    assertThat((double) schedule.getNewValue(10))
        .isCloseTo(2e-3, within(1e-9)); // decay starts at the peak
    assertThat((double) schedule.getNewValue(60))
        .isCloseTo(0.505 * 2e-3, within(1e-9)); // half-way: the mean of peak and floor
    assertThat((double) schedule.getNewValue(110))
        .isCloseTo(2e-5, within(1e-9)); // the last step: 1% of the peak
    assertThat((double) schedule.getNewValue(500))
        .isCloseTo(2e-5, within(1e-9)); // and there it stays
    for (int step = 0; step <= 120; step++) {
      assertThat((double) schedule.getNewValue(step))
          .as("step %s", step)
          .isCloseTo(expected(step), within(1e-9));
    }
  }

  @Test
  void getNewValue_noWarmup_startsAtThePeak_andDecreases() {
    WarmupCosine schedule = new WarmupCosine(1f, 0, 4);
    assertThat(schedule.getNewValue(0)).isEqualTo(1f);
    float previous = 1f;
    for (int step = 1; step <= 4; step++) {
      assertThat(schedule.getNewValue(step)).isLessThan(previous);
      previous = schedule.getNewValue(step);
    }
    assertThat((double) previous).isCloseTo(0.01, within(1e-7));
  }
}
