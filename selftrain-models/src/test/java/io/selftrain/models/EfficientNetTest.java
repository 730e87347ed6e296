package io.selftrain.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.selftrain.ClassTarget;
import io.selftrain.Student;
import io.selftrain.models.internal.Layers;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EfficientNetTest {

  static Stream<Arguments> publishedCounts() {
    // Tan & Le 2019 / torchvision num_params (B0..B7); L2 as derived in reference/paper-spec.md
    // section 5.
    return Stream.of(
        Arguments.of(EfficientNet.Variant.B0, 5_288_548L, 16, 1280),
        Arguments.of(EfficientNet.Variant.B1, 7_794_184L, 23, 1280),
        Arguments.of(EfficientNet.Variant.B2, 9_109_994L, 23, 1408),
        Arguments.of(EfficientNet.Variant.B3, 12_233_232L, 26, 1536),
        Arguments.of(EfficientNet.Variant.B4, 19_341_616L, 32, 1792),
        Arguments.of(EfficientNet.Variant.B5, 30_389_784L, 39, 2048),
        Arguments.of(EfficientNet.Variant.B6, 43_040_704L, 45, 2304),
        Arguments.of(EfficientNet.Variant.B7, 66_347_960L, 55, 2560),
        Arguments.of(EfficientNet.Variant.L2, 480_309_308L, 88, 5504));
  }

  @ParameterizedTest
  @MethodSource("publishedCounts")
  void parameterCount_fromConfig_matchesPublishedTable(
      EfficientNet.Variant variant, long params, int blocks, int head) {
    EfficientNetConfig config = variant.config();
    assertThat(EfficientNet.parameterCount(config)).isEqualTo(params);
    assertThat(EfficientNet.numBlocks(config)).isEqualTo(blocks);
    assertThat(config.roundFilters(config.headFilters())).isEqualTo(head);
  }

  @ParameterizedTest
  @EnumSource(
      value = EfficientNet.Variant.class,
      names = {"B0", "B1", "B2"})
  void classifier_initializedBlock_countsPublishedParameters(EfficientNet.Variant variant) {
    EfficientNetConfig config = variant.config();
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = EfficientNet.classifier(config);
      block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
      assertThat(trainableParameters(block)).isEqualTo(EfficientNet.parameterCount(config));
    }
  }

  @Test
  void classifier_initializedBlock_countsPublishedB0Exactly() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = EfficientNet.classifier(EfficientNet.b0());
      block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
      assertThat(trainableParameters(block)).isEqualTo(5_288_548L);
      // running mean and variance: 2 per batch-norm channel, not trainable, not counted
      long runningStats = 0;
      for (Pair<String, Parameter> p : block.getParameters()) {
        if (!p.getValue().requiresGradient()) {
          runningStats += p.getValue().getArray().size();
        }
      }
      assertThat(runningStats).isPositive().isEven();
    }
  }

  @Test
  void parameterCount_tinyVariant_equalsInitializedBlock() {
    EfficientNetConfig config = EfficientNet.tiny28().withNumClasses(7).withInputChannels(2);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = EfficientNet.classifier(config);
      block.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 28, 28));
      assertThat(trainableParameters(block)).isEqualTo(EfficientNet.parameterCount(config));
    }
  }

  @Test
  void roundFilters_matchesOfficialRounding() {
    assertThat(EfficientNet.b0().roundFilters(32)).isEqualTo(32);
    assertThat(EfficientNet.b2().roundFilters(1280)).isEqualTo(1408);
    assertThat(EfficientNet.b3().roundFilters(40)).isEqualTo(48); // 48.0
    assertThat(EfficientNet.b4().roundFilters(24)).isEqualTo(32); // 33.6 -> 32
    assertThat(EfficientNet.l2().roundFilters(32)).isEqualTo(136); // 137.6 -> 136
    assertThat(EfficientNet.tiny28().roundFilters(40)).isEqualTo(16); // 10 -> 8 < 9 -> 16
    assertThat(EfficientNet.b1().roundRepeats(2)).isEqualTo(3); // ceil(2.2)
    assertThat(EfficientNet.b7().roundRepeats(1)).isEqualTo(4); // ceil(3.1)
  }

  @Test
  void blocks_seReductionUsesBlockInputFilters() {
    List<EfficientNet.BlockSpec> blocks = EfficientNet.blocks(EfficientNet.b0());
    // second block: 16 -> 24, expand 6 (96 filters); SE squeezes to int(16 * 0.25) = 4, not 24
    assertThat(blocks.get(1).expandedFilters()).isEqualTo(96);
    assertThat(blocks.get(1).seFilters()).isEqualTo(4);
    assertThat(blocks.get(0).expandRatio()).isEqualTo(1);
    assertThat(blocks.get(0).hasResidual()).isFalse(); // 32 -> 16
    assertThat(blocks.get(2).hasResidual()).isTrue(); // 24 -> 24, stride 1
    assertThat(blocks.get(3).hasResidual()).isFalse(); // stride 2
  }

  @Test
  void blocks_survivalIsLinearInBlockIndex() {
    List<EfficientNet.BlockSpec> blocks = EfficientNet.blocks(EfficientNet.b0());
    assertThat(blocks).hasSize(16);
    assertThat(blocks.get(0).survival()).isEqualTo(1f);
    assertThat((double) blocks.get(8).survival()).isCloseTo(0.9, within(1e-6));
    assertThat((double) blocks.get(15).survival()).isCloseTo(1 - 0.2 * 15 / 16, within(1e-6));
    List<EfficientNet.BlockSpec> noisier =
        EfficientNet.blocks(EfficientNet.b0().withStochasticDepth(0.5f));
    assertThat((double) noisier.get(15).survival()).isCloseTo(1 - 0.5 * 15 / 16, within(1e-6));
  }

  @Test
  void numBlocks_tinyVariants() {
    assertThat(EfficientNet.numBlocks(EfficientNet.tiny28())).isEqualTo(7);
    assertThat(EfficientNet.numBlocks(EfficientNet.tiny64())).isEqualTo(10);
  }

  @Test
  void classifier_tiny28_outputsLogitsPerClass() {
    assertOutputShape(EfficientNet.tiny28(), 3, new Shape(3, 10));
  }

  @Test
  void classifier_tiny64_outputsLogitsPerClass() {
    assertOutputShape(EfficientNet.tiny64().withNumClasses(5), 2, new Shape(2, 5));
  }

  @Test
  void features_tiny64_returnsStrides8To32() {
    EfficientNetConfig config = EfficientNet.tiny64();
    int[] channels = EfficientNet.featureChannels(config);
    assertThat(channels)
        .containsExactly(
            config.roundFilters(40), config.roundFilters(112), config.roundFilters(320));
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = EfficientNet.features(config);
      Shape input = new Shape(2, 3, 64, 64);
      block.initialize(manager, DataType.FLOAT32, input);
      NDList out =
          block.forward(
              new ParameterStore(manager, false), new NDList(manager.randomNormal(input)), false);
      assertThat(out).hasSize(3);
      assertThat(out.get(0).getShape()).isEqualTo(new Shape(2, channels[0], 8, 8));
      assertThat(out.get(1).getShape()).isEqualTo(new Shape(2, channels[1], 4, 4));
      assertThat(out.get(2).getShape()).isEqualTo(new Shape(2, channels[2], 2, 2));
      assertThat(block.getOutputShapes(new Shape[] {input}))
          .containsExactly(out.get(0).getShape(), out.get(1).getShape(), out.get(2).getShape());
    }
  }

  @Test
  void featureChannels_b0_areStages3To7() {
    assertThat(EfficientNet.featureChannels(EfficientNet.b0())).containsExactly(40, 112, 320);
  }

  @Test
  void features_stagesNeverReachStride32() {
    EfficientNetConfig shallow =
        EfficientNet.tiny28()
            .withStages(
                List.of(MbConvStage.of(1, 3, 2, 1, 32, 16), MbConvStage.of(1, 3, 2, 6, 16, 24)));
    assertThatThrownBy(() -> EfficientNet.features(shallow))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stride 16")
        .hasMessageContaining("efficientnet-tiny28");
  }

  @Test
  void classifier_inference_isDeterministicDespiteNoise() {
    EfficientNetConfig config = EfficientNet.tiny28().withDropout(0.5f).withStochasticDepth(0.5f);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = EfficientNet.classifier(config);
      Shape input = new Shape(4, 1, 28, 28);
      block.initialize(manager, DataType.FLOAT32, input);
      NDArray x = manager.randomNormal(input);
      ParameterStore ps = new ParameterStore(manager, false);
      float[] a = block.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
      float[] b = block.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
      assertThat(a).containsExactly(b);
      float[] t1 = block.forward(ps, new NDList(x), true).singletonOrThrow().toFloatArray();
      float[] t2 = block.forward(ps, new NDList(x), true).singletonOrThrow().toFloatArray();
      assertThat(t1).isNotEqualTo(t2);
    }
  }

  @Test
  void student_tiny28_trainingStepsReduceLossWithoutNaN() {
    Engine.getEngine("PyTorch").setRandomSeed(3);
    Student<ClassTarget> student =
        EfficientNet.student(EfficientNet.tiny28().withDropout(0.2f).withStochasticDepth(0.2f));
    assertThat(student.name()).isEqualTo("efficientnet-tiny28");
    assertThat(student.inputShape()).isEqualTo(new Shape(1, 28, 28));
    try (Model model = Model.newInstance("t", "PyTorch")) {
      model.setBlock(student.newBlock());
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.l2Loss())
              .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build());
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(16, 1, 28, 28));
        NDManager m = trainer.getManager();
        NDArray x = m.randomUniform(0, 1, new Shape(16, 1, 28, 28));
        List<ClassTarget> labels = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          labels.add(ClassTarget.index(i % 10, 10));
        }
        NDArray q = student.encodeTargets(labels, m);
        float first = 0;
        float last = 0;
        for (int step = 0; step < 25; step++) {
          try (GradientCollector gc = trainer.newGradientCollector()) {
            NDArray loss = student.lossPerExample(trainer.forward(new NDList(x)), q).mean();
            last = loss.getFloat();
            if (step == 0) {
              first = last;
            }
            gc.backward(loss);
          }
          assertThat(GradientGuard.nonFiniteGradients(model.getBlock())).isEmpty();
          trainer.step();
        }
        assertThat(last).isFinite().isLessThan(first * 0.5f);
      }
    }
  }

  @Test
  void batchNorm_momentumIsKerasConvention() {
    // One training step from running mean 0 on data of mean 5: Keras momentum 0.99 keeps 0.99 of
    // the old
    // value, giving 0.05; the PyTorch convention would give 4.95.
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block bn = Layers.batchNorm(0.99f, 1e-3f);
      Shape shape = new Shape(4, 1, 2, 2);
      bn.initialize(manager, DataType.FLOAT32, shape);
      bn.forward(new ParameterStore(manager, false), new NDList(manager.full(shape, 5f)), true);
      float runningMean = -1;
      for (Pair<String, Parameter> p : bn.getParameters()) {
        if (p.getKey().toLowerCase().contains("runningmean")) {
          runningMean = p.getValue().getArray().getFloat(0);
        }
      }
      assertThat((double) runningMean).isCloseTo(0.05, within(1e-5));
    }
  }

  @Test
  void config_dropoutOutOfRange() {
    assertThatThrownBy(() -> EfficientNet.b0().withDropout(1f))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dropout")
        .hasMessageContaining("1.0");
  }

  @Test
  void config_stochasticDepthNegative() {
    assertThatThrownBy(() -> EfficientNet.b0().withStochasticDepth(-0.1f))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("stochasticDepth")
        .hasMessageContaining("-0.1");
  }

  @Test
  void stage_evenKernel() {
    assertThatThrownBy(() -> MbConvStage.of(1, 4, 1, 6, 16, 16))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("kernelSize")
        .hasMessageContaining("4");
  }

  @Test
  void variant_configsCarryTableValues() {
    EfficientNetConfig b5 = EfficientNet.b5();
    assertThat(b5.name()).isEqualTo("efficientnet-b5");
    assertThat(b5.widthCoefficient()).isEqualTo(1.6);
    assertThat(b5.depthCoefficient()).isEqualTo(2.2);
    assertThat(b5.resolution()).isEqualTo(456);
    assertThat(b5.dropout()).isEqualTo(0.4f);
    assertThat(b5.batchNormMomentum()).isEqualTo(0.99f);
    assertThat(b5.batchNormEpsilon()).isEqualTo(1e-3f);
    assertThat(b5.stages()).hasSize(7);
  }

  private static void assertOutputShape(EfficientNetConfig config, int batch, Shape expected) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = EfficientNet.classifier(config);
      Shape input =
          new Shape(batch, config.inputChannels(), config.resolution(), config.resolution());
      block.initialize(manager, DataType.FLOAT32, input);
      NDArray out =
          block
              .forward(
                  new ParameterStore(manager, false), new NDList(manager.randomNormal(input)), true)
              .singletonOrThrow();
      assertThat(out.getShape()).isEqualTo(expected);
      assertThat(block.getOutputShapes(new Shape[] {input})).containsExactly(expected);
      assertThat(out.isNaN().any().getBoolean()).isFalse();
    }
  }

  static long trainableParameters(Block block) {
    long count = 0;
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().requiresGradient()) {
        count += p.getValue().getArray().size();
      }
    }
    return count;
  }

  @ParameterizedTest(name = "pooled {0}")
  @ValueSource(booleans = {false, true})
  void spatialMean_isThePerChannelMean_andSpreadsItsGradientEvenly(boolean pooled) {
    Engine engine = Engine.getEngine("PyTorch");
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      int n = 2;
      int c = 3;
      int h = 5;
      int w = 7;
      float[] values = new float[n * c * h * w];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) Math.sin(0.37 * i) * 3f;
      }
      NDArray x = manager.create(values, new Shape(n, c, h, w));
      x.setRequiresGradient(true);
      NDArray kept;
      try (GradientCollector gc = engine.newGradientCollector()) {
        kept = EfficientNet.spatialMean(x, true, pooled);
        gc.backward(
            kept.mul(manager.create(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, kept.getShape())).sum());
      }
      assertThat(kept.getShape()).isEqualTo(new Shape(n, c, 1, 1));
      assertThat(EfficientNet.spatialMean(x, false, pooled).getShape()).isEqualTo(new Shape(n, c));
      float[] means = kept.toFloatArray();
      float[] gradient = x.getGradient().toFloatArray();
      for (int plane = 0; plane < n * c; plane++) {
        double sum = 0;
        for (int k = 0; k < h * w; k++) {
          sum += values[plane * h * w + k];
          assertThat(gradient[plane * h * w + k])
              .as("gradient in plane %s", plane)
              .isCloseTo((plane + 1f) / (h * w), within(1e-6f));
        }
        assertThat((double) means[plane])
            .as("plane %s", plane)
            .isCloseTo(sum / (h * w), within(1e-5));
      }
    }
  }
}
