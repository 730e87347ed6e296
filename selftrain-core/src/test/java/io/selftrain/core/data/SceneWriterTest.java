package io.selftrain.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.selftrain.BoxesTarget;
import io.selftrain.Example;
import io.selftrain.MaskTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SceneWriterTest {
  @TempDir Path tmp;

  private static List<Scene> scenes(int channels) {
    return SceneBuilder.of(
            SceneItems.fashion(),
            SceneConfig.builder().seed(21).channels(channels).backgroundNoise(16).build())
        .scenes(6);
  }

  private static List<String> classNames() {
    return SceneItems.fashionDataset().classNames();
  }

  @Test
  void write_thenLoad_givesTheSameImagesBoxesAndMasks() throws IOException {
    List<Scene> scenes = scenes(3);
    SceneFiles files = SceneWriter.write(tmp, scenes, classNames());

    CocoDataset coco = CocoDataset.load(files.annotations(), files.images());
    MaskDataset masks = MaskDataset.load(files.images(), files.masks(), classNames().size() + 1);

    assertThat(coco.size()).isEqualTo(6);
    assertThat(coco.classNames()).isEqualTo(classNames());
    assertThat(coco.categoryIds()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(masks.size()).isEqualTo(6);
    for (int i = 0; i < scenes.size(); i++) {
      Scene scene = scenes.get(i);
      Example<BoxesTarget> detection = coco.examples().get(i);
      Example<MaskTarget> segmentation = masks.examples().get(i);
      assertThat(coco.fileNames().get(i)).isEqualTo(SceneFiles.fileName(i));
      assertThat(detection.image()).isEqualTo(scene.image());
      assertThat(detection.target()).isEqualTo(scene.boxes());
      assertThat(masks.fileNames().get(i)).isEqualTo(SceneFiles.fileName(i));
      assertThat(segmentation.image()).isEqualTo(scene.image());
      assertThat(segmentation.target()).isEqualTo(scene.mask());
    }
  }

  @Test
  void write_greyScenes_loadAsOneChannel() throws IOException {
    List<Scene> scenes = scenes(1);
    SceneFiles files = SceneWriter.write(tmp, scenes, classNames());

    CocoDataset coco = CocoDataset.load(files.annotations(), files.images());

    assertThat(coco.examples().get(0).image().channels()).isEqualTo(1);
    assertThat(coco.examples().get(0).image()).isEqualTo(scenes.get(0).image());
  }

  @Test
  void write_cocoFields_matchTheScenes() throws IOException {
    List<Scene> scenes = scenes(3);
    SceneFiles files = SceneWriter.write(tmp, scenes, classNames());
    JsonObject coco =
        JsonParser.parseString(Files.readString(files.annotations(), StandardCharsets.UTF_8))
            .getAsJsonObject();

    assertThat(coco.has("info")).isTrue();
    assertThat(coco.getAsJsonArray("licenses")).isEmpty();
    JsonArray images = coco.getAsJsonArray("images");
    assertThat(images).hasSize(6);
    for (int i = 0; i < 6; i++) {
      JsonObject image = images.get(i).getAsJsonObject();
      assertThat(image.get("id").getAsInt()).isEqualTo(i);
      assertThat(image.get("file_name").getAsString()).isEqualTo(String.format("%06d.png", i));
      assertThat(image.get("height").getAsInt()).isEqualTo(128);
      assertThat(image.get("width").getAsInt()).isEqualTo(128);
      assertThat(files.images().resolve(image.get("file_name").getAsString())).isRegularFile();
      assertThat(files.masks().resolve(image.get("file_name").getAsString())).isRegularFile();
    }
    JsonArray annotations = coco.getAsJsonArray("annotations");
    int n = 0;
    for (Scene scene : scenes) {
      float[] boxes = scene.boxes().boxes();
      int[] classes = scene.boxes().classes();
      for (int k = 0; k < classes.length; k++, n++) {
        JsonObject annotation = annotations.get(n).getAsJsonObject();
        JsonArray bbox = annotation.getAsJsonArray("bbox");
        assertThat(annotation.get("id").getAsInt()).isEqualTo(n + 1);
        assertThat(annotation.get("image_id").getAsInt()).isEqualTo(scene.index());
        assertThat(annotation.get("category_id").getAsInt()).isEqualTo(classes[k] + 1);
        assertThat(annotation.get("iscrowd").getAsInt()).isZero();
        assertThat(annotation.get("area").getAsInt()).isEqualTo(scene.areas()[k]);
        assertThat(annotation.get("area").getAsInt())
            .isLessThanOrEqualTo(bbox.get(2).getAsInt() * bbox.get(3).getAsInt());
        assertThat(bbox).hasSize(4);
        // Pixel-edge boxes are whole numbers, written without a fraction.
        assertThat(bbox.toString()).doesNotContain(".");
        assertThat(Stream.of(0, 1, 2, 3).map(j -> bbox.get(j).getAsFloat()))
            .containsExactly(
                boxes[4 * k],
                boxes[4 * k + 1],
                boxes[4 * k + 2] - boxes[4 * k],
                boxes[4 * k + 3] - boxes[4 * k + 1]);
      }
    }
    assertThat(annotations).hasSize(n);
    assertThat(n).isGreaterThan(6);
    JsonArray categories = coco.getAsJsonArray("categories");
    assertThat(categories).hasSize(10);
    for (int c = 0; c < 10; c++) {
      JsonElement category = categories.get(c);
      assertThat(category.getAsJsonObject().get("id").getAsInt()).isEqualTo(c + 1);
      assertThat(category.getAsJsonObject().get("name").getAsString())
          .isEqualTo(classNames().get(c));
    }
  }

  @Test
  void write_twice_sameBytes() throws IOException {
    SceneFiles first = SceneWriter.write(tmp.resolve("a"), scenes(3), classNames());
    SceneFiles second = SceneWriter.write(tmp.resolve("b"), scenes(3), classNames());

    assertThat(Files.readAllBytes(second.annotations()))
        .isEqualTo(Files.readAllBytes(first.annotations()));
    for (int i = 0; i < 6; i++) {
      String name = SceneFiles.fileName(i);
      assertThat(Files.readAllBytes(second.images().resolve(name)))
          .isEqualTo(Files.readAllBytes(first.images().resolve(name)));
      assertThat(Files.readAllBytes(second.masks().resolve(name)))
          .isEqualTo(Files.readAllBytes(first.masks().resolve(name)));
    }
    try (Stream<Path> files = Files.walk(tmp)) {
      assertThat(files.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
    }
  }

  @Test
  void write_repeatedIndex() {
    Scene scene = scenes(3).get(0);
    assertThatThrownBy(() -> SceneWriter.write(tmp, List.of(scene, scene), classNames()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("distinct indices")
        .hasMessageContaining("0");
  }

  @Test
  void write_classWithoutName() {
    List<Scene> scenes = scenes(3);
    assertThatThrownBy(() -> SceneWriter.write(tmp, scenes, List.of("only", "two")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("classNames")
        .hasMessageContaining("2 names");
  }
}
