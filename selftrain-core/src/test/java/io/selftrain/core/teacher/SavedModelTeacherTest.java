package io.selftrain.core.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.selftrain.ClassTarget;
import io.selftrain.Image;
import io.selftrain.Prediction;
import io.selftrain.core.Engines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedModelTeacherTest {
  private static final LinearSavedModel MODEL = new LinearSavedModel(6, 5, 3, 4, 7);

  @TempDir static Path tmp;
  private static Path nhwc;
  private static Path nchw;

  @BeforeAll
  static void export() throws IOException {
    Engines.configure(1);
    Engines.load(Engines.TENSORFLOW);
    nhwc = tmp.resolve("nhwc");
    nchw = tmp.resolve("nchw");
    MODEL.export(nhwc, false, "serving_default", "serve");
    MODEL.export(nchw, true, "classify", "serve", "gpu");
  }

  private static List<Image> images(int count, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Image> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] pixels = new byte[MODEL.height * MODEL.width * MODEL.channels];
      for (int k = 0; k < pixels.length; k++) {
        pixels[k] = (byte) rng.nextInt(256);
      }
      out.add(Image.of(MODEL.height, MODEL.width, MODEL.channels, pixels));
    }
    return out;
  }

  private static ImmutableSavedModelConfig.Builder nhwcConfig() {
    return SavedModelConfig.builder().modelDir(nhwc);
  }

  @Test
  void signatures_readFromTheProtobuf_matchTensorFlowsOwnParser() throws IOException {
    SavedModelSignatures read = SavedModelSignatures.read(nchw);
    org.tensorflow.proto.SavedModel proto =
        org.tensorflow.proto.SavedModel.parseFrom(
            Files.readAllBytes(nchw.resolve("saved_model.pb")));
    assertThat(read.metaGraphs()).hasSize(proto.getMetaGraphsCount());
    org.tensorflow.proto.MetaGraphDef meta = proto.getMetaGraphs(0);
    SavedModelSignatures.MetaGraph graph = read.metaGraphs().get(0);
    assertThat(graph.tags())
        .containsExactlyInAnyOrderElementsOf(meta.getMetaInfoDef().getTagsList());
    assertThat(graph.signatures().keySet())
        .containsExactlyInAnyOrderElementsOf(meta.getSignatureDefMap().keySet());
    org.tensorflow.proto.SignatureDef def = meta.getSignatureDefMap().get("classify");
    SavedModelSignatures.Signature signature = graph.signatures().get("classify");
    assertThat(signature.inputs().keySet())
        .containsExactlyInAnyOrderElementsOf(def.getInputsMap().keySet());
    assertThat(signature.outputs().keySet())
        .containsExactlyInAnyOrderElementsOf(def.getOutputsMap().keySet());
    org.tensorflow.proto.TensorInfo image = def.getInputsMap().get("image");
    assertThat(signature.inputs().get("image").dtype()).isEqualTo(image.getDtypeValue());
    assertThat(signature.inputs().get("image").shape())
        .containsExactly(
            image.getTensorShape().getDimList().stream().mapToLong(d -> d.getSize()).toArray());
    assertThat(signature.inputs().get("image").shape()).containsExactly(-1, 3, 6, 5);
  }

  @Test
  void probabilities_matchTheModelComputedInJava() throws IOException {
    List<Image> images = images(37, 1);
    try (SavedModelTeacher teacher =
        SavedModelTeacher.open(nhwcConfig().output("probabilities").batchSize(10).build())) {
      assertThat(teacher.numClasses()).isEqualTo(4);
      List<Prediction<ClassTarget>> predictions = teacher.predict(images);
      assertThat(predictions).hasSize(37);
      for (int i = 0; i < images.size(); i++) {
        double[] expected = MODEL.probabilities(images.get(i));
        float[] actual = predictions.get(i).target().probabilities();
        for (int k = 0; k < expected.length; k++) {
          assertThat((double) actual[k]).isCloseTo(expected[k], within(1e-4));
        }
        assertThat(predictions.get(i).confidence()).isCloseTo(max(expected), within(1e-4f));
      }
    }
  }

  @Test
  void logits_getTheSoftmax_andNchwInputsAreTransposed() throws IOException {
    List<Image> images = images(9, 2);
    SavedModelConfig config =
        SavedModelConfig.builder()
            .modelDir(nchw)
            .tags(List.of("gpu", "serve"))
            .signature("classify")
            .output("logits")
            .scores(SavedModelConfig.Scores.LOGITS)
            .layout(SavedModelConfig.Layout.NCHW)
            .build();
    try (SavedModelTeacher teacher = SavedModelTeacher.open(config)) {
      List<Prediction<ClassTarget>> predictions = teacher.predict(images);
      for (int i = 0; i < images.size(); i++) {
        double[] expected = MODEL.probabilities(images.get(i));
        float[] actual = predictions.get(i).target().probabilities();
        for (int k = 0; k < expected.length; k++) {
          assertThat((double) actual[k]).isCloseTo(expected[k], within(1e-4));
        }
      }
    }
  }

  @Test
  void outputs_copyTheRawScoresIntoAPyTorchManager() throws IOException {
    List<Image> images = images(5, 3);
    try (SavedModelTeacher teacher =
            SavedModelTeacher.open(
                nhwcConfig().output("logits").scores(SavedModelConfig.Scores.LOGITS).build());
        NDManager pytorch = Engine.getEngine(Engines.PYTORCH).newBaseManager()) {
      NDArray logits = teacher.outputs(images, pytorch);
      assertThat(logits.getManager().getEngine().getEngineName()).isEqualTo(Engines.PYTORCH);
      assertThat(logits.getShape().getShape()).containsExactly(5, 4);
      float[] flat = logits.toFloatArray();
      for (int i = 0; i < images.size(); i++) {
        double[] expected = MODEL.logits(images.get(i));
        for (int k = 0; k < 4; k++) {
          assertThat((double) flat[i * 4 + k]).isCloseTo(expected[k], within(1e-3));
        }
      }
    }
  }

  @Test
  void describe_changesWithTheModelsContent() throws IOException {
    Path copy = tmp.resolve("other");
    new LinearSavedModel(6, 5, 3, 4, 8).export(copy, false, "serving_default", "serve");
    try (SavedModelTeacher a = SavedModelTeacher.open(nhwcConfig().output("logits").build());
        SavedModelTeacher again = SavedModelTeacher.open(nhwcConfig().output("logits").build());
        SavedModelTeacher b =
            SavedModelTeacher.open(
                SavedModelConfig.builder().modelDir(copy).output("logits").build())) {
      assertThat(a.describe()).isEqualTo(again.describe()).contains("sha256=");
      assertThat(b.describe()).isNotEqualTo(a.describe());
    }
  }

  @Test
  void missingFolder() {
    Path missing = tmp.resolve("no-such-model");
    assertThatThrownBy(
            () -> SavedModelTeacher.open(SavedModelConfig.builder().modelDir(missing).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("modelDir")
        .hasMessageContaining(missing.toString());
  }

  @Test
  void folderWithoutSavedModel() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(
            () -> SavedModelTeacher.open(SavedModelConfig.builder().modelDir(empty).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("saved_model.pb")
        .hasMessageContaining(empty.toString());
  }

  @Test
  void corruptProtobuf() throws IOException {
    Path corrupt = Files.createDirectories(tmp.resolve("corrupt"));
    Files.write(corrupt.resolve("saved_model.pb"), new byte[] {0x12, 0x7f, 0x01});
    assertThatThrownBy(
            () -> SavedModelTeacher.open(SavedModelConfig.builder().modelDir(corrupt).build()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(corrupt.resolve("saved_model.pb").toString());
  }

  @Test
  void wrongSignature_listsTheAvailableOnes() {
    assertThatThrownBy(() -> SavedModelTeacher.open(nhwcConfig().signature("predict").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("signature predict")
        .hasMessageContaining("[serving_default]");
  }

  @Test
  void wrongTags_listTheAvailableOnes() {
    assertThatThrownBy(() -> SavedModelTeacher.open(nhwcConfig().tags(List.of("train")).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[train]")
        .hasMessageContaining("[serve]");
  }

  @Test
  void twoOutputsAndNoneNamed_asksForAName() {
    assertThatThrownBy(() -> SavedModelTeacher.open(nhwcConfig().build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 outputs")
        .hasMessageContaining("logits")
        .hasMessageContaining("probabilities");
  }

  @Test
  void unknownInputOrOutputName() {
    assertThatThrownBy(
            () -> SavedModelTeacher.open(nhwcConfig().input("pixels").output("logits").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input pixels")
        .hasMessageContaining("[image]");
    assertThatThrownBy(() -> SavedModelTeacher.open(nhwcConfig().output("scores").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("output scores");
  }

  @Test
  void wrongInputShape_namesTheInputAndTheImage() throws IOException {
    try (SavedModelTeacher teacher =
        SavedModelTeacher.open(nhwcConfig().output("logits").build())) {
      List<Image> images = new ArrayList<>(images(3, 4));
      images.add(Image.of(28, 28, 1, new byte[28 * 28]));
      assertThatThrownBy(() -> teacher.predict(images))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("input image")
          .hasMessageContaining("(?, 6, 5, 3)")
          .hasMessageContaining("image 3 is 28x28x1");
    }
  }

  @Test
  void wrongLayout_isCaughtBeforeRunning() throws IOException {
    try (SavedModelTeacher teacher =
        SavedModelTeacher.open(
            nhwcConfig().output("logits").layout(SavedModelConfig.Layout.NCHW).build())) {
      assertThatThrownBy(() -> teacher.predict(images(1, 5)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("NCHW")
          .hasMessageContaining("image 0 is 6x5x3");
    }
  }

  @Test
  void probabilitiesThatAreLogits_areRefused() throws IOException {
    try (SavedModelTeacher teacher =
        SavedModelTeacher.open(nhwcConfig().output("logits").build())) {
      assertThatThrownBy(() -> teacher.predict(images(20, 6)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("negative probability")
          .hasMessageContaining("LOGITS");
    }
  }

  @Test
  void config_rejectsBadValues() {
    assertThatThrownBy(() -> nhwcConfig().batchSize(0).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("batchSize")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> nhwcConfig().tags(List.of()).build()).hasMessageContaining("tags");
    assertThatThrownBy(() -> nhwcConfig().signature(" ").build()).hasMessageContaining("signature");
  }

  @Test
  void valueRanges() {
    assertThat(SavedModelConfig.ValueRange.UNIT.apply(255)).isEqualTo(1f);
    assertThat(SavedModelConfig.ValueRange.SIGNED.apply(0)).isEqualTo(-1f);
    assertThat(SavedModelConfig.ValueRange.SIGNED.apply(255)).isEqualTo(1f);
    assertThat(SavedModelConfig.ValueRange.BYTE.apply(200)).isEqualTo(200f);
  }

  private static float max(double[] values) {
    return (float) java.util.Arrays.stream(values).max().orElseThrow();
  }
}
