package io.selftrain.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.selftrain.BoxesTarget;
import io.selftrain.Image;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoDatasetTest {
  @TempDir Path tmp;
  private SceneFiles files;

  @BeforeEach
  void writeScenes() throws IOException {
    files =
        SceneWriter.write(
            tmp,
            SceneBuilder.of(SceneItems.fashion(), SceneConfig.builder().seed(8).minItems(2).build()).scenes(3),
            SceneItems.fashionDataset().classNames());
  }

  /** Rewrites the COCO file after applying a change to its JSON. */
  private void edit(Consumer<JsonObject> change) throws IOException {
    JsonObject coco = JsonParser.parseString(Files.readString(files.annotations())).getAsJsonObject();
    change.accept(coco);
    Files.writeString(files.annotations(), coco.toString(), StandardCharsets.UTF_8);
  }

  private static JsonObject annotation(JsonObject coco, int i) {
    return coco.getAsJsonArray("annotations").get(i).getAsJsonObject();
  }

  private static JsonArray bbox(double x, double y, double w, double h) {
    JsonArray bbox = new JsonArray();
    bbox.add(x);
    bbox.add(y);
    bbox.add(w);
    bbox.add(h);
    return bbox;
  }

  @Test
  void load_missingAnnotationFile() {
    Path missing = tmp.resolve("nothing.json");
    assertThatThrownBy(() -> CocoDataset.load(missing, files.images()))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void load_invalidJson() throws IOException {
    Files.writeString(files.annotations(), "{\"images\": [", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(files.annotations().toString())
        .hasMessageContaining("valid JSON");
  }

  @Test
  void load_missingImagesArray() throws IOException {
    edit(coco -> coco.remove("images"));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(files.annotations().toString())
        .hasMessageContaining("images must be a JSON array: missing");
  }

  @Test
  void load_boxOutsideImage() throws IOException {
    edit(coco -> annotation(coco, 0).add("bbox", bbox(120, 4, 20, 10)));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(files.annotations().toString())
        .hasMessageContaining("annotations[0].bbox must lie inside image 0")
        .hasMessageContaining("[120.0, 4.0, 20.0, 10.0]");
  }

  @Test
  void load_emptyBox() throws IOException {
    edit(coco -> annotation(coco, 1).add("bbox", bbox(10, 10, 0, 5)));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("annotations[1].bbox must have a positive width and height");
  }

  @Test
  void load_bboxNotFourNumbers() throws IOException {
    edit(coco -> annotation(coco, 0).addProperty("bbox", "wide"));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("annotations[0].bbox must be four numbers")
        .hasMessageContaining("wide");
  }

  @Test
  void load_unknownCategory() throws IOException {
    edit(coco -> annotation(coco, 0).addProperty("category_id", 42));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(files.annotations().toString())
        .hasMessageContaining("annotations[0].category_id must be one of the categories [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]: 42");
  }

  @Test
  void load_unknownImage() throws IOException {
    edit(coco -> annotation(coco, 0).addProperty("image_id", 77));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("annotations[0].image_id must be the id of an image: 77");
  }

  @Test
  void load_repeatedCategoryId() throws IOException {
    edit(coco -> coco.getAsJsonArray("categories").get(1).getAsJsonObject().addProperty("id", 1));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("categories[1].id must be unique: 1");
  }

  @Test
  void load_fractionalImageHeight() throws IOException {
    edit(coco -> coco.getAsJsonArray("images").get(2).getAsJsonObject().addProperty("height", 12.5));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("images[2].height must be an integer: 12.5");
  }

  @Test
  void load_missingImageFile() throws IOException {
    Path image = files.images().resolve("000001.png");
    Files.delete(image);
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining(files.annotations().toString())
        .hasMessageContaining("images[1].file_name")
        .hasMessageContaining(image.toString());
  }

  @Test
  void load_imageOfAnotherSize() throws IOException {
    edit(coco -> coco.getAsJsonArray("images").get(0).getAsJsonObject().addProperty("height", 130));
    Path image = files.images().resolve("000000.png");
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageStartingWith(image.toString())
        .hasMessageContaining("130x128")
        .hasMessageContaining(": 128x128");
  }

  @Test
  void load_notAnImage() throws IOException {
    Path image = files.images().resolve("000002.png");
    Files.writeString(image, "not a png");
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageStartingWith(image.toString());
  }

  /** A hand-written COCO file: sparse category ids map to classes in id order, crowd regions are skipped. */
  @Test
  void load_sparseCategoriesAndCrowd() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("hand"));
    PngFiles.writeImage(dir.resolve("a.png"), Image.filled(20, 30, 3, 7));
    String json =
        "{\"images\": [{\"id\": 9, \"file_name\": \"a.png\", \"height\": 20, \"width\": 30}],"
            + " \"categories\": [{\"id\": 17, \"name\": \"dog\"}, {\"id\": 3, \"name\": \"cat\"}],"
            + " \"annotations\": ["
            + "  {\"id\": 1, \"image_id\": 9, \"category_id\": 17, \"bbox\": [1.5, 2, 10, 8], \"iscrowd\": 0},"
            + "  {\"id\": 2, \"image_id\": 9, \"category_id\": 3, \"bbox\": [0, 0, 30, 20], \"iscrowd\": 1},"
            + "  {\"id\": 3, \"image_id\": 9, \"category_id\": 3, \"bbox\": [20, 10, 10, 10]}]}";
    Path annotations = dir.resolve("coco.json");
    Files.writeString(annotations, json, StandardCharsets.UTF_8);

    CocoDataset coco = CocoDataset.load(annotations, dir);

    assertThat(coco.classNames()).containsExactly("cat", "dog");
    assertThat(coco.categoryIds()).containsExactly(3, 17);
    assertThat(coco.fileNames()).containsExactly("a.png");
    BoxesTarget target = coco.examples().get(0).target();
    assertThat(target.classes()).containsExactly(1, 0);
    assertThat(target.boxes()).containsExactly(1.5f, 2f, 11.5f, 10f, 20f, 10f, 30f, 20f);
    assertThat(coco.examples().get(0).image()).isEqualTo(Image.filled(20, 30, 3, 7));
  }
}
