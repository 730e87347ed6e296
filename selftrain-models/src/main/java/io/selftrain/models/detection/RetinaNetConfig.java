package io.selftrain.models.detection;

import static com.google.common.base.Preconditions.checkState;

import io.selftrain.models.EfficientNetConfig;
import org.immutables.value.Value;

/**
 * The architecture, target assignment, loss and decoding of a RetinaNet (Lin et al. 2017, "Focal
 * Loss for Dense Object Detection", arXiv 1708.02002) on an EfficientNet backbone. Start from
 * {@link RetinaNet.Variant#config()} or {@link RetinaNet#tiny64()} and change fields with the
 * {@code withX} copies, or build one:
 *
 * <pre>{@code
 * RetinaNetConfig config = RetinaNetConfig.builder()
 *     .name("retinanet-b0-voc").backbone(EfficientNet.b0()).numClasses(20).inputSize(512).build();
 * }</pre>
 *
 * <p>Defaults: the paper's P3 to P7 pyramid with 256 channels and 4-conv heads, 9 anchors per
 * location ({@link AnchorConfig#retinaNet()}), IoU 0.5 / 0.4 for positives / negatives (Sec. 4);
 * the loss settings of the TensorFlow detection code ({@code configs/retinanet_config.py}: focal
 * alpha 0.25, gamma 1.5, Huber delta 0.1, box weight 50) and the paper's inference settings (Sec.
 * 4: top 1000 candidates per level above score 0.05, NMS at 0.5, 100 detections). The backbone's
 * resolution, head, dropout and class count are unused: {@link #inputSize()} sets the image size.
 * The neck is the paper's FPN by default; {@link Neck#NAS_FPN} swaps in NAS-FPN (Ghiasi et al.
 * 2019) with {@link #fpnChannels()} channels and {@link #nasFpnRepeats()} cells, as TF {@code
 * configs/yaml/retinanet_nasfpn.yaml}.
 */
@Value.Immutable
public interface RetinaNetConfig {
  /** The feature pyramid between the backbone and the subnets. */
  enum Neck {
    /** The paper's feature pyramid network (Lin et al. 2017, Sec. 4; {@link FeaturePyramid}). */
    FPN,
    /** NAS-FPN (Ghiasi et al. 2019; {@link NasFpn}); needs the pyramid levels 3 to 7. */
    NAS_FPN
  }

  /**
   * @return name for logs and reports, such as {@code "retinanet-b0"}
   */
  String name();

  /**
   * @return the backbone; its endpoints at strides 8, 16 and 32 are C3, C4 and C5
   */
  EfficientNetConfig backbone();

  /**
   * @return object classes, without background (the class subnet has one sigmoid per class)
   */
  int numClasses();

  /**
   * @return input height and width in pixels, a multiple of {@code 2^maxLevel}
   */
  @Value.Default
  default int inputSize() {
    return 640;
  }

  /**
   * @return channels of every pyramid level (256 in the paper)
   */
  @Value.Default
  default int fpnChannels() {
    return 256;
  }

  /**
   * @return the feature pyramid, {@link Neck#FPN} by default
   */
  @Value.Default
  default Neck neck() {
    return Neck.FPN;
  }

  /**
   * @return cells of the NAS-FPN neck (5, TF {@code retinanet_nasfpn.yaml}); unused with {@link
   *     Neck#FPN}
   */
  @Value.Default
  default int nasFpnRepeats() {
    return 5;
  }

  /**
   * @return the NAS-FPN neck of this configuration: {@link #fpnChannels()} channels, {@link
   *     #nasFpnRepeats()} cells, the paper's cell and the TF detection defaults otherwise
   */
  default NasFpnConfig nasFpn() {
    return NasFpnConfig.builder().channels(fpnChannels()).numRepeats(nasFpnRepeats()).build();
  }

  /**
   * @return 3x3 conv + BN + ReLU layers of each subnet before its prediction conv (4 in the paper)
   */
  @Value.Default
  default int headDepth() {
    return 4;
  }

  /**
   * @return channels of those layers (256 in the paper)
   */
  @Value.Default
  default int headWidth() {
    return 256;
  }

  /**
   * @return the anchor layout; its levels are the pyramid levels
   */
  @Value.Default
  default AnchorConfig anchors() {
    return AnchorConfig.retinaNet();
  }

  /**
   * @return anchors with IoU at least this with a box are positives (0.5)
   */
  @Value.Default
  default float matchThreshold() {
    return 0.5f;
  }

