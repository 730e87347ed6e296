package io.selftrain.models.segmentation;

import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.Model;
import ai.djl.nn.Block;
import io.selftrain.MaskTarget;
import io.selftrain.Student;
import io.selftrain.Teacher;
import io.selftrain.models.EfficientNet;
import io.selftrain.models.EfficientNetConfig;
import io.selftrain.models.detection.NasFpn;
import io.selftrain.models.detection.NasFpnConfig;
import io.selftrain.models.internal.ModelTeacher;
import java.util.Locale;

/**
 * Semantic segmentation with EfficientNet and NAS-FPN, the model of the self-training paper's
 * PASCAL VOC experiments (Zoph et al. 2020, "Rethinking Pre-training and Self-training", arXiv
 * 2006.06882; released configs {@code
 * projects/self_training/configs/pascal_seg_efficientnet-{b7,l2}-nasfpn.yaml} of the TF detection
 * code), as a DJL block, a segmentation student and a teacher.
 *
 * <pre>{@code
 * SegmentationConfig config = Segmentation.Variant.B7.config();
 * Student<MaskTarget> student = Segmentation.student(config);
 * // ... train student.newBlock() in a Model with student.lossPerExample ...
 * try (Teacher<MaskTarget> teacher = Segmentation.teacher(config.withMinPixelConfidence(0.5f), model)) {
 *   List<Prediction<MaskTarget>> pseudoLabels = teacher.predict(images);   // 255 where unsure
 * }
 * }</pre>
 *
 * <h2>Architecture</h2>
 *
 * The backbone's endpoints C3..C5 (strides 8, 16, 32) feed NAS-FPN ({@link NasFpn}: P3..P7, {@code
 * nasFpn().channels()} channels, {@code nasFpn().numRepeats()} cells of Ghiasi et al. 2019).
 * Pyramid fusion (TF {@code use_pyramid_fusion}, {@code nn_ops.pyramid_feature_fusion}) resizes
 * P3..P7 bilinearly to level 2 (stride 4) and sums them; the backbone's own stride-4 features are
 * not used, as in TF, where NAS-FPN starts at level 3. The head (TF {@code SegmentationHead} at
 * {@code level: 2}) applies {@code headConvs} times (3x3 conv, batch norm, ReLU) at the pyramid's
 * width and a 1x1 conv to {@code numClasses} logits, which are resized bilinearly (half-pixel
 * centres) to the input size. The block outputs logits (batch, numClasses, H, W).
 *
 * <h2>Training</h2>
 *
 * {@link Student#encodeTargets} keeps the class maps as they are, {@link MaskTarget#IGNORE}
 * included; {@link Student#lossPerExample} is the softmax cross entropy averaged over each
 * example's non-ignored pixels (TF {@code SegmentationLoss}, {@code ignore_label: 255}, no label
 * smoothing), 0 for an example without any. The student's noise is the backbone's stochastic depth.
 *
 * <h2>Decoding and pseudo labels</h2>
 *
 * Each pixel gets its most probable class and that class's probability ({@link
 * MaskTarget#confidences()}); pixels whose top probability is below {@link
 * SegmentationConfig#minPixelConfidence()} get {@link MaskTarget#IGNORE}. The default 0 keeps plain
 * argmax maps, for evaluation and for the run's pseudo-labeler, which applies the paper's 0.5
 * itself; set 0.5 for a standalone teacher whose masks are ready-made pseudo labels. The
 * prediction's confidence is the mean top probability over the image's pixels.
 */
public final class Segmentation {
  private Segmentation() {}

  /**
   * The PASCAL VOC recipe of the self-training paper's configs on each EfficientNet: 21 classes
   * (background included), 512x512 inputs, NAS-FPN with 256 channels, 7 cells and separable
   * convolutions, batch norm momentum 0.997 and epsilon 1e-3, a 3-convolution head at level 2. Only
   * B7 and L2 appear in the paper; the others apply the same recipe. Parameter counts include batch
   * norm scale and shift, not running statistics, nor the backbone's unused classification head.
   * The paper's README lists 71M for B7 and 485M for L2; adding the unused head (1x1 conv, batch
   * norm, 1000-class classifier: 4,204,520 and 13,089,512) to the counts here gives 71,731,837 and
   * 485,972,801, so the TF counts seem to include it.
   */
  public enum Variant {
    /** On EfficientNet-B0, 8,857,961 parameters. */
    B0(EfficientNet.Variant.B0),
    /** On EfficientNet-B1, 11,363,597 parameters. */
    B1(EfficientNet.Variant.B1),
    /** On EfficientNet-B2, 12,477,471 parameters. */
    B2(EfficientNet.Variant.B2),
    /** On EfficientNet-B3, 15,390,581 parameters. */
    B3(EfficientNet.Variant.B3),
    /** On EfficientNet-B4, 22,054,133 parameters. */
    B4(EfficientNet.Variant.B4),
    /** On EfficientNet-B5, 32,622,645 parameters. */
    B5(EfficientNet.Variant.B5),
    /** On EfficientNet-B6, 44,763,197 parameters. */
    B6(EfficientNet.Variant.B6),
    /** On EfficientNet-B7, 67,527,317 parameters. */
    B7(EfficientNet.Variant.B7),
    /** On EfficientNet-L2, 472,883,289 parameters. */
    L2(EfficientNet.Variant.L2);

