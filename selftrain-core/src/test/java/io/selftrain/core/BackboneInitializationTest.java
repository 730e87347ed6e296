package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.selftrain.BoxesTarget;
import io.selftrain.Student;
import io.selftrain.models.EfficientNet;
import io.selftrain.models.EfficientNetConfig;
import io.selftrain.models.detection.RetinaNet;
import io.selftrain.models.detection.RetinaNetConfig;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackboneInitializationTest {
  private static final RetinaNetConfig DETECTOR = RetinaNet.tiny64().withNumClasses(10);

  @TempDir Path tmp;

  @BeforeAll
  static void engine() {
    Engines.configure(1);
  }

  /** A classifier on the detector's backbone, random, saved as a selftrain parameter file. */
  private static Map<String, float[]> saveClassifier(EfficientNetConfig config, Path file)
      throws IOException {
    Student<?> classifier = EfficientNet.student(config);
    Map<String, float[]> values = new HashMap<>();
    try (Model model = Model.newInstance("classifier", Engines.PYTORCH)) {
      Block block = classifier.newBlock();
      model.setBlock(block);
      block.initialize(
          model.getNDManager(), DataType.FLOAT32, new Shape(1).addAll(classifier.inputShape()));
      for (Pair<String, Parameter> p : block.getParameters()) {
        values.put(p.getKey(), p.getValue().getArray().toFloatArray());
      }
      try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
        block.saveParameters(out);
      }
    }
    return values;
  }

  @Test
  void backbone_takesEveryBackboneParameterFromTheClassifier_restStaysRandom() throws Exception {
    Path file = tmp.resolve("classifier.params");
    Map<String, float[]> classifier = saveClassifier(DETECTOR.backbone().withNumClasses(7), file);
    Student<BoxesTarget> detector = RetinaNet.student(DETECTOR);
    Initialization init =
        Initialization.backbone(file, EfficientNet.student(DETECTOR.backbone().withNumClasses(7)));
    assertThat(init.describe())
        .startsWith("backbone(" + file + " sha256=")
        .endsWith(" from " + DETECTOR.backbone().name());
    int backbone = 0;
    try (TrainedModel<BoxesTarget> model =
            TrainedModel.create(detector, Engines.PYTORCH, ai.djl.Device.cpu(), init);
        TrainedModel<BoxesTarget> random =
            TrainedModel.create(
                detector, Engines.PYTORCH, ai.djl.Device.cpu(), Initialization.random())) {
      for (Pair<String, Parameter> p : model.model().getBlock().getParameters()) {
        float[] values = p.getValue().getArray().toFloatArray();
        if (p.getKey().matches("\\d+backbone_.*")) {
          backbone++;
          assertThat(values)
              .as(p.getKey())
              .containsExactly(classifier.get(p.getKey().replaceFirst("^\\d+backbone_", "")));
        }
      }
      assertThat(backbone).isGreaterThan(20);
      // The heads are initialised as usual (not all zero, not the classifier's).
      float[] head =
          model.model().getBlock().getParameters().stream()
              .filter(p -> p.getKey().contains("classNet"))
              .findFirst()
              .orElseThrow()
              .getValue()
              .getArray()
              .toFloatArray();
      assertThat(head).isNotEmpty();
      assertThat(random.model().getBlock().getParameters().size())
          .isEqualTo(model.model().getBlock().getParameters().size());
    }
  }

  @Test
  void backbone_ofAnotherInput_namesTheParameterAndShapes() throws Exception {
    Path file = tmp.resolve("grey.params");
    EfficientNetConfig grey = DETECTOR.backbone().withInputChannels(1);
    saveClassifier(grey, file);
    Initialization init = Initialization.backbone(file, EfficientNet.student(grey));
    assertThatThrownBy(
            () ->
                TrainedModel.create(
                    RetinaNet.student(DETECTOR), Engines.PYTORCH, ai.djl.Device.cpu(), init))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(
            "does not fit retinanet-tiny64's backbone: parameter 01stemConv_weight has shape (16, 1, 3, 3), the model needs (16, 3, 3, 3)");
  }

  @Test
  void backbone_missingFile() {
    assertThatThrownBy(
            () ->
                Initialization.backbone(
                    tmp.resolve("absent.params"), EfficientNet.student(DETECTOR.backbone())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backbone file does not exist: " + tmp.resolve("absent.params"));
  }
}