  /**
   * @return anchors whose best IoU is below this are negatives (0.4); between this and {@link
   *     #matchThreshold()} they are ignored by the loss. The TF config sets 0.5 (no ignored band).
   */
  @Value.Default
  default float unmatchedThreshold() {
    return 0.4f;
  }

  /**
   * @return focal loss weight of positives; negatives get {@code 1 - focalAlpha}
   */
  @Value.Default
  default float focalAlpha() {
    return DetectionLosses.FOCAL_ALPHA;
  }

  /**
   * @return focal loss focusing exponent (1.5 in the TF config, 2 in the paper)
   */
  @Value.Default
  default float focalGamma() {
    return DetectionLosses.FOCAL_GAMMA;
  }

  /**
   * @return Huber threshold of the box loss
   */
  @Value.Default
  default float huberDelta() {
    return DetectionLosses.HUBER_DELTA;
  }

  /**
   * @return weight of the box loss relative to the class loss
   */
  @Value.Default
  default float boxLossWeight() {
    return 50f;
  }

  /**
   * @return decoding keeps (anchor, class) scores above this
   */
  @Value.Default
  default float scoreThreshold() {
    return 0.05f;
  }

  /**
   * @return decoding keeps at most this many candidates per pyramid level before NMS
   */
  @Value.Default
  default int preNmsTopK() {
    return 1000;
  }

  /**
   * @return per-class NMS removes boxes overlapping a kept box by more than this
   */
  @Value.Default
  default float nmsIouThreshold() {
    return 0.5f;
  }

  /**
   * @return detections per image after NMS
   */
  @Value.Default
  default int maxDetections() {
    return 100;
  }

  /**
   * @return the finest pyramid level, {@code anchors().minLevel()}
   */
  default int minLevel() {
    return anchors().minLevel();
  }

  /**
   * @return the coarsest pyramid level, {@code anchors().maxLevel()}
   */
  default int maxLevel() {
    return anchors().maxLevel();
  }

  /** Checks ranges. */
  @Value.Check
  default void check() {
    checkState(!name().isBlank(), "name must not be blank: '%s'", name());
    checkState(numClasses() >= 1, "numClasses must be positive: %s", numClasses());
    checkState(fpnChannels() >= 1, "fpnChannels must be positive: %s", fpnChannels());
    checkState(nasFpnRepeats() >= 1, "nasFpnRepeats must be positive: %s", nasFpnRepeats());
    checkState(
        neck() == Neck.FPN || (minLevel() == NasFpn.MIN_LEVEL && maxLevel() == NasFpn.MAX_LEVEL),
        "anchors levels must be 3 to 7 with neck NAS_FPN (the levels of its cell): %s to %s",
        minLevel(),
        maxLevel());
    checkState(headDepth() >= 0, "headDepth must be non-negative: %s", headDepth());
    checkState(headWidth() >= 1, "headWidth must be positive: %s", headWidth());
    checkState(
        minLevel() >= 3 && minLevel() <= 5,
        "anchors.minLevel must be in [3, 5], the backbone's C3 to C5: %s",
        minLevel());
    checkState(maxLevel() <= 16, "anchors.maxLevel must be at most 16: %s", maxLevel());
    checkState(
        inputSize() >= 1 && inputSize() % (1 << maxLevel()) == 0,
        "inputSize must be a positive multiple of 2^maxLevel = %s: %s",
        1 << maxLevel(),
        inputSize());
    checkState(
        matchThreshold() > 0f && matchThreshold() <= 1f,
        "matchThreshold must be in (0, 1]: %s",
        matchThreshold());
    checkState(
        unmatchedThreshold() >= 0f && unmatchedThreshold() <= matchThreshold(),
        "unmatchedThreshold must be in [0, matchThreshold %s]: %s",
        matchThreshold(),
        unmatchedThreshold());
    checkState(
        focalAlpha() >= 0f && focalAlpha() <= 1f, "focalAlpha must be in [0, 1]: %s", focalAlpha());
    checkState(focalGamma() >= 0f, "focalGamma must be non-negative: %s", focalGamma());
    checkState(huberDelta() > 0f, "huberDelta must be positive: %s", huberDelta());
    checkState(boxLossWeight() >= 0f, "boxLossWeight must be non-negative: %s", boxLossWeight());
    checkState(
        scoreThreshold() >= 0f && scoreThreshold() < 1f,
        "scoreThreshold must be in [0, 1): %s",
        scoreThreshold());
    checkState(preNmsTopK() >= 1, "preNmsTopK must be positive: %s", preNmsTopK());
    checkState(
        nmsIouThreshold() >= 0f && nmsIouThreshold() <= 1f,
        "nmsIouThreshold must be in [0, 1]: %s",
        nmsIouThreshold());
    checkState(maxDetections() >= 1, "maxDetections must be positive: %s", maxDetections());
  }

