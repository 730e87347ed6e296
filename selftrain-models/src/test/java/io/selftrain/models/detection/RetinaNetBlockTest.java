package io.selftrain.models.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.selftrain.models.EfficientNet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RetinaNetBlockTest {
  /** tiny64's backbone and heads on 128 px inputs with the paper's levels P3 to P7. */
  private static final RetinaNetConfig TINY_P3_P7 =
      RetinaNet.tiny64()
          .withInputSize(128)
          .withAnchors(AnchorConfig.builder().anchorSize(2.0).build());

  @Test
  void pyramid_levels3To7_outputShapesPerLevel() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      FeaturePyramid fpn = new FeaturePyramid(3, 7, 8);
      Shape[] in = {new Shape(2, 6, 16, 16), new Shape(2, 10, 8, 8), new Shape(2, 12, 4, 4)};
      fpn.initialize(manager, DataType.FLOAT32, in);
      NDList out =
          fpn.forward(
              new ParameterStore(manager, false),
              new NDList(
                  manager.randomNormal(in[0]),
                  manager.randomNormal(in[1]),
                  manager.randomNormal(in[2])),
              false);
      Shape[] expected = {
        new Shape(2, 8, 16, 16),
        new Shape(2, 8, 8, 8),
        new Shape(2, 8, 4, 4),
        new Shape(2, 8, 2, 2),
        new Shape(2, 8, 1, 1)
      };
      assertThat(out.getShapes()).containsExactly(expected);
      assertThat(fpn.getOutputShapes(in)).containsExactly(expected);
    }
  }

  @Test
  void pyramid_p6ComesFromC5() {
    // Zeroing C3 and C4 changes P3 to P5 but not P6 and P7, which depend on C5 alone.
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      FeaturePyramid fpn = new FeaturePyramid(3, 7, 4);
      Shape[] in = {new Shape(1, 3, 16, 16), new Shape(1, 3, 8, 8), new Shape(1, 5, 4, 4)};
      fpn.initialize(manager, DataType.FLOAT32, in);
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray c5 = manager.randomNormal(in[2]);
      NDList a =
          fpn.forward(
              ps, new NDList(manager.randomNormal(in[0]), manager.randomNormal(in[1]), c5), false);
      NDList b = fpn.forward(ps, new NDList(manager.zeros(in[0]), manager.zeros(in[1]), c5), false);
      assertThat(a.get(3).toFloatArray()).containsExactly(b.get(3).toFloatArray());
      assertThat(a.get(4).toFloatArray()).containsExactly(b.get(4).toFloatArray());
      assertThat(a.get(0).toFloatArray()).isNotEqualTo(b.get(0).toFloatArray());
    }
  }

  @Test
  void head_outputOrder_isLevelRowColumnAnchor() {
    int anchors = 3;
    int outputs = 2;
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      RetinaNetHead head = new RetinaNetHead(2, 0, 4, anchors, outputs, 0f);
      Shape[] levels = {new Shape(2, 5, 4, 3), new Shape(2, 5, 2, 2)};
      head.initialize(manager, DataType.FLOAT32, levels);
      ParameterStore ps = new ParameterStore(manager, false);
      NDList in = new NDList(manager.randomNormal(levels[0]), manager.randomNormal(levels[1]));
      float[] out = head.forward(ps, in, false).singletonOrThrow().toFloatArray();
      Block prediction = head.getChildren().get("01prediction");
      long total = 4 * 3 * anchors + 2 * 2 * anchors;
      assertThat(head.getOutputShapes(levels)).containsExactly(new Shape(2, total, outputs));
      long offset = 0;
      for (int level = 0; level < 2; level++) {
        NDArray conv = prediction.forward(ps, new NDList(in.get(level)), false).singletonOrThrow();
        long h = levels[level].get(2);
        long w = levels[level].get(3);
        for (int b = 0; b < 2; b++) {
          for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
              for (int a = 0; a < anchors; a++) {
                for (int k = 0; k < outputs; k++) {
                  long row = offset + (r * w + c) * anchors + a;
                  float expected = conv.getFloat(b, a * outputs + k, r, c);
                  assertThat(out[(int) ((b * total + row) * outputs + k)]).isEqualTo(expected);
                }
              }
            }
          }
        }
        offset += h * w * anchors;
      }
    }
  }

  @Test
  void block_outputsOneRowPerAnchor() {
    RetinaNetConfig config = TINY_P3_P7;
    int expectedAnchors = 0;
    for (int level = 3; level <= 7; level++) {
      expectedAnchors += Anchors.count(config.anchors(), level, 128, 128);
    }
    assertThat(RetinaNet.numAnchors(config))
        .isEqualTo(expectedAnchors)
        .isEqualTo((256 + 64 + 16 + 4 + 1) * 9);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = RetinaNet.block(config);
      Shape input = new Shape(2, 3, 128, 128);
      block.initialize(manager, DataType.FLOAT32, input);
      NDList out =
          block.forward(
              new ParameterStore(manager, false),
              new NDList(manager.randomUniform(0, 1, input)),
              false);
      Shape classes = new Shape(2, expectedAnchors, 2);
      Shape boxes = new Shape(2, expectedAnchors, 4);
      assertThat(out.getShapes()).containsExactly(classes, boxes);
      assertThat(block.getOutputShapes(new Shape[] {input})).containsExactly(classes, boxes);
      assertThat(out.get(0).isNaN().any().getBoolean()).isFalse();
    }
  }

  @Test
  void block_priorBias_initialForegroundProbabilityIsOnePercent() {
    Engine.getEngine("PyTorch").setRandomSeed(11);
    RetinaNetConfig config = RetinaNet.tiny64();
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = RetinaNet.block(config);
      Shape input = new Shape(2, 3, 64, 64);
      block.initialize(manager, DataType.FLOAT32, input);
      NDList out =
          block.forward(
              new ParameterStore(manager, false),
              new NDList(manager.randomUniform(0, 1, input)),
              false);
      NDArray probabilities = Activation.sigmoid(out.get(0));
      assertThat(probabilities.mean().getFloat()).isCloseTo(0.01f, within(1e-4f));
      assertThat(probabilities.max().getFloat()).isCloseTo(0.01f, within(1e-3f));
      assertThat(out.get(1).abs().max().getFloat()).isLessThan(0.01f);
      float bias = (float) -Math.log(99);
      for (Pair<String, Parameter> p : block.getParameters()) {
        if (p.getKey().contains("classNet")
            && p.getKey().contains("prediction")
            && p.getKey().endsWith("bias")) {
          assertThat(p.getValue().getArray().toFloatArray()).containsOnly(bias);
        }
        if (p.getKey().contains("boxNet")
            && p.getKey().contains("prediction")
            && p.getKey().endsWith("bias")) {
          assertThat(p.getValue().getArray().toFloatArray()).containsOnly(0f);
        }
      }
      assertThat(RetinaNetBlock.priorBias()).isEqualTo(bias);
    }
  }

  @Test
  void parameterCount_tinyVariants_equalInitializedBlock() {
    assertParameterCount(RetinaNet.tiny64(), 64);
    assertParameterCount(TINY_P3_P7.withHeadDepth(0).withNumClasses(5), 128);
    assertParameterCount(
        TINY_P3_P7.withAnchors(AnchorConfig.builder().minLevel(4).maxLevel(5).numScales(2).build()),
        128);
  }

  @ParameterizedTest
  @EnumSource(RetinaNet.Variant.class)
  void parameterCount_registeredVariants_equalInitializedBlock(RetinaNet.Variant variant) {
    assertParameterCount(variant.config(), 128);
  }

  @Test
  void parameterCount_b0_fromTheLayout() {
    RetinaNetConfig config = RetinaNet.Variant.B0.config();
    // backbone features + FPN (laterals 40, 112, 320 -> 256, 3x3 outputs, P6 from C5, P7) + 2
    // subnets
    long fpn =
        (40 + 112 + 320) * 256L
            + 3 * 256
            + 3 * (9 * 256L * 256 + 256)
            + (9 * 320L * 256 + 256)
            + (9 * 256L * 256 + 256);
    long tower = 4 * (9 * 256L * 256 + 256 + 2 * 256 * 5);
    long heads = 2 * tower + (9 * 256L * 9 * 80 + 9 * 80) + (9 * 256L * 36 + 36);
    assertThat(RetinaNet.parameterCount(config))
        .isEqualTo(EfficientNet.featuresParameterCount(EfficientNet.b0()) + fpn + heads)
        .isEqualTo(13_298_544L);
    // the backbone without its 1x1 head conv, batch norm and 1000-class classifier
    assertThat(EfficientNet.featuresParameterCount(EfficientNet.b0()))
        .isEqualTo(5_288_548L - (320 * 1280 + 2 * 1280) - (1280 * 1000 + 1000));
  }

  @Test
  void block_saveAndLoad_reproducesOutputs() throws IOException, MalformedModelException {
    RetinaNetConfig config = RetinaNet.tiny64();
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Shape input = new Shape(2, 3, 64, 64);
      Block trained = RetinaNet.block(config);
      trained.initialize(manager, DataType.FLOAT32, input);
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray x = manager.randomUniform(0, 1, input);
      trained.forward(ps, new NDList(x), true); // moves the batch norm running statistics
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      trained.saveParameters(new DataOutputStream(bytes));
      Block loaded = RetinaNet.block(config);
      loaded.initialize(manager, DataType.FLOAT32, input);
      loaded.loadParameters(
          manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      NDList a = trained.forward(ps, new NDList(x), false);
      NDList b = loaded.forward(ps, new NDList(x), false);
      assertThat(b.get(0).toFloatArray()).containsExactly(a.get(0).toFloatArray());
      assertThat(b.get(1).toFloatArray()).containsExactly(a.get(1).toFloatArray());
    }
  }

  private static void assertParameterCount(RetinaNetConfig config, int size) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = RetinaNet.block(config);
      block.initialize(
          manager, DataType.FLOAT32, new Shape(1, config.backbone().inputChannels(), size, size));
      long trainable = 0;
      for (Pair<String, Parameter> p : block.getParameters()) {
        if (p.getValue().requiresGradient()) {
          trainable += p.getValue().getArray().size();
        }
      }
      assertThat(trainable).as(config.name()).isEqualTo(RetinaNet.parameterCount(config));
    }
  }
}
