package io.selftrain.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MultiplyAddsTest {
  @Test
  void efficientNet_matchesTheFiguresTanAndLePublish() {
    // Tan and Le 2019, Table 2: B0 0.39B, B1 0.70B, B3 1.8B, B7 37B "FLOPS" (multiply-adds).
    assertThat(EfficientNet.multiplyAdds(EfficientNet.b0()) / 1e9).isCloseTo(0.39, within(0.01));
    assertThat(EfficientNet.multiplyAdds(EfficientNet.b1()) / 1e9).isCloseTo(0.70, within(0.02));
    assertThat(EfficientNet.multiplyAdds(EfficientNet.b3()) / 1e9).isCloseTo(1.8, within(0.05));
    assertThat(EfficientNet.multiplyAdds(EfficientNet.b7()) / 1e9).isCloseTo(37, within(1.0));
  }

  @Test
  void efficientNet_atOnePixel_isEveryMultiplyingWeightOnce() {
    // At a 1x1 input every layer sees one pixel, so each multiplying weight is used exactly once:
    // the
    // parameter count minus batch-norm scales and shifts and the biases.
    EfficientNetConfig one = EfficientNet.tiny28().withResolution(1);
    long notMultiplying = 2L * one.roundFilters(one.stemFilters());
    for (EfficientNet.BlockSpec b : EfficientNet.blocks(one)) {
      long exp = b.expandedFilters();
      notMultiplying +=
          (b.expandRatio() != 1 ? 2 * exp : 0)
              + 2 * exp
              + b.seFilters()
              + exp
              + 2L * b.outputFilters();
    }
    notMultiplying += 2L * one.roundFilters(one.headFilters()) + one.numClasses();
    assertThat(EfficientNet.multiplyAdds(one))
        .isEqualTo(EfficientNet.parameterCount(one) - notMultiplying);
  }

  @Test
  void convNet_byHand() {
    ConvNetConfig c = ConvNetConfig.builder().width(8).hidden(16).build();
    long expected =
        28L * 28 * 1 * 8 * 9
            + 14L * 14 * 8 * 16 * 9
            + 2L * 7 * 7 * 16 * 16 * 9
            + 16L * 49 * 16
            + 16L * 10;
    assertThat(ConvNets.multiplyAdds(c)).isEqualTo(expected);
  }
}
