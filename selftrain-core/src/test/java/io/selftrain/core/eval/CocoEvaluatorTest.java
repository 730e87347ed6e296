package io.selftrain.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.selftrain.core.data.CorruptDataException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares {@link CocoEvaluator} with pycocotools' COCOeval on the cases in {@code coco-eval/}
 * (golden.json is written by make_golden.py there), and checks hand-computed cases, the file
 * formats and the error messages.
 */
class CocoEvaluatorTest {
  /**
   * The evaluator reproduces pycocotools to the last bit on these fixtures (golden.json holds
   * Python's exact repr). Should a golden.json written with another numpy differ in the last bits
   * (numpy's summation order), 1e-12 is the tolerance to fall back to; the task asks for 1e-6.
   */
  private static final Offset<Double> GOLDEN = within(0.0);

  /**
   * For hand-computed values, which pycocotools' {@code numpy.spacing(1)} moves in the last bits.
   */
  private static final Offset<Double> EXACT = within(1e-12);

  @TempDir Path tmp;

  static Path fixtures() throws URISyntaxException {
    return Path.of(CocoEvaluatorTest.class.getResource("/coco-eval/golden.json").toURI())
        .getParent();
  }

  static Stream<Arguments> goldenCases() throws IOException, URISyntaxException {
    JsonObject golden =
        JsonParser.parseString(Files.readString(fixtures().resolve("golden.json")))
            .getAsJsonObject();
    List<Arguments> cases = new ArrayList<>();
    for (Map.Entry<String, JsonElement> c : golden.getAsJsonObject("cases").entrySet()) {
      JsonObject entry = c.getValue().getAsJsonObject();
      JsonArray values = entry.getAsJsonArray("values");
      double[] expected = new double[values.size()];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = values.get(i).getAsDouble();
      }
      cases.add(
          Arguments.of(
              c.getKey(), entry.get("gt").getAsString(), entry.get("dt").getAsString(), expected));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenCases")
  void evaluate_equalsPycocotools(String name, String gtFile, String dtFile, double[] expected)
      throws Exception {
    CocoGroundTruth gt = CocoGroundTruth.load(fixtures().resolve(gtFile));
    List<CocoDetection> detections = CocoDetection.read(fixtures().resolve(dtFile));

    DetectionMetrics metrics = CocoEvaluator.evaluate(gt, detections);

    assertThat(expected).hasSize(12);
    SoftAssertions soft = new SoftAssertions();
    int i = 0;
    for (Map.Entry<String, Double> stat : metrics.asMap().entrySet()) {
      soft.assertThat(stat.getValue())
          .as("%s %s", name, stat.getKey())
          .isCloseTo(expected[i++], GOLDEN);
    }
    soft.assertAll();
  }

  @Test
  void evaluate_onePerfectDetection() {
    CocoGroundTruth gt = oneObject();

    DetectionMetrics metrics =
        CocoEvaluator.evaluate(gt, List.of(new CocoDetection(1, 1, 0, 0, 10, 10, 0.9)));

    // A 10x10 object is small: medium and large have nothing to find.
    assertThat(metrics.asMap().values())
        .usingElementComparator((x, y) -> Math.abs(x - y) <= 1e-12 ? 0 : Double.compare(x, y))
        .containsExactly(1.0, 1.0, 1.0, 1.0, -1.0, -1.0, 1.0, 1.0, 1.0, 1.0, -1.0, -1.0);
  }

  @Test
  void evaluate_iou06_matchesAtThreeOfTenThresholds() {
    // IoU = 60 / 100 = 0.6 exactly: a match at 0.50, 0.55 and 0.60, none at 0.65 .. 0.95.
    CocoGroundTruth gt = oneObject();

    DetectionMetrics metrics =
        CocoEvaluator.evaluate(gt, List.of(new CocoDetection(1, 1, 0, 0, 10, 6, 0.9)));

    assertThat(metrics.ap()).isCloseTo(0.3, EXACT);
    assertThat(metrics.ap50()).isCloseTo(1.0, EXACT);
    assertThat(metrics.ap75()).isCloseTo(0.0, EXACT);
    assertThat(metrics.apSmall()).isCloseTo(0.3, EXACT);
    assertThat(metrics.apMedium()).isEqualTo(-1.0);
    assertThat(metrics.ar100()).isCloseTo(0.3, EXACT);
  }

  @Test
  void evaluate_falsePositiveFirst_halvesPrecision() {
    // Two objects; detections by score: a miss, then a hit on object 1. Recall 0.5 at precision
    // 0.5, so
    // AP50 = 51 recall points (0 .. 0.5) x 0.5 / 101.
    CocoGroundTruth gt =
        CocoGroundTruth.of(
            List.of(1L),
            List.of(1),
            List.of(
                CocoAnnotation.box(1, 1, 1, 0, 0, 10, 10),
                CocoAnnotation.box(2, 1, 1, 50, 50, 10, 10)));

    DetectionMetrics metrics =
        CocoEvaluator.evaluate(
            gt,
            List.of(
                new CocoDetection(1, 1, 100, 100, 10, 10, 0.9),
                new CocoDetection(1, 1, 0, 0, 10, 10, 0.8)));

    assertThat(metrics.ap50()).isCloseTo(51 * 0.5 / 101, within(1e-9));
    assertThat(metrics.ar1()).isCloseTo(0.0, EXACT);
    assertThat(metrics.ar10()).isCloseTo(0.5, EXACT);
  }

  @Test
  void evaluate_crowdRegion_neitherHitNorMiss() {
    CocoGroundTruth gt =
        CocoGroundTruth.of(
            List.of(1L),
            List.of(1),
            List.of(
                CocoAnnotation.box(1, 1, 1, 0, 0, 10, 10),
                new CocoAnnotation(2, 1, 1, 100, 100, 200, 200, 40000, true)));
    List<CocoDetection> detections =
        List.of(
            new CocoDetection(1, 1, 110, 110, 20, 20, 0.99),
            new CocoDetection(1, 1, 150, 150, 20, 20, 0.98),
            new CocoDetection(1, 1, 0, 0, 10, 10, 0.5));

    DetectionMetrics metrics = CocoEvaluator.evaluate(gt, detections);

    assertThat(metrics.ap()).isCloseTo(1.0, EXACT);
    assertThat(metrics.apLarge()).isEqualTo(-1.0);
  }

  @Test
  void evaluate_noDetections_zeroWhereObjectsExist() {
    CocoGroundTruth gt =
        CocoGroundTruth.of(
            List.of(1L, 2L), List.of(1, 2), List.of(CocoAnnotation.box(1, 1, 1, 0, 0, 50, 50)));

    DetectionMetrics metrics = CocoEvaluator.evaluate(gt, List.of());

    assertThat(metrics.asMap())
        .containsEntry("ap", 0.0)
        .containsEntry("apMedium", 0.0)
        .containsEntry("apSmall", -1.0)
        .containsEntry("ar100", 0.0);
  }

  @Test
  void evaluate_emptyGroundTruth_allMinusOne() {
    CocoGroundTruth gt = CocoGroundTruth.of(List.of(1L), List.of(1), List.of());

    DetectionMetrics metrics =
        CocoEvaluator.evaluate(gt, List.of(new CocoDetection(1, 1, 0, 0, 5, 5, 0.5)));

    assertThat(metrics.asMap().values()).containsOnly(-1.0);
  }

  @Test
  void evaluate_unknownCategory_skippedAsInPycocotools() {
    CocoGroundTruth gt = oneObject();
    CocoDetection hit = new CocoDetection(1, 1, 0, 0, 10, 6, 0.5);

    DetectionMetrics with =
        CocoEvaluator.evaluate(gt, List.of(new CocoDetection(1, 99, 0, 0, 10, 10, 0.9), hit));

    assertThat(with).isEqualTo(CocoEvaluator.evaluate(gt, List.of(hit)));
  }

  @Test
  void evaluate_detectionOnUnknownImage() {
    CocoGroundTruth gt = CocoGroundTruth.of(List.of(1L, 2L), List.of(1), List.of());
    List<CocoDetection> detections =
        List.of(
            new CocoDetection(2, 1, 0, 0, 1, 1, 0.5), new CocoDetection(42, 1, 0, 0, 1, 1, 0.5));

    assertThatThrownBy(() -> CocoEvaluator.evaluate(gt, detections))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("detections[1].imageId")
        .hasMessageContaining("42");
  }

  @Test
  @Timeout(30)
  void evaluate_thousandImagesOfHundredDetections() {
    SplittableRandom random = new SplittableRandom(7);
    List<Long> images = new ArrayList<>();
    List<CocoAnnotation> objects = new ArrayList<>();
    List<CocoDetection> detections = new ArrayList<>();
    for (long image = 1; image <= 1000; image++) {
      images.add(image);
      for (int k = 0; k < 10; k++) {
        double x = random.nextDouble(500);
        double y = random.nextDouble(400);
        double w = 4 + random.nextDouble(120);
        double h = 4 + random.nextDouble(120);
        int category = 1 + random.nextInt(5);
        objects.add(CocoAnnotation.box(objects.size() + 1, image, category, x, y, w, h));
        for (int j = 0; j < 10; j++) {
          detections.add(
              new CocoDetection(
                  image,
                  category,
                  x + random.nextDouble(-8, 8),
                  y + random.nextDouble(-8, 8),
                  w,
                  h,
                  random.nextDouble()));
        }
      }
    }
    CocoGroundTruth gt = CocoGroundTruth.of(images, List.of(1, 2, 3, 4, 5), objects);

    DetectionMetrics metrics = CocoEvaluator.evaluate(gt, detections);

    assertThat(detections).hasSize(100_000);
    assertThat(metrics.ar100()).isGreaterThan(metrics.ar1());
    // Random scores have no ties, so the detections' input order cannot change any number.
    List<CocoDetection> reversed = new java.util.ArrayList<>(detections);
    java.util.Collections.reverse(reversed);
    assertThat(CocoEvaluator.evaluate(gt, reversed)).isEqualTo(metrics);
  }

  @Test
  void asMap_namesInPycocotoolsOrder() {
    DetectionMetrics metrics = new DetectionMetrics(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);

    assertThat(metrics.asMap())
        .containsExactly(
            Map.entry("ap", 0.0),
            Map.entry("ap50", 1.0),
            Map.entry("ap75", 2.0),
            Map.entry("apSmall", 3.0),
            Map.entry("apMedium", 4.0),
            Map.entry("apLarge", 5.0),
            Map.entry("ar1", 6.0),
            Map.entry("ar10", 7.0),
            Map.entry("ar100", 8.0),
            Map.entry("arSmall", 9.0),
            Map.entry("arMedium", 10.0),
            Map.entry("arLarge", 11.0));
  }

  // --- ground truth files

  @Test
  void load_readsIdsDefaultsAndSkipsIgnore() throws Exception {
    CocoGroundTruth gt = CocoGroundTruth.load(fixtures().resolve("tiny_ties.gt.json"));

    assertThat(gt.imageIds()).containsExactly(10L, 20L, 30L);
    assertThat(gt.categoryIds()).containsExactly(1, 3);
    assertThat(gt.annotations()).hasSize(8);
    // no area, no iscrowd: w * h, not a crowd
    assertThat(gt.annotations().get(6))
        .isEqualTo(new CocoAnnotation(11, 30, 3, 200, 200, 20.5, 10.25, 210.125, false));
    // "ignore": 1 is not a crowd region
    assertThat(gt.annotations().get(5).crowd()).isFalse();
  }

  @Test
  void load_missingFile() {
    Path missing = tmp.resolve("nothing.json");

    assertThatThrownBy(() -> CocoGroundTruth.load(missing))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void load_unknownCategory_namesFileAndEntry() throws IOException {
    Path file = gtFile(coco -> annotation(coco, 1).addProperty("category_id", 7));

    assertThatThrownBy(() -> CocoGroundTruth.load(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("annotations[1].category_id must be one of the categories [1, 3]: 7");
  }

  @Test
  void load_unknownImage_namesFileAndEntry() throws IOException {
    Path file = gtFile(coco -> annotation(coco, 0).addProperty("image_id", 99));

    assertThatThrownBy(() -> CocoGroundTruth.load(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("annotations[0].image_id")
        .hasMessageContaining("99");
  }

  @Test
  void load_badBbox_namesEntry() throws IOException {
    Path file =
        gtFile(coco -> annotation(coco, 2).add("bbox", JsonParser.parseString("[1, 2, 3]")));

    assertThatThrownBy(() -> CocoGroundTruth.load(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("annotations[2].bbox")
        .hasMessageContaining("[1,2,3]");
  }

  @Test
  void load_negativeWidth_namesEntry() throws IOException {
    Path file =
        gtFile(coco -> annotation(coco, 2).add("bbox", JsonParser.parseString("[1, 2, -3, 4]")));

    assertThatThrownBy(() -> CocoGroundTruth.load(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("annotations[2].bbox must have a width and height of at least 0")
        .hasMessageContaining("-3.0");
  }

  @Test
  void load_fractionalId_namesEntry() throws IOException {
    Path file =
        gtFile(
            coco -> coco.getAsJsonArray("images").get(1).getAsJsonObject().addProperty("id", 2.5));

    assertThatThrownBy(() -> CocoGroundTruth.load(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("images[1].id must be an integer: 2.5");
  }

  @Test
  void load_badIscrowd_namesEntry() throws IOException {
    Path file = gtFile(coco -> annotation(coco, 3).addProperty("iscrowd", 2));

    assertThatThrownBy(() -> CocoGroundTruth.load(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("annotations[3].iscrowd must be 0 or 1: 2");
  }

  @Test
  void load_duplicateAnnotationId_namesEntry() throws IOException {
    Path file = gtFile(coco -> annotation(coco, 4).addProperty("id", 5));

    assertThatThrownBy(() -> CocoGroundTruth.load(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("annotations[4].id must be unique: 5");
  }

  @Test
  void load_missingCategories() throws IOException {
    Path file = gtFile(coco -> coco.remove("categories"));

    assertThatThrownBy(() -> CocoGroundTruth.load(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("categories must be a JSON array: missing");
  }

  @Test
  void load_invalidJson() throws IOException {
    Path file = tmp.resolve("broken.json");
    Files.writeString(file, "{\"images\": [{\"id\": 1,", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> CocoGroundTruth.load(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("valid JSON");
  }

  @Test
  void load_topLevelArray() throws IOException {
    Path file = tmp.resolve("array.json");
    Files.writeString(file, "[1, 2]", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> CocoGroundTruth.load(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("the top level must be a JSON object: [1,2]");
  }

  // --- ground truth in memory

  @Test
  void of_annotationOnUnknownImage() {
    assertThatThrownBy(
            () ->
                CocoGroundTruth.of(
                    List.of(1L), List.of(1), List.of(CocoAnnotation.box(1, 5, 1, 0, 0, 1, 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("annotations[0].imageId")
        .hasMessageContaining("5");
  }

  @Test
  void of_repeatedImageId() {
    assertThatThrownBy(() -> CocoGroundTruth.of(List.of(3L, 1L, 3L), List.of(1), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("imageIds must be unique: 3");
  }

  @Test
  void of_sortsIds() {
    CocoGroundTruth gt = CocoGroundTruth.of(List.of(30L, 10L, 20L), List.of(7, 1, 3), List.of());

    assertThat(gt.imageIds()).containsExactly(10L, 20L, 30L);
    assertThat(gt.categoryIds()).containsExactly(1, 3, 7);
  }

  // --- results files

  @Test
  void write_read_roundTrip() throws IOException {
    List<CocoDetection> detections =
        List.of(
            new CocoDetection(1, 3, 0.1 + 0.2, 1e-7, 123456.789, 1.0 / 3, 0.123456789012345),
            new CocoDetection(9_000_000_000L, 1, -2.5, 0, 0, 7, 1e-300),
            new CocoDetection(2, 7, 10, 20, 30, 40, -0.5));
    Path file = tmp.resolve("out/detections.json");

    CocoDetection.write(file, detections);

    assertThat(CocoDetection.read(file)).containsExactlyElementsOf(detections);
    assertThat(
            JsonParser.parseString(Files.readString(file))
                .getAsJsonArray()
                .get(0)
                .getAsJsonObject()
                .keySet())
        .containsExactly("image_id", "category_id", "bbox", "score");
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file); // no temporary file left
    }
  }

  @Test
  void write_read_empty() throws IOException {
    Path file = tmp.resolve("empty.json");

    CocoDetection.write(file, List.of());

    assertThat(CocoDetection.read(file)).isEmpty();
  }

  @Test
  void read_badScore_namesFileAndEntry() throws IOException {
    Path file = tmp.resolve("detections.json");
    Files.writeString(
        file,
        "[{\"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 1, 1], \"score\": 0.5},\n"
            + " {\"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 1, 1], \"score\": \"high\"}]",
        StandardCharsets.UTF_8);

    assertThatThrownBy(() -> CocoDetection.read(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("[1].score must be a finite number: \"high\"");
  }

  @Test
  void read_missingImageId_namesEntry() throws IOException {
    Path file = tmp.resolve("detections.json");
    Files.writeString(
        file,
        "[{\"category_id\": 1, \"bbox\": [0, 0, 1, 1], \"score\": 0.5}]",
        StandardCharsets.UTF_8);

    assertThatThrownBy(() -> CocoDetection.read(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("[0].image_id must be an integer: missing");
  }

  @Test
  void read_notAnArray() throws IOException {
    Path file = tmp.resolve("detections.json");
    Files.writeString(file, "{\"image_id\": 1}", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> CocoDetection.read(file))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("the top level must be a JSON array");
  }

  @Test
  void read_missingFile() {
    Path missing = tmp.resolve("none.json");

    assertThatThrownBy(() -> CocoDetection.read(missing))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void detection_nanScore() {
    assertThatThrownBy(() -> new CocoDetection(1, 1, 0, 0, 1, 1, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("score")
        .hasMessageContaining("NaN");
  }

  /** One image, one category, one 10x10 object at the origin. */
  private static CocoGroundTruth oneObject() {
    return CocoGroundTruth.of(
        List.of(1L), List.of(1), List.of(CocoAnnotation.box(1, 1, 1, 0, 0, 10, 10)));
  }

  /**
   * Writes tiny_ties.gt.json after a change; its categories are [3, 1] and its annotation ids 5 ..
   * 12.
   */
  private Path gtFile(Consumer<JsonObject> change) throws IOException {
    try {
      JsonObject coco =
          JsonParser.parseString(Files.readString(fixtures().resolve("tiny_ties.gt.json")))
              .getAsJsonObject();
      change.accept(coco);
      Path file = tmp.resolve("annotations.json");
      Files.writeString(file, coco.toString(), StandardCharsets.UTF_8);
      return file;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject annotation(JsonObject coco, int i) {
    return coco.getAsJsonArray("annotations").get(i).getAsJsonObject();
  }
}
