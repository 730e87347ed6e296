package io.selftrain.models.detection;

import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.Model;
import ai.djl.nn.Block;
import io.selftrain.BoxesTarget;
import io.selftrain.Student;
import io.selftrain.Teacher;
import io.selftrain.models.EfficientNet;
import io.selftrain.models.EfficientNetConfig;
import io.selftrain.models.internal.ModelTeacher;
import java.util.Locale;

/**
 * RetinaNet (Lin et al. 2017, "Focal Loss for Dense Object Detection", arXiv 1708.02002) on an
 * EfficientNet backbone, as a DJL block, a detection student and a teacher, following the
 * TensorFlow detection code the self-training paper (Zoph et al. 2020) built on where the paper
 * leaves details open.
 *
 * <pre>{@code
 * RetinaNetConfig config = RetinaNet.Variant.B0.config().withNumClasses(20);
 * Student<BoxesTarget> student = RetinaNet.student(config);
 * // ... train student.newBlock() in a Model with student.lossPerExample ...
 * try (Teacher<BoxesTarget> teacher = RetinaNet.teacher(config, model)) {
 *   List<Prediction<BoxesTarget>> detections = teacher.predict(images);
 * }
 * }</pre>
 *
 * <h2>Architecture</h2>
 *
 * The backbone's endpoints C3..C5 (strides 8, 16, 32) feed a feature pyramid P{@code minLevel} ..
 * P{@code maxLevel} (1x1 lateral convs, nearest-neighbour top-down path, 3x3 output convs, P6 from
 * C5 by a 3x3 stride-2 conv, P7 by ReLU and a 3x3 stride-2 conv; Sec. 4), or NAS-FPN ({@link
 * NasFpn}, {@link RetinaNetConfig.Neck#NAS_FPN}). A class subnet and a box subnet, each {@code
 * headDepth} times (3x3 conv, batch norm, ReLU) and a 3x3 prediction conv, run on every level with
 * shared convolutions and batch norm per level (TF {@code RetinanetHead}). The block outputs class
 * logits (batch, anchors, numClasses) and box codes (batch, anchors, 4), anchors in the order of
 * {@link Anchors#generate}.
 *
 * <h2>Training</h2>
 *
 * {@link Student#encodeTargets} assigns boxes to anchors (IoU at least 0.5 positive, below 0.4
 * negative, in between ignored, plus each box's best anchor; Sec. 4); {@link
 * Student#lossPerExample} is the focal loss (alpha 0.25, gamma 1.5) over non-ignored anchors plus
 * 50 times the Huber loss (delta 0.1) over positives, normalized by the example's positives (TF
 * {@code retinanet_config.py}); pseudo boxes count with their {@link BoxesTarget#weights()
 * weights}. The student's noise is the backbone's stochastic depth ({@link
 * EfficientNetConfig#stochasticDepth()}). Batches need at least 2 examples when a level is 1x1
 * (PyTorch's batch norm refuses one value per channel).
 *
 * <h2>Inference</h2>
 *
 * Per level the top 1000 (anchor, class) scores above 0.05, decoded and clipped to the image,
 * per-class NMS at IoU 0.5, 100 detections per image (Sec. 4).
 */
public final class RetinaNet {
  private RetinaNet() {}

  /**
   * RetinaNet on EfficientNet-B0 .. B7 with the paper's pyramid and heads (P3-P7, 256 channels, 4
   * conv layers, 9 anchors), 640x640 inputs (TF {@code retinanet_parser.output_size}) and the 80
   * COCO categories. Parameter counts include batch norm scale and shift, not running statistics.
   * NOTE: the TF config counts 91 classes (COCO's id range with a background index 0); a sigmoid
   * class subnet needs no background class.
   */
  public enum Variant {
    /** On EfficientNet-B0, 13,298,544 parameters. */
    B0(EfficientNet.Variant.B0),
    /** On EfficientNet-B1, 15,804,180 parameters. */
    B1(EfficientNet.Variant.B1),
    /** On EfficientNet-B2, 16,991,734 parameters. */
    B2(EfficientNet.Variant.B2),
    /** On EfficientNet-B3, 19,978,524 parameters. */
    B3(EfficientNet.Variant.B3),
    /** On EfficientNet-B4, 26,789,436 parameters. */
    B4(EfficientNet.Variant.B4),
    /** On EfficientNet-B5, 37,505,316 parameters. */
    B5(EfficientNet.Variant.B5),
    /** On EfficientNet-B6, 49,793,228 parameters. */
    B6(EfficientNet.Variant.B6),
    /** On EfficientNet-B7, 72,704,708 parameters. */
    B7(EfficientNet.Variant.B7);

    private final EfficientNet.Variant backbone;

    Variant(EfficientNet.Variant backbone) {
      this.backbone = backbone;
    }

    /**
     * @return the configuration, named like {@code "retinanet-b0"}
     */
    public RetinaNetConfig config() {
      return RetinaNetConfig.builder()
          .name("retinanet-" + name().toLowerCase(Locale.ROOT))
          .backbone(backbone.config())
          .numClasses(80)
          .build();
    }

    /**
     * The same detector with the NAS-FPN neck of TF {@code retinanet_nasfpn.yaml} (P3-P7, 256
     * channels, 5 cells; Ghiasi et al. 2019) in place of the FPN. NOTE: TF pairs NAS-FPN with
     * ResNet-50; on EfficientNet it is this SDK's combination. Parameters: 30,872,944 on B0 up to
     * 89,541,828 on B7.
     *
     * @return the configuration, named like {@code "retinanet-nasfpn-b0"}
     */
    public RetinaNetConfig nasFpnConfig() {
      return config()
          .withName("retinanet-nasfpn-" + name().toLowerCase(Locale.ROOT))
          .withNeck(RetinaNetConfig.Neck.NAS_FPN);
    }
  }

