package io.selftrain.core.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.gson.JsonObject;
import com.google.gson.stream.JsonReader;
import io.selftrain.core.data.CorruptDataException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ground truth of a COCO detection set: its image ids, category ids and annotated boxes,
 * without the images themselves. It is what {@link CocoEvaluator} scores detections against.
 *
 * <pre>{@code
 * CocoGroundTruth gt = CocoGroundTruth.load(Path.of("annotations.json"));
 * // or, in memory:
 * CocoGroundTruth gt = CocoGroundTruth.of(
 *     List.of(1L, 2L), List.of(1, 3), List.of(CocoAnnotation.box(1, 1, 3, 10, 20, 30, 40)));
 * }</pre>
 *
 * <p>As in pycocotools, the images evaluated are all the images listed, including those without
 * objects, and the categories are all the categories listed, including those without objects (which
 * then have no AP).
 */
public final class CocoGroundTruth {
  /** Sorted ascending. */
  private final long[] imageIds;

  /** Sorted ascending. */
  private final int[] categoryIds;

  private final List<CocoAnnotation> annotations;

  private CocoGroundTruth(long[] imageIds, int[] categoryIds, List<CocoAnnotation> annotations) {
    this.imageIds = imageIds;
    this.categoryIds = categoryIds;
    this.annotations = annotations;
  }

  /**
   * Reads the ground truth of a COCO detection file; no image is read.
   *
   * <h2>What is read</h2>
   *
   * <ul>
   *   <li>{@code images}: {@code id}, {@code width} and {@code height} (positive integers); other
   *       fields, such as {@code file_name}, are not read.
   *   <li>{@code categories}: {@code id} (a 32-bit integer); {@code name} is not read.
   *   <li>{@code annotations}: {@code id}, {@code image_id} (one of the images), {@code
   *       category_id} (one of the categories), {@code bbox} = {@code [x, y, w, h]} (width and
   *       height at least 0), {@code area} (at least 0; {@code w * h} if absent), {@code iscrowd}
   *       (0 or 1; 0 if absent). Other fields ({@code segmentation}, {@code ignore}) are not read:
   *       pycocotools' COCOeval overwrites {@code ignore} with {@code iscrowd}, so it has no effect
   *       there either.
   * </ul>
   *
   * <p>Ids must be unique within {@code images}, {@code categories} and {@code annotations}. Other
   * top-level fields ({@code info}, {@code licenses}) are skipped.
   *
   * @param json the COCO JSON file
   * @return the ground truth
   * @throws FileNotFoundException if the file does not exist
   * @throws CorruptDataException if the file is not valid JSON, an array or field is missing or of
   *     the wrong type, an id repeats, or an annotation names an unknown image or category; the
   *     message names the file and the entry, e.g. {@code annotations.json:
   *     annotations[4].category_id must be one of the categories [1, 2, 3]: 7}
   * @throws IOException if the file cannot be read
   */
  public static CocoGroundTruth load(Path json) throws IOException {
    checkNotNull(json, "json");
    GroundTruthFile file = new GroundTruthFile(json);
    CocoJson.read(json, "json", "an existing COCO JSON file", file::read);
    return file.build();
  }

  /**
   * Builds a ground truth in memory.
   *
   * @param imageIds the images to evaluate, with or without objects (in any order)
   * @param categoryIds the categories to evaluate, with or without objects (in any order)
   * @param annotations the objects, each in one of the images and categories
   * @return the ground truth
   * @throws IllegalArgumentException if an image, category or annotation id repeats, or an
   *     annotation names an image or category that is not listed
   */
  public static CocoGroundTruth of(
      Collection<Long> imageIds,
      Collection<Integer> categoryIds,
      Collection<CocoAnnotation> annotations) {
    checkNotNull(imageIds, "imageIds");
    checkNotNull(categoryIds, "categoryIds");
    checkNotNull(annotations, "annotations");
    long[] images = new long[imageIds.size()];
    int n = 0;
    for (Long id : imageIds) {
      checkNotNull(id, "imageIds[%s]", n);
      images[n++] = id;
    }
    int[] categories = new int[categoryIds.size()];
    n = 0;
    for (Integer id : categoryIds) {
      checkNotNull(id, "categoryIds[%s]", n);
      categories[n++] = id;
    }
    images = sortedUnique(images, "imageIds");
    categories = sortedUnique(categories, "categoryIds");
    Set<Long> seen = new HashSet<>();
    int i = 0;
    for (CocoAnnotation a : annotations) {
      checkNotNull(a, "annotations[%s]", i);
      checkArgument(seen.add(a.id()), "annotations[%s].id must be unique: %s", i, a.id());
      checkArgument(
          Arrays.binarySearch(images, a.imageId()) >= 0,
          "annotations[%s].imageId must be one of the imageIds: %s",
          i,
          a.imageId());
      checkArgument(
          Arrays.binarySearch(categories, a.categoryId()) >= 0,
          "annotations[%s].categoryId must be one of the categoryIds %s: %s",
          i,
          Arrays.toString(categories),
          a.categoryId());
      i++;
    }
    return new CocoGroundTruth(images, categories, List.copyOf(annotations));
  }

  /**
   * @return the image ids, ascending (unmodifiable)
   */
  public List<Long> imageIds() {
    return Arrays.stream(imageIds).boxed().toList();
  }

  /**
   * @return the category ids, ascending (unmodifiable)
   */
  public List<Integer> categoryIds() {
    return Arrays.stream(categoryIds).boxed().toList();
  }

