package io.selftrain.core.teacher;

import static com.google.common.base.Preconditions.checkState;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * How to run a TensorFlow SavedModel as a classification teacher: which meta graph and signature,
 * which input and output tensors, and how images and scores are laid out.
 *
 * <pre>{@code
 * SavedModelConfig config = SavedModelConfig.builder()
 *     .modelDir(Path.of("teachers/fmnist"))
 *     .output("logits").scores(SavedModelConfig.Scores.LOGITS)
 *     .build();
 * }</pre>
 *
 * <p>Defaults match a Keras model exported with {@code model.export(dir)} or {@code
 * tf.saved_model.save}: tag {@code serve}, signature {@code serving_default}, one NHWC float input
 * with values in [0, 1], one output of class probabilities.
 */
@Value.Immutable
public interface SavedModelConfig {
  /** How the image batch is laid out. */
  enum Layout {
    /** (batch, height, width, channels): TensorFlow's default. */
    NHWC,
    /** (batch, channels, height, width). */
    NCHW
  }

  /** How 8-bit pixel values {@code v} are scaled before they are fed. */
  enum ValueRange {
    /** {@code v / 255}, in [0, 1]. */
    UNIT(1f / 255f, 0f),
    /** {@code v / 127.5 - 1}, in [-1, 1] (EfficientNet, MobileNet and Inception preprocessing). */
    SIGNED(1f / 127.5f, -1f),
    /**
     * {@code v}, in [0, 255] (models that normalise inside the graph, such as Keras EfficientNet).
     */
    BYTE(1f, 0f);

    private final float scale;
    private final float offset;

    ValueRange(float scale, float offset) {
      this.scale = scale;
      this.offset = offset;
    }

    /**
     * @return the fed value of pixel value {@code v} in [0, 255]
     */
    public float apply(int v) {
      return v * scale + offset;
    }
  }

  /** What the output holds. */
  enum Scores {
    /** Class probabilities (the graph ends with a softmax); rows are renormalised. */
    PROBABILITIES,
    /** Unnormalised logits; selftrain applies the softmax. */
    LOGITS
  }

  /**
   * @return the SavedModel folder, holding {@code saved_model.pb} and {@code variables/}
   */
  Path modelDir();

  /**
   * @return the meta graph's tags (default {@code [serve]})
   */
  @Value.Default
  default List<String> tags() {
    return List.of("serve");
  }

  /**
   * @return the signature key (default {@code serving_default})
   */
  @Value.Default
  default String signature() {
    return "serving_default";
  }

  /**
   * @return the image input's name in the signature; default: the signature's only input
   */
  Optional<String> input();

  /**
   * @return the scores output's name in the signature; default: the signature's only output
   */
  Optional<String> output();

  /**
   * @return the layout of the image input (default NHWC)
   */
  @Value.Default
  default Layout layout() {
    return Layout.NHWC;
  }

  /**
   * @return how pixel values are scaled (default {@link ValueRange#UNIT})
   */
  @Value.Default
  default ValueRange valueRange() {
    return ValueRange.UNIT;
  }

  /**
   * @return what the output holds (default {@link Scores#PROBABILITIES})
   */
  @Value.Default
  default Scores scores() {
    return Scores.PROBABILITIES;
  }

  /**
   * @return images per inference call (default 256)
   */
  @Value.Default
  default int batchSize() {
    return 256;
  }

  /** Checks ranges and names. */
  @Value.Check
  default void check() {
    checkState(!tags().isEmpty(), "tags must not be empty: %s", tags());
    for (String tag : tags()) {
      checkState(!tag.isBlank(), "tags must not hold a blank tag: %s", tags());
    }
    checkState(!signature().isBlank(), "signature must not be blank: '%s'", signature());
    input().ifPresent(name -> checkState(!name.isBlank(), "input must not be blank: '%s'", name));
    output().ifPresent(name -> checkState(!name.isBlank(), "output must not be blank: '%s'", name));
    checkState(batchSize() >= 1, "batchSize must be at least 1: %s", batchSize());
  }

  /**
   * @return a description for logs and run settings, without the folder's content digest
   */
  default String describe() {
    return "savedmodel("
        + modelDir()
        + " tags="
        + String.join(",", tags())
        + " signature="
        + signature()
        + " input="
        + input().orElse("*")
        + " output="
        + output().orElse("*")
        + " "
        + layout()
        + " "
        + valueRange()
        + " "
        + scores()
        + ")";
  }

  /**
   * @return a builder; {@link #modelDir} is required, everything else has a default
   */
  static ImmutableSavedModelConfig.Builder builder() {
    return ImmutableSavedModelConfig.builder();
  }
}