  /**
   * A small RetinaNet for 64x64 colour images on a CPU: the {@link EfficientNet#tiny64()} backbone,
   * levels P3 to P6 (P6 is 1x1) with 16 channels, 2-layer heads of width 16, 9 anchors per location
   * of base size 2 strides (16 px on P3), 2 classes; 604,966 parameters, 765 anchors. NOTE: not a
   * model of the paper.
   *
   * @return the configuration
   */
  public static RetinaNetConfig tiny64() {
    return RetinaNetConfig.builder()
        .name("retinanet-tiny64")
        .backbone(EfficientNet.tiny64())
        .numClasses(2)
        .inputSize(64)
        .fpnChannels(16)
        .headDepth(2)
        .headWidth(16)
        .anchors(AnchorConfig.builder().minLevel(3).maxLevel(6).anchorSize(2.0).build())
        .build();
  }

  /**
   * The network: input (batch, channels, inputSize, inputSize); outputs class logits (batch,
   * anchors, numClasses) and box codes (batch, anchors, 4).
   *
   * @param config the architecture
   * @return a new, uninitialised block
   * @throws IllegalArgumentException if the backbone does not reach the strides 8, 16 and 32
   */
  public static Block block(RetinaNetConfig config) {
    checkNotNull(config, "config");
    return new RetinaNetBlock(config);
  }

  /**
   * A detection student.
   *
   * @param config the architecture, targets, loss and decoding
   * @return the student; each {@link Student#newBlock()} is a fresh, uninitialised network
   */
  public static Student<BoxesTarget> student(RetinaNetConfig config) {
    checkNotNull(config, "config");
    return new RetinaNetStudent(config);
  }

  /**
   * A trained RetinaNet as an un-noised teacher (inference-mode forward passes decoded as in {@link
   * #student}). The teacher owns the model and closes it when it is closed.
   *
   * @param config the configuration the model's block was built from
   * @param model a model whose block is an initialized {@link #block} of {@code config}
   * @return the teacher; it predicts for images of {@code inputSize x inputSize} pixels with the
   *     backbone's input channels
   * @throws IllegalArgumentException if the model has no block
   */
  public static Teacher<BoxesTarget> teacher(RetinaNetConfig config, Model model) {
    checkNotNull(config, "config");
    return new ModelTeacher<>("retinanet", new RetinaNetStudent(config), model);
  }

  /**
   * The number of anchors, and so of rows of the block's outputs: the sum of {@link Anchors#count}
   * over the levels.
   *
   * @param config the configuration
   * @return the anchors of one {@code inputSize} image
   */
  public static int numAnchors(RetinaNetConfig config) {
    int total = 0;
    for (int level = config.minLevel(); level <= config.maxLevel(); level++) {
      total += Anchors.count(config.anchors(), level, config.inputSize(), config.inputSize());
    }
    return total;
  }

  /**
   * The number of trainable parameters, from the configuration alone: backbone without its
   * classifier ({@link EfficientNet#featuresParameterCount}), pyramid (FPN, or {@link
   * NasFpn#parameterCount}) and both subnets (conv weights and biases, batch norm scale and shift
   * per level; not the running statistics).
   *
   * @param config the architecture
   * @return the count
   */
  public static long parameterCount(RetinaNetConfig config) {
    EfficientNetConfig backbone = config.backbone();
    int[] c = EfficientNet.featureChannels(backbone);
    long neck =
        switch (config.neck()) {
          case FPN -> fpnParameterCount(config, c);
          case NAS_FPN -> NasFpn.parameterCount(config.nasFpn(), c);
        };
    int levels = config.maxLevel() - config.minLevel() + 1;
    long anchors = config.anchors().anchorsPerLocation();
    long f = config.fpnChannels();
    return EfficientNet.featuresParameterCount(backbone)
        + neck
        + subnet(config, f, levels, anchors * config.numClasses())
        + subnet(config, f, levels, anchors * 4);
  }

  /**
   * The {@link FeaturePyramid}: 1x1 laterals and 3x3 outputs on C3..C5, 3x3 stride-2 convs above.
   */
  private static long fpnParameterCount(RetinaNetConfig config, int[] c) {
    long f = config.fpnChannels();
    int top = Math.min(FeaturePyramid.LAST_BACKBONE_LEVEL, config.maxLevel());
    long count = 0;
    for (int level = config.minLevel(); level <= top; level++) {
      count += c[level - FeaturePyramid.FIRST_BACKBONE_LEVEL] * f + f; // 1x1 lateral
      count += 9 * f * f + f; // 3x3 output
    }
    for (int level = top + 1; level <= config.maxLevel(); level++) {
      long in =
          level == top + 1
              ? c[FeaturePyramid.LAST_BACKBONE_LEVEL - FeaturePyramid.FIRST_BACKBONE_LEVEL]
              : f;
      count += 9 * in * f + f;
    }
    return count;
  }

  private static long subnet(RetinaNetConfig config, long in, int levels, long outputs) {
    long w = config.headWidth();
    long count = 0;
    for (int layer = 0; layer < config.headDepth(); layer++) {
      count += 9 * in * w + w + 2 * w * levels; // shared conv, batch norm per level
      in = w;
    }
    return count + 9 * in * outputs + outputs;
  }
}
