package io.selftrain.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionErrorsTest {
  private static final Map<String, String> OPTIONS = Map.of("epochs", "--epochs", "lr", "--lr");

  @Test
  void about_aSettingsError_namesItsOptionAndKeepsTheCause() {
    IllegalStateException refused = new IllegalStateException("epochs must be at least 1: 0");
    assertThatThrownBy(
            () ->
                OptionErrors.about(
                    "classify",
                    OPTIONS,
                    () -> {
                      throw refused;
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("classify: --epochs: epochs must be at least 1: 0")
        .hasCause(refused);
  }

  @Test
  void about_anErrorOfNoListedSetting_passesUnchanged() {
    IllegalArgumentException other = new IllegalArgumentException("epochsPerRound is odd: 3");
    assertThatThrownBy(
            () ->
                OptionErrors.about(
                    "classify",
                    OPTIONS,
                    () -> {
                      throw other;
                    }))
        .isSameAs(other);
  }

  @Test
  void about_noError_returnsTheValue() {
    assertThat(OptionErrors.about("classify", OPTIONS, () -> 7)).isEqualTo(7);
    assertThat(OptionErrors.about("classify", "--labels 5", () -> "split")).isEqualTo("split");
  }

  @Test
  void about_oneOption_prefixesEveryRefusal() {
    assertThatThrownBy(
            () ->
                OptionErrors.about(
                    "sweep",
                    "--labels 7996",
                    () -> {
                      throw new IllegalArgumentException("labels needs 800 examples of class 2");
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sweep: --labels 7996: labels needs 800 examples of class 2");
    assertThatThrownBy(
            () ->
                OptionErrors.apply(
                    "classify",
                    "--threads",
                    () -> {
                      throw new IllegalArgumentException("threads must be at least 1: 0");
                    }))
        .hasMessage("classify: --threads: threads must be at least 1: 0");
  }
}