    private final EfficientNet.Variant backbone;

    Variant(EfficientNet.Variant backbone) {
      this.backbone = backbone;
    }

    /**
     * @return the configuration, named like {@code "nasfpn-seg-b7"}
     */
    public SegmentationConfig config() {
      return SegmentationConfig.builder()
          .name("nasfpn-seg-" + name().toLowerCase(Locale.ROOT))
          .backbone(backbone.config())
          .numClasses(21)
          .nasFpn(
              NasFpnConfig.builder()
                  .numRepeats(7)
                  .separableConv(true)
                  .batchNormEpsilon(1e-3f)
                  .build())
          .build();
    }
  }

  /**
   * A small segmentation model for 64x64 colour images on a CPU: the {@link EfficientNet#tiny64()}
   * backbone, NAS-FPN with 16 channels and 2 cells of regular convolutions (P6 and P7 are 1x1), a
   * 3-convolution head of width 16, 2 classes; 597,442 parameters. NOTE: not a model of the paper.
   *
   * @return the configuration
   */
  public static SegmentationConfig tiny64() {
    return SegmentationConfig.builder()
        .name("nasfpn-seg-tiny64")
        .backbone(EfficientNet.tiny64())
        .numClasses(2)
        .inputSize(64)
        .nasFpn(NasFpnConfig.builder().channels(16).numRepeats(2).build())
        .build();
  }

  /**
   * The network: input (batch, channels, H, W), H and W multiples of 8; output logits (batch,
   * numClasses, H, W).
   *
   * @param config the architecture
   * @return a new, uninitialised block
   * @throws IllegalArgumentException if the backbone does not reach the strides 8, 16 and 32
   */
  public static Block block(SegmentationConfig config) {
    checkNotNull(config, "config");
    return new SegmentationBlock(config);
  }

  /**
   * A segmentation student.
   *
   * @param config the architecture, loss and decoding
   * @return the student; each {@link Student#newBlock()} is a fresh, uninitialised network
   */
  public static Student<MaskTarget> student(SegmentationConfig config) {
    checkNotNull(config, "config");
    return new SegmentationStudent(config);
  }

  /**
   * A trained segmentation model as an un-noised teacher (inference-mode forward passes decoded as
   * in {@link #student}: argmax maps with per-pixel probabilities, uncertain pixels ignored when
   * the config's {@code minPixelConfidence} is set). The teacher owns the model and closes it when
   * it is closed.
   *
   * @param config the configuration the model's block was built from
   * @param model a model whose block is an initialized {@link #block} of {@code config}
   * @return the teacher; it predicts for images of {@code inputSize x inputSize} pixels with the
   *     backbone's input channels
   * @throws IllegalArgumentException if the model has no block
   */
  public static Teacher<MaskTarget> teacher(SegmentationConfig config, Model model) {
    checkNotNull(config, "config");
    return new ModelTeacher<>("segmentation", new SegmentationStudent(config), model);
  }

  /**
   * The number of trainable parameters, from the configuration alone: backbone without its
   * classifier ({@link EfficientNet#featuresParameterCount}), NAS-FPN ({@link
   * NasFpn#parameterCount}) and the head ({@code headConvs} times a 3x3 conv with bias and a batch
   * norm at the pyramid's width, then the 1x1 classifier with bias); batch norm scale and shift,
   * not the running statistics.
   *
   * @param config the architecture
   * @return the count
   */
  public static long parameterCount(SegmentationConfig config) {
    EfficientNetConfig backbone = config.backbone();
    long f = config.nasFpn().channels();
    long k = config.numClasses();
    return EfficientNet.featuresParameterCount(backbone)
        + NasFpn.parameterCount(config.nasFpn(), EfficientNet.featureChannels(backbone))
        + config.headConvs() * (9 * f * f + f + 2 * f)
        + f * k
        + k;
  }
}