  /**
   * @param value the new {@link #name()}
   * @return a copy with this name
   */
  RetinaNetConfig withName(String value);

  /**
   * @param value the new {@link #backbone()}
   * @return a copy with this backbone
   */
  RetinaNetConfig withBackbone(EfficientNetConfig value);

  /**
   * @param value the new {@link #numClasses()}
   * @return a copy with this number of classes
   * @throws IllegalStateException if it is not positive
   */
  RetinaNetConfig withNumClasses(int value);

  /**
   * @param value the new {@link #inputSize()}
   * @return a copy with this input size
   * @throws IllegalStateException if it is not a positive multiple of {@code 2^maxLevel}
   */
  RetinaNetConfig withInputSize(int value);

  /**
   * @param value the new {@link #fpnChannels()}
   * @return a copy with this many pyramid channels
   * @throws IllegalStateException if it is not positive
   */
  RetinaNetConfig withFpnChannels(int value);

  /**
   * @param value the new {@link #neck()}
   * @return a copy with this feature pyramid
   * @throws IllegalStateException if it is {@link Neck#NAS_FPN} and the levels are not 3 to 7
   */
  RetinaNetConfig withNeck(Neck value);

  /**
   * @param value the new {@link #nasFpnRepeats()}
   * @return a copy with this many NAS-FPN cells
   * @throws IllegalStateException if it is not positive
   */
  RetinaNetConfig withNasFpnRepeats(int value);

  /**
   * @param value the new {@link #headDepth()}
   * @return a copy with this many conv layers per subnet
   * @throws IllegalStateException if it is negative
   */
  RetinaNetConfig withHeadDepth(int value);

  /**
   * @param value the new {@link #headWidth()}
   * @return a copy with this many channels per subnet layer
   * @throws IllegalStateException if it is not positive
   */
  RetinaNetConfig withHeadWidth(int value);

  /**
   * @param value the new {@link #anchors()}
   * @return a copy with this anchor layout and these pyramid levels
   * @throws IllegalStateException if its levels do not fit the backbone or the input size
   */
  RetinaNetConfig withAnchors(AnchorConfig value);

  /**
   * @param value the new {@link #matchThreshold()}
   * @return a copy with this positive threshold
   * @throws IllegalStateException if it is not in (0, 1] or below {@link #unmatchedThreshold()}
   */
  RetinaNetConfig withMatchThreshold(float value);

  /**
   * @param value the new {@link #unmatchedThreshold()}
   * @return a copy with this negative threshold
   * @throws IllegalStateException if it is not in [0, {@link #matchThreshold()}]
   */
  RetinaNetConfig withUnmatchedThreshold(float value);

  /**
   * @param value the new {@link #focalGamma()}
   * @return a copy with this focusing exponent
   * @throws IllegalStateException if it is negative
   */
  RetinaNetConfig withFocalGamma(float value);

  /**
   * @param value the new {@link #scoreThreshold()}
   * @return a copy with this decoding score threshold
   * @throws IllegalStateException if it is not in [0, 1)
   */
  RetinaNetConfig withScoreThreshold(float value);

  /**
   * @param value the new {@link #preNmsTopK()}
   * @return a copy keeping this many candidates per level
   * @throws IllegalStateException if it is not positive
   */
  RetinaNetConfig withPreNmsTopK(int value);

  /**
   * @param value the new {@link #nmsIouThreshold()}
   * @return a copy with this NMS threshold
   * @throws IllegalStateException if it is not in [0, 1]
   */
  RetinaNetConfig withNmsIouThreshold(float value);

  /**
   * @param value the new {@link #maxDetections()}
   * @return a copy keeping this many detections per image
   * @throws IllegalStateException if it is not positive
   */
  RetinaNetConfig withMaxDetections(int value);

  /**
   * @return a builder; name, backbone and numClasses are required
   */
  static ImmutableRetinaNetConfig.Builder builder() {
    return ImmutableRetinaNetConfig.builder();
  }
}
