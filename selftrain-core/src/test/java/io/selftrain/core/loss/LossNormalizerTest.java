package io.selftrain.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LossNormalizerTest {
  private static final double EPS = 1e-12;

  @Test
  void paper_specOracle_totalIsTwo() {
    // paper-spec.md 2.3: L_h = 2, L_p = 8, averages 2 and 8, alpha 1 -> L = 1/2 (2 + (2/8) 8) = 2.
    LossNormalizer n = LossNormalizer.of(LossNormalization.paper(1.0));
    LossNormalizer.Weights w = n.step(2, 32, 8, 96);
    assertThat(w.human() * 2 + w.pseudo() * 8).isCloseTo(2.0, within(EPS));
    assertThat(n.humanAverage()).isCloseTo(2.0, within(EPS));
    assertThat(n.pseudoAverage()).isCloseTo(8.0, within(EPS));
  }

  @Test
  void paper_movingAverages_followHandComputedEma() {
    LossNormalization rule =
        ImmutableLossNormalization.builder()
            .mode(LossNormalization.Mode.PAPER)
            .alpha(2.0)
            .momentum(0.5)
            .build();
    LossNormalizer n = LossNormalizer.of(rule);
    n.step(1.0, 1, 4.0, 3);
    LossNormalizer.Weights w = n.step(3.0, 1, 2.0, 3);
    // Raw EMAs: h = 0.5*0.5 + 0.5*3 = 1.75, p = 0.5*2 + 0.5*2 = 2.0; bias correction 1 - 0.5^2 =
    // 0.75.
    double h = 1.75 / 0.75;
    double p = 2.0 / 0.75;
    assertThat(n.humanAverage()).isCloseTo(h, within(EPS));
    assertThat(n.pseudoAverage()).isCloseTo(p, within(EPS));
    assertThat(w.human()).isCloseTo(1.0 / 3.0, within(EPS));
    assertThat(w.pseudo()).isCloseTo(2.0 * (h / p) / 3.0, within(EPS));
  }

  @Test
  void paper_stepWithoutPseudo_usesHumanLossAloneAndKeepsPseudoAverage() {
    LossNormalizer n = LossNormalizer.of(LossNormalization.paper(1.0));
    n.step(1.0, 4, 5.0, 4);
    double before = n.pseudoAverage();
    LossNormalizer.Weights w = n.step(2.0, 8, 0.0, 0);
    assertThat(w.human()).isEqualTo(1.0);
    assertThat(w.pseudo()).isEqualTo(0.0);
    assertThat(n.pseudoAverage()).isEqualTo(before);
  }

  @Test
  void paper_rescalesPseudoLossToHumanScale() {
    // A pseudo loss 100x the human loss contributes like the human loss (ratio of averages).
    LossNormalizer n = LossNormalizer.of(LossNormalization.paper(1.0));
    LossNormalizer.Weights w = n.step(0.01, 32, 1.0, 96);
    assertThat(w.pseudo() * 1.0).isCloseTo(w.human() * 0.01, within(EPS));
  }

  @Test
  void sum_isPlainWeightedSum() {
    LossNormalizer.Weights w = LossNormalizer.of(LossNormalization.sum(0.5)).step(2, 10, 8, 30);
    assertThat(w.human()).isEqualTo(1.0);
    assertThat(w.pseudo()).isEqualTo(0.5);
  }

  @Test
  void batchRatio_weightsByPseudoToHumanCount() {
    LossNormalizer.Weights w = LossNormalizer.of(LossNormalization.batchRatio()).step(2, 32, 8, 96);
    assertThat(w.human()).isEqualTo(1.0);
    assertThat(w.pseudo()).isEqualTo(3.0);
  }

  @Test
  void paper_alphaNotPositive() {
    assertThatThrownBy(() -> LossNormalization.paper(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("alpha")
        .hasMessageContaining("0.0");
  }

  @Test
  void parse_knownAndUnknownRules() {
    assertThat(LossNormalization.parse("sum:0.25")).isEqualTo(LossNormalization.sum(0.25));
    assertThat(LossNormalization.parse("batch-ratio").mode())
        .isEqualTo(LossNormalization.Mode.BATCH_RATIO);
    assertThatThrownBy(() -> LossNormalization.parse("median"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lossNormalization")
        .hasMessageContaining("median");
  }

  @Test
  void step_humanCountZero() {
    assertThatThrownBy(() -> LossNormalizer.of(LossNormalization.paper(1)).step(1, 0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("humanCount")
        .hasMessageContaining("0");
  }
}
