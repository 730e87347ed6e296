package io.selftrain.models.segmentation;

import static com.google.common.base.Preconditions.checkState;

import io.selftrain.MaskTarget;
import io.selftrain.models.EfficientNetConfig;
import io.selftrain.models.detection.NasFpnConfig;
import org.immutables.value.Value;

/**
 * The architecture, loss and decoding of the self-training paper's segmentation model (Zoph et al.
 * 2020, PASCAL VOC experiments; TF {@code
 * projects/self_training/configs/pascal_seg_efficientnet-b7-nasfpn.yaml}): an EfficientNet
 * backbone, a NAS-FPN neck, pyramid fusion at level 2 and a convolutional head. Start from {@link
 * Segmentation.Variant#config()} or {@link Segmentation#tiny64()} and change fields with the {@code
 * withX} copies, or build one:
 *
 * <pre>{@code
 * SegmentationConfig config = SegmentationConfig.builder()
 *     .name("nasfpn-seg-b0-voc").backbone(EfficientNet.b0()).numClasses(21).inputSize(512).build();
 * }</pre>
 *
 * <p>Defaults: 512x512 inputs ({@code segmentation_parser.output_size}), the TF detection NAS-FPN
 * defaults ({@link NasFpnConfig}), a head of 3 convolutions ({@code segmentation_head.num_convs:
 * 3}), and decoding that keeps every pixel's argmax with its probability: the pseudo-label
 * threshold (the paper's 0.5) belongs to the run's labeler ({@code MaskPseudoLabelConfig} in
 * selftrain-core). The backbone's resolution, head, dropout and class count are unused.
 */
@Value.Immutable
public interface SegmentationConfig {
  /**
   * @return name for logs and reports, such as {@code "nasfpn-seg-b7"}
   */
  String name();

  /**
   * @return the backbone; its endpoints at strides 8, 16 and 32 feed NAS-FPN as C3, C4 and C5
   */
  EfficientNetConfig backbone();

  /**
   * @return classes including background (21 for PASCAL VOC); at most 255, the ignore label
   */
  int numClasses();

  /**
   * @return input height and width in pixels, a multiple of 8 (512 in the PASCAL configs)
   */
  @Value.Default
  default int inputSize() {
    return 512;
  }

  /**
   * @return the neck; its channels are also the width of the head's convolutions
   */
  @Value.Default
  default NasFpnConfig nasFpn() {
    return NasFpnConfig.builder().build();
  }

  /**
   * @return 3x3 conv + BN + ReLU layers of the head before its 1x1 classifier (3)
   */
  @Value.Default
  default int headConvs() {
    return 3;
  }

  /**
   * @return decoding labels a pixel {@link MaskTarget#IGNORE} when its top class probability is
   *     below this; 0 (the default) decodes every pixel to its argmax, as evaluation needs, and
   *     leaves thresholds to the pseudo-labeler, which sees each pixel's probability; 0.5 makes a
   *     standalone teacher's masks ready-made pseudo labels (Zoph et al. 2020's threshold)
   */
  @Value.Default
  default float minPixelConfidence() {
    return 0f;
  }

  /** Checks ranges. */
  @Value.Check
  default void check() {
    checkState(!name().isBlank(), "name must not be blank: '%s'", name());
    checkState(
        numClasses() >= 2 && numClasses() <= MaskTarget.IGNORE,
        "numClasses must be in [2, 255] (255 is the ignore label): %s",
        numClasses());
    checkState(
        inputSize() >= 8 && inputSize() % 8 == 0,
        "inputSize must be a positive multiple of 8: %s",
        inputSize());
    checkState(headConvs() >= 0, "headConvs must be non-negative: %s", headConvs());
    checkState(
        minPixelConfidence() >= 0f && minPixelConfidence() <= 1f,
        "minPixelConfidence must be in [0, 1]: %s",
        minPixelConfidence());
  }

  /**
   * @param value the new {@link #name()}
   * @return a copy with this name
   */
  SegmentationConfig withName(String value);

  /**
   * @param value the new {@link #backbone()}
   * @return a copy with this backbone
   */
  SegmentationConfig withBackbone(EfficientNetConfig value);

  /**
   * @param value the new {@link #numClasses()}
   * @return a copy with this number of classes
   * @throws IllegalStateException if it is not in [2, 255]
   */
  SegmentationConfig withNumClasses(int value);

  /**
   * @param value the new {@link #inputSize()}
   * @return a copy with this input size
   * @throws IllegalStateException if it is not a positive multiple of 8
   */
  SegmentationConfig withInputSize(int value);

  /**
   * @param value the new {@link #nasFpn()}
   * @return a copy with this neck
   */
  SegmentationConfig withNasFpn(NasFpnConfig value);

  /**
   * @param value the new {@link #headConvs()}
   * @return a copy with this many head convolutions
   * @throws IllegalStateException if it is negative
   */
  SegmentationConfig withHeadConvs(int value);

  /**
   * @param value the new {@link #minPixelConfidence()}
   * @return a copy with this decoding threshold
   * @throws IllegalStateException if it is not in [0, 1]
   */
  SegmentationConfig withMinPixelConfidence(float value);

  /**
   * @return a builder; name, backbone and numClasses are required
   */
  static ImmutableSegmentationConfig.Builder builder() {
    return ImmutableSegmentationConfig.builder();
  }
}