  /**
   * @return the annotations, in file order (unmodifiable)
   */
  public List<CocoAnnotation> annotations() {
    return annotations;
  }

  /** The image ids, ascending (not a copy: do not modify). */
  long[] sortedImageIds() {
    return imageIds;
  }

  /** The category ids, ascending (not a copy: do not modify). */
  int[] sortedCategoryIds() {
    return categoryIds;
  }

  @Override
  public String toString() {
    return "CocoGroundTruth["
        + imageIds.length
        + " images, "
        + categoryIds.length
        + " categories, "
        + annotations.size()
        + " annotations]";
  }

  private static long[] sortedUnique(long[] ids, String name) {
    long[] sorted = ids.clone();
    Arrays.sort(sorted);
    for (int k = 1; k < sorted.length; k++) {
      checkArgument(sorted[k] != sorted[k - 1], "%s must be unique: %s", name, sorted[k]);
    }
    return sorted;
  }

  private static int[] sortedUnique(int[] ids, String name) {
    int[] sorted = ids.clone();
    Arrays.sort(sorted);
    for (int k = 1; k < sorted.length; k++) {
      checkArgument(sorted[k] != sorted[k - 1], "%s must be unique: %s", name, sorted[k]);
    }
    return sorted;
  }

  /**
   * What {@link #load} collects while reading; annotations are checked against images at the end.
   */
  private static final class GroundTruthFile {
    private final Path file;
    private final Map<Long, Integer> images = new HashMap<>();
    private final Map<Integer, Integer> categories = new HashMap<>();
    private final List<CocoAnnotation> annotations = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();

    GroundTruthFile(Path file) {
      this.file = file;
    }

    void read(JsonReader reader) throws IOException {
      CocoJson.beginObject(file, reader, "the top level");
      while (reader.hasNext()) {
        String key = reader.nextName();
        switch (key) {
          case "images", "categories", "annotations" -> {
            if (!seen.add(key)) {
              throw new CorruptDataException(file, key + " must appear once: it repeats");
            }
            CocoJson.array(
                file,
                reader,
                key,
                (i, element) -> entry(key, i, CocoJson.object(file, element, key + "[" + i + "]")));
          }
          default -> reader.skipValue();
        }
      }
      reader.endObject();
      for (String key : List.of("images", "categories", "annotations")) {
        if (!seen.contains(key)) {
          throw new CorruptDataException(file, key + " must be a JSON array: missing");
        }
      }
    }

    private void entry(String key, int i, JsonObject entry) throws CorruptDataException {
      String where = key + "[" + i + "]";
      switch (key) {
        case "images" -> {
          long id = CocoJson.integer(file, entry, "id", where);
          long width = CocoJson.integer(file, entry, "width", where);
          long height = CocoJson.integer(file, entry, "height", where);
          if (width <= 0 || height <= 0) {
            throw new CorruptDataException(
                file, where + " must have a positive width and height: " + width + "x" + height);
          }
          if (images.putIfAbsent(id, i) != null) {
            throw new CorruptDataException(file, where + ".id must be unique: " + id);
          }
        }
        case "categories" -> {
          int id = CocoJson.smallInteger(file, entry, "id", where);
          if (categories.putIfAbsent(id, i) != null) {
            throw new CorruptDataException(file, where + ".id must be unique: " + id);
          }
        }
        default -> {
          long id = CocoJson.integer(file, entry, "id", where);
          long imageId = CocoJson.integer(file, entry, "image_id", where);
          int categoryId = CocoJson.smallInteger(file, entry, "category_id", where);
          double[] bbox = CocoJson.bbox(file, entry, where);
          double area = bbox[2] * bbox[3];
          if (entry.has("area")) {
            area = CocoJson.number(file, entry, "area", where);
            if (area < 0) {
              throw new CorruptDataException(file, where + ".area must be at least 0: " + area);
            }
          }
          boolean crowd = false;
          if (entry.has("iscrowd")) {
            long iscrowd = CocoJson.integer(file, entry, "iscrowd", where);
            if (iscrowd != 0 && iscrowd != 1) {
              throw new CorruptDataException(file, where + ".iscrowd must be 0 or 1: " + iscrowd);
            }
            crowd = iscrowd == 1;
          }
          annotations.add(
              new CocoAnnotation(
                  id, imageId, categoryId, bbox[0], bbox[1], bbox[2], bbox[3], area, crowd));
        }
      }
    }

    CocoGroundTruth build() throws CorruptDataException {
      int[] categoryIds =
          categories.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
      Set<Long> ids = new HashSet<>();
      for (int i = 0; i < annotations.size(); i++) {
        CocoAnnotation a = annotations.get(i);
        String where = "annotations[" + i + "]";
        if (!ids.add(a.id())) {
          throw new CorruptDataException(file, where + ".id must be unique: " + a.id());
        }
        if (!images.containsKey(a.imageId())) {
          throw new CorruptDataException(
              file, where + ".image_id must be the id of an image: " + a.imageId());
        }
        if (!categories.containsKey(a.categoryId())) {
          throw new CorruptDataException(
              file,
              where
                  + ".category_id must be one of the categories "
                  + Arrays.toString(categoryIds)
                  + ": "
                  + a.categoryId());
        }
      }
      long[] imageIds = images.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
      return new CocoGroundTruth(imageIds, categoryIds, List.copyOf(annotations));
    }
  }
}
