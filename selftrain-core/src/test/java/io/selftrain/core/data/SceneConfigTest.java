package io.selftrain.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SceneConfigTest {
  @Test
  void defaults() {
    SceneConfig config = SceneConfig.defaults();

    assertThat(config.height()).isEqualTo(128);
    assertThat(config.width()).isEqualTo(128);
    assertThat(config.channels()).isEqualTo(3);
    assertThat(config.minItems()).isEqualTo(2);
    assertThat(config.maxItems()).isEqualTo(5);
    assertThat(config.minScale()).isEqualTo(0.75);
    assertThat(config.maxScale()).isEqualTo(2.0);
    assertThat(config.maxOverlap()).isEqualTo(0.3);
    assertThat(config.backgroundNoise()).isZero();
    assertThat(config.foregroundThreshold()).isZero();
    assertThat(config.seed()).isZero();
  }

  @Test
  void withSeed_changesOnlyTheSeed() {
    SceneConfig config = SceneConfig.builder().maxItems(7).build().withSeed(42);

    assertThat(config.seed()).isEqualTo(42);
    assertThat(config.maxItems()).isEqualTo(7);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of((UnaryOperator<ImmutableSceneConfig.Builder>) b -> b.height(0), "height", "0"),
        Arguments.of((UnaryOperator<ImmutableSceneConfig.Builder>) b -> b.width(-4), "width", "-4"),
        Arguments.of(
            (UnaryOperator<ImmutableSceneConfig.Builder>) b -> b.channels(2), "channels", "2"),
        Arguments.of(
            (UnaryOperator<ImmutableSceneConfig.Builder>) b -> b.minItems(-1), "minItems", "-1"),
        Arguments.of(
            (UnaryOperator<ImmutableSceneConfig.Builder>) b -> b.maxItems(0).minItems(0),
            "maxItems",
            "0"),
        Arguments.of(
            (UnaryOperator<ImmutableSceneConfig.Builder>) b -> b.minItems(6).maxItems(3),
            "maxItems",
            "3"),
        Arguments.of(
            (UnaryOperator<ImmutableSceneConfig.Builder>) b -> b.minScale(0), "minScale", "0.0"),
        Arguments.of(
            (UnaryOperator<ImmutableSceneConfig.Builder>) b -> b.minScale(1.5).maxScale(1.25),
            "maxScale",
            "1.25"),
        Arguments.of(
            (UnaryOperator<ImmutableSceneConfig.Builder>) b -> b.maxOverlap(1.5),
            "maxOverlap",
            "1.5"),
        Arguments.of(
            (UnaryOperator<ImmutableSceneConfig.Builder>) b -> b.backgroundNoise(256),
            "backgroundNoise",
            "256"),
        Arguments.of(
            (UnaryOperator<ImmutableSceneConfig.Builder>) b -> b.foregroundThreshold(255),
            "foregroundThreshold",
            "255"));
  }

  @ParameterizedTest(name = "{1} = {2}")
  @MethodSource("invalid")
  void build_invalidSetting_namesItAndTheValue(
      UnaryOperator<ImmutableSceneConfig.Builder> set, String name, String value) {
    assertThatThrownBy(() -> set.apply(SceneConfig.builder()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(name)
        .hasMessageContaining(value);
  }
}
