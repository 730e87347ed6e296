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
import java.util.Arrays;
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
            SceneBuilder.of(SceneItems.fashion(), SceneConfig.builder().seed(8).minItems(2).build())
                .scenes(3),
            SceneItems.fashionDataset().classNames());
  }

  /** Rewrites the COCO file after applying a change to its JSON. */
  private void edit(Consumer<JsonObject> change) throws IOException {
    JsonObject coco =
        JsonParser.parseString(Files.readString(files.annotations())).getAsJsonObject();
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
        .hasMessageContaining(
            "annotations[0].category_id must be one of the categories [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]: 42");
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
    edit(
        coco -> coco.getAsJsonArray("images").get(2).getAsJsonObject().addProperty("height", 12.5));
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
        .hasMessageStartingWith(image.toString())
        .hasMessageContaining("images[2] of " + files.annotations())
        .hasMessageContaining("no reader")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void load_truncatedImage() throws IOException {
    Path image = files.images().resolve("000001.png");
    byte[] png = Files.readAllBytes(image);
    Files.write(image, Arrays.copyOf(png, png.length / 2));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageStartingWith(image.toString())
        .hasMessageContaining("images[1] of " + files.annotations())
        .hasMessageContaining("decodable")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void load_missingAnnotationsArray() throws IOException {
    edit(coco -> coco.remove("annotations"));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(files.annotations().toString())
        .hasMessageContaining("annotations must be a JSON array: missing");
  }

  @Test
  void load_missingCategoriesArray() throws IOException {
    edit(coco -> coco.remove("categories"));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(files.annotations().toString())
        .hasMessageContaining("categories must be a JSON array: missing");
  }

  @Test
  void load_missingCategoryName() throws IOException {
    edit(coco -> coco.getAsJsonArray("categories").get(3).getAsJsonObject().remove("name"));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(files.annotations().toString())
        .hasMessageContaining("categories[3].name must be a string: missing");
  }

  @Test
  void load_missingImageId() throws IOException {
    edit(coco -> coco.getAsJsonArray("images").get(1).getAsJsonObject().remove("id"));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(files.annotations().toString())
        .hasMessageContaining("images[1].id must be an integer: missing");
  }

  @Test
  void load_missingFileName() throws IOException {
    edit(coco -> coco.getAsJsonArray("images").get(2).getAsJsonObject().remove("file_name"));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(files.annotations().toString())
        .hasMessageContaining("images[2].file_name must be a string: missing");
  }

  @Test
  void load_missingImageWidth() throws IOException {
    edit(coco -> coco.getAsJsonArray("images").get(0).getAsJsonObject().remove("width"));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(files.annotations().toString())
        .hasMessageContaining("images[0].width must be an integer: missing");
  }

  @Test
  void load_zeroImageHeight() throws IOException {
    edit(coco -> coco.getAsJsonArray("images").get(0).getAsJsonObject().addProperty("height", 0));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(files.annotations().toString())
        .hasMessageContaining("images[0] must have a positive height and width: 0x128");
  }

  @Test
  void load_missingImageIdOfAnnotation() throws IOException {
    edit(coco -> annotation(coco, 2).remove("image_id"));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(files.annotations().toString())
        .hasMessageContaining("annotations[2].image_id must be an integer: missing");
  }

  @Test
  void load_missingCategoryIdOfAnnotation() throws IOException {
    edit(coco -> annotation(coco, 1).remove("category_id"));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(files.annotations().toString())
        .hasMessageContaining("annotations[1].category_id must be an integer: missing");
  }

  @Test
  void load_missingBbox() throws IOException {
    edit(coco -> annotation(coco, 0).remove("bbox"));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(files.annotations().toString())
        .hasMessageContaining(
            "annotations[0].bbox must be four numbers [x, y, width, height]: missing");
  }

  @Test
  void load_negativeBoxHeight() throws IOException {
    edit(coco -> annotation(coco, 0).add("bbox", bbox(10, 20, 5, -3)));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(files.annotations().toString())
        .hasMessageContaining(
            "annotations[0].bbox must have a positive width and height: [10.0, 20.0, 5.0, -3.0]");
  }

  @Test
  void load_boxLeftOfImage() throws IOException {
    edit(coco -> annotation(coco, 1).add("bbox", bbox(-0.5, 4, 20, 10)));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(files.annotations().toString())
        .hasMessageContaining("annotations[1].bbox must lie inside image")
        .hasMessageContaining("[-0.5, 4.0, 20.0, 10.0]");
  }

  @Test
  void load_crowdBoxIsCheckedToo() throws IOException {
    edit(
        coco -> {
          annotation(coco, 0).addProperty("iscrowd", 1);
          annotation(coco, 0).add("bbox", bbox(100, 100, 40, 10));
        });
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(files.annotations().toString())
        .hasMessageContaining("annotations[0].bbox must lie inside image 0")
        .hasMessageContaining("[100.0, 100.0, 40.0, 10.0]");
  }

  @Test
  void load_iscrowdNotAnInteger() throws IOException {
    edit(coco -> annotation(coco, 0).addProperty("iscrowd", "yes"));
    assertThatThrownBy(() -> CocoDataset.load(files.annotations(), files.images()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("annotations[0].iscrowd must be an integer: \"yes\"");
  }

  @Test
  void load_keepsImageIdsAndSizes() throws IOException {
    CocoDataset coco = CocoDataset.load(files.annotations(), files.images());

    assertThat(coco.imageIds()).containsExactly(0L, 1L, 2L);
    for (int i = 0; i < coco.size(); i++) {
      assertThat(coco.originalHeight(i)).isEqualTo(coco.examples().get(i).image().height());
      assertThat(coco.originalWidth(i)).isEqualTo(coco.examples().get(i).image().width());
      assertThat(coco.crowd(i).size()).isZero();
      assertThat(coco.letterbox(i)).isEqualTo(new Letterbox(1, 128, 128));
    }
  }

  /**
   * A hand-written COCO file: sparse category ids map to classes in id order, crowd regions are
   * skipped.
   */
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
    assertThat(coco.crowd(0).boxes()).containsExactly(0f, 0f, 30f, 20f);
    assertThat(coco.crowd(0).classes()).containsExactly(0);
  }

  /**
   * COCO-like ids: 1, 5, 90 (listed out of order) become classes 0, 1, 2; large image ids survive.
   */
  @Test
  void load_categoriesOneFiveNinety() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("sparse"));
    PngFiles.writeImage(dir.resolve("b.png"), Image.filled(10, 12, 1, 200));
    PngFiles.writeImage(dir.resolve("c.png"), Image.filled(8, 8, 3, 50));
    String json =
        "{\"images\": [{\"id\": 581929, \"file_name\": \"c.png\", \"height\": 8, \"width\": 8},"
            + " {\"id\": 4000000000, \"file_name\": \"b.png\", \"height\": 10, \"width\": 12}],"
            + " \"categories\": [{\"id\": 90, \"name\": \"toothbrush\"}, {\"id\": 1, \"name\": \"person\"},"
            + "  {\"id\": 5, \"name\": \"airplane\"}],"
            + " \"annotations\": ["
            + "  {\"id\": 1, \"image_id\": 4000000000, \"category_id\": 90, \"bbox\": [0, 0, 2, 2], \"iscrowd\": 0},"
            + "  {\"id\": 2, \"image_id\": 4000000000, \"category_id\": 1, \"bbox\": [1, 1, 2, 2], \"iscrowd\": 0},"
            + "  {\"id\": 3, \"image_id\": 581929, \"category_id\": 5, \"bbox\": [2, 2, 3, 3], \"iscrowd\": 0}]}";
    Path annotations = dir.resolve("coco.json");
    Files.writeString(annotations, json, StandardCharsets.UTF_8);

    CocoDataset coco = CocoDataset.load(annotations, dir);

    assertThat(coco.classNames()).containsExactly("person", "airplane", "toothbrush");
    assertThat(coco.categoryIds()).containsExactly(1, 5, 90);
    assertThat(coco.imageIds()).containsExactly(581929L, 4000000000L);
    assertThat(coco.fileNames()).containsExactly("c.png", "b.png");
    assertThat(coco.examples().get(0).target().classes()).containsExactly(1);
    assertThat(coco.examples().get(1).target().classes()).containsExactly(2, 0);
    assertThat(coco.originalHeight(1)).isEqualTo(10);
    assertThat(coco.originalWidth(1)).isEqualTo(12);
    int[] classes = coco.examples().get(1).target().classes();
    assertThat(new int[] {coco.categoryIds()[classes[0]], coco.categoryIds()[classes[1]]})
        .containsExactly(90, 1);
  }
}
