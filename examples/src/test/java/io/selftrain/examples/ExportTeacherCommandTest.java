package io.selftrain.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.selftrain.ClassTarget;
import io.selftrain.Image;
import io.selftrain.Prediction;
import io.selftrain.Student;
import io.selftrain.core.Engines;
import io.selftrain.core.teacher.SavedModelConfig;
import io.selftrain.core.teacher.SavedModelTeacher;
import io.selftrain.models.ConvNetConfig;
import io.selftrain.models.ConvNets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportTeacherCommandTest {
  @TempDir Path tmp;

  @BeforeAll
  static void engines() {
    Engines.configure(1);
  }

  private static List<Image> images(int count, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Image> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] pixels = new byte[28 * 28];
      for (int k = 0; k < pixels.length; k++) {
        pixels[k] = (byte) rng.nextInt(256);
      }
      out.add(Image.of(28, 28, 1, pixels));
    }
    return out;
  }

  /**
   * A ConvNet with every parameter random (BatchNorm running statistics too, variances positive),
   * written as a SavedModel: TensorFlow's outputs must equal PyTorch's inference-mode forward pass.
   */
  @Test
  void savedModel_reproducesThePyTorchNetwork() throws Exception {
    Student<ClassTarget> architecture =
        ConvNets.student(
            ConvNetConfig.builder()
                .width(8)
                .hidden(32)
                .dropout(0.5f)
                .stochasticDepth(0.3f)
                .build());
    Path dir = tmp.resolve("convnet");
    List<Image> images = images(12, 1);
    float[] expectedLogits;
    try (Model model =
        Model.newInstance(
            "t", Engine.getEngine(Engines.PYTORCH).defaultDevice(), Engines.PYTORCH)) {
      model.setBlock(architecture.newBlock());
      NDManager m = model.getNDManager();
      model
          .getBlock()
          .initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 1, 28, 28));
      SplittableRandom rng = new SplittableRandom(2);
      for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
        NDArray array = p.getValue().getArray();
        float[] values = new float[(int) array.size()];
        boolean variance = p.getKey().endsWith("runningVar");
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (variance ? 0.2 + rng.nextDouble() : (rng.nextDouble() - 0.5) * 0.6);
        }
        array.set(values);
      }
      ConvNetSavedModel.export(model.getBlock(), architecture.inputShape(), dir);
      float[] pixels = new float[images.size() * 28 * 28];
      for (int i = 0; i < images.size(); i++) {
        byte[] src = images.get(i).pixels();
        for (int k = 0; k < src.length; k++) {
          pixels[i * 784 + k] = (src[k] & 0xFF) / 255f;
        }
      }
      try (NDManager scope = m.newSubManager()) {
        NDArray x = scope.create(pixels, new Shape(images.size(), 1, 28, 28));
        NDList out =
            model.getBlock().forward(new ParameterStore(scope, false), new NDList(x), false);
        expectedLogits = out.singletonOrThrow().toFloatArray();
      }
    }
    SavedModelConfig logitsConfig =
        SavedModelConfig.builder()
            .modelDir(dir)
            .signature("logits")
            .scores(SavedModelConfig.Scores.LOGITS)
            .build();
    try (SavedModelTeacher logits = SavedModelTeacher.open(logitsConfig);
        SavedModelTeacher probabilities =
            SavedModelTeacher.open(SavedModelConfig.builder().modelDir(dir).build());
        NDManager pytorch = Engine.getEngine(Engines.PYTORCH).newBaseManager()) {
      float[] actual = logits.outputs(images, pytorch).toFloatArray();
      assertThat(actual).hasSameSizeAs(expectedLogits);
      double scale = 0;
      for (float v : expectedLogits) {
        scale = Math.max(scale, Math.abs(v));
      }
      assertThat(scale).isGreaterThan(0.1);
      for (int i = 0; i < actual.length; i++) {
        assertThat((double) actual[i])
            .isCloseTo(expectedLogits[i], within(1e-4 * Math.max(1, scale)));
      }
      List<Prediction<ClassTarget>> predictions = probabilities.predict(images);
      for (int i = 0; i < images.size(); i++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < 10; k++) {
          max = Math.max(max, expectedLogits[i * 10 + k]);
        }
        double sum = 0;
        for (int k = 0; k < 10; k++) {
          sum += Math.exp(expectedLogits[i * 10 + k] - max);
        }
        for (int k = 0; k < 10; k++) {
          double p = Math.exp(expectedLogits[i * 10 + k] - max) / sum;
          assertThat((double) predictions.get(i).target().probabilities()[k])
              .isCloseTo(p, within(1e-5));
        }
      }
    }
  }

  @Test
  void exportTeacher_thenClassifyWithTheSavedModel() throws Exception {
    Path workDir = tmp.resolve("work");
    Path savedModel = tmp.resolve("teacher");
    String[] common = {
      "--dataset", "mnist", "--labels", "100", "--unlabeled", "300", "--threads", "1", "--seed", "4"
    };
    List<String> export = new ArrayList<>(List.of(common));
    export.addAll(
        List.of(
            "--teacher-epochs",
            "3",
            "--teacher-width",
            "8",
            "--work-dir",
            workDir.toString(),
            "--out",
            savedModel.toString()));
    ExportTeacherCommand.run(export);
    assertThat(savedModel.resolve("saved_model.pb")).isRegularFile();
    assertThat(savedModel.resolve("variables")).isDirectory();
    JsonObject manifest =
        JsonParser.parseString(Files.readString(workDir.resolve("manifest.json")))
            .getAsJsonObject();
    double trainedTop1 =
        manifest
            .getAsJsonObject("stages")
            .getAsJsonObject("round-1/teacher")
            .getAsJsonObject("metrics")
            .get("top1")
            .getAsDouble();

    Path result = tmp.resolve("result.json");
    List<String> classify = new ArrayList<>(List.of(common));
    classify.addAll(
        List.of(
            "--teacher-savedmodel",
            savedModel.toString(),
            "--epochs",
            "1",
            "--width",
            "8",
            "--work-dir",
            tmp.resolve("student").toString(),
            "--out",
            result.toString()));
    Path studentWork = tmp.resolve("student");
    ClassifyCommand.run(classify);
    JsonObject json = JsonParser.parseString(Files.readString(result)).getAsJsonObject();
    JsonObject round = json.getAsJsonArray("rounds").get(0).getAsJsonObject();
    assertThat(round.getAsJsonObject("teacher").get("top1").getAsDouble())
        .isCloseTo(trainedTop1, within(0.0011));
    double studentTop1 =
        JsonParser.parseString(Files.readString(studentWork.resolve("manifest.json")))
            .getAsJsonObject()
            .getAsJsonObject("stages")
            .getAsJsonObject("round-1/student")
            .getAsJsonObject("metrics")
            .get("top1")
            .getAsDouble();
    assertThat(round.getAsJsonObject("student").get("top1").getAsDouble()).isEqualTo(studentTop1);
    assertThat(round.getAsJsonObject("pseudo").get("kept").getAsInt()).isEqualTo(300);
    assertThat(json.getAsJsonObject("settings").get("teacher").getAsString())
        .contains("savedmodel(")
        .contains(savedModel.toString());

    assertThatThrownBy(() -> ExportTeacherCommand.run(export))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--out")
        .hasMessageContaining(savedModel.toString());
  }

  @Test
  void exportTeacher_labelsLargerThanTrainingSet_namesTheOption() {
    assertThatThrownBy(
            () ->
                ExportTeacherCommand.run(
                    List.of("--labels", "70000", "--out", tmp.resolve("teacher").toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "export-teacher: --labels 70000: labels must be at most the training set size (60000):"
                + " 70000");
  }

  @Test
  void exportTeacher_needsOut() {
    assertThatThrownBy(() -> ExportTeacherCommand.run(List.of("--labels", "100")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--out");
  }

  @Test
  void classify_savedModelErrors() throws Exception {
    Path missing = tmp.resolve("no-model");
    assertThatThrownBy(
            () ->
                ClassifyCommand.run(
                    List.of("--dataset", "mnist", "--teacher-savedmodel", missing.toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("classify: --teacher-savedmodel: folder not found: " + missing);
    Files.createDirectories(missing);
    assertThatThrownBy(
            () ->
                ClassifyCommand.run(
                    List.of(
                        "--dataset",
                        "mnist",
                        "--teacher-savedmodel",
                        missing.toString(),
                        "--teacher-layout",
                        "hwc")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--teacher-layout")
        .hasMessageContaining("hwc")
        .hasMessageContaining("nchw");
    assertThatThrownBy(
            () ->
                ClassifyCommand.run(
                    List.of(
                        "--dataset",
                        "mnist",
                        "--teacher-savedmodel",
                        missing.toString(),
                        "--teacher-init",
                        "run:" + tmp)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--teacher-init");
  }
}
