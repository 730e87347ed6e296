package io.selftrain.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.selftrain.BoxesTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Origin;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A COCO detection set (a COCO JSON file and its image folder) as human-labelled detection
 * examples, such as the sets {@link SceneWriter} writes.
 *
 * <pre>{@code
 * CocoDataset coco = CocoDataset.load(Path.of("scenes/annotations.json"), Path.of("scenes/images"));
 * List<Example<BoxesTarget>> train = coco.examples();
 * }</pre>
 *
 * <h2>What is read</h2>
 *
 * <ul>
 *   <li>{@code categories} ({@code id}, {@code name}): classes are the categories in ascending id
 *       order, so COCO's sparse ids (1..90 for 80 classes) become classes 0..K-1; {@link
 *       #categoryIds()} maps back. For {@link SceneWriter}'s ids 1..K, class = id - 1.
 *   <li>{@code images} ({@code id}, {@code file_name}, {@code height}, {@code width}): one example
 *       per entry, in file order; {@code file_name} is resolved against the image folder, and the
 *       decoded image must have the declared size. Single-band images (grey) load with one channel,
 *       scaled to 8 bits; all others load as RGB, alpha dropped.
 *   <li>{@code annotations} ({@code id}, {@code image_id}, {@code category_id}, {@code bbox} = [x,
 *       y, w, h], {@code iscrowd}, optional, 0 when absent): boxes, in file order, as xyxy {@code
 *       [x, y, x + w, y + h]}; each must have a positive width and height and lie inside its image.
 *       Other fields ({@code area}, {@code segmentation}) are not read.
 * </ul>
 *
 * <p>Each example keeps the identity of its entry: {@link #imageIds()} are the file's {@code id}s
 * and {@link #originalHeight(int)} / {@link #originalWidth(int)} its declared size, which is what a
 * COCO results file ({@code image_id}, {@code bbox} in original pixels) needs.
 *
 * <h2>Crowd regions</h2>
 *
 * <p>Annotations with {@code iscrowd = 1} (one box around a group of objects) are checked like the
 * others but kept out of the training targets, as detectors do not learn them as boxes. They are
 * not lost: {@link #crowd(int)} returns them per image, with their classes, for evaluation (COCO's
 * evaluation ignores detections that fall on a crowd region of their class) or for masking the loss
 * there.
 *
 * <h2>Fitting images to a model input</h2>
 *
 * <p>{@link #fitted(int)} returns the same set with every image letterboxed to {@code size x size}:
 * scaled by {@code s = size / max(height, width)} (bilinear, aspect kept), placed at the top-left
 * and padded with 0; target and crowd boxes are scaled by {@code s}. {@link #letterbox(int)} maps
 * detections made on the fitted image back to the original pixels:
 *
 * <pre>{@code
 * CocoDataset input = CocoDataset.load(json, images).fitted(640);
 * float[] original = input.letterbox(i).toOriginal(detectedBoxes);
 * long imageId = input.imageIds().get(i);
 * }</pre>
 *
 * <h2>Errors</h2>
 *
 * <p>A malformed file raises {@link CorruptDataException}, one line that names the file, the faulty
 * entry and the bad value, such as {@code annotations.json: annotations[4].category_id must be one
 * of the categories [1, 2, 3]: 7}; a problem with an image file names that file and its entry, such
 * as {@code images/7.png: images[7] of annotations.json: image must be decodable: ...}. A missing
 * file raises {@link FileNotFoundException} naming it.
 */
public final class CocoDataset {
  /** {@link #fittedSize} of a set whose images are as loaded. */
  private static final int NOT_FITTED = 0;

  private final List<Example<BoxesTarget>> examples;
  private final List<String> fileNames;
  private final List<Long> imageIds;
  private final List<BoxesTarget> crowds;
  private final List<Letterbox> letterboxes;
  private final List<String> classNames;
  private final int[] categoryIds;
  private final int fittedSize;

  private CocoDataset(
      List<Example<BoxesTarget>> examples,
      List<String> fileNames,
      List<Long> imageIds,
      List<BoxesTarget> crowds,
      List<Letterbox> letterboxes,
      List<String> classNames,
      int[] categoryIds,
      int fittedSize) {
    this.examples = examples;
    this.fileNames = fileNames;
    this.imageIds = imageIds;
    this.crowds = crowds;
    this.letterboxes = letterboxes;
    this.classNames = classNames;
    this.categoryIds = categoryIds;
    this.fittedSize = fittedSize;
  }

  /**
   * Reads a COCO detection file and decodes every image it lists.
   *
   * @param annotations the COCO JSON file
   * @param imageDir the folder {@code file_name} is relative to
   * @return the dataset
   * @throws FileNotFoundException if the JSON file or an image file does not exist
   * @throws CorruptDataException if the JSON is malformed, a field is missing or of the wrong type,
   *     an id repeats, an annotation names an unknown image or category, a box is empty or leaves
   *     its image, or an image cannot be decoded or has another size than declared
   * @throws IOException if a file cannot be read
   */
  public static CocoDataset load(Path annotations, Path imageDir) throws IOException {
    checkNotNull(annotations, "annotations");
    checkNotNull(imageDir, "imageDir");
    if (!Files.isRegularFile(annotations)) {
      throw new FileNotFoundException(
          "annotations must be an existing COCO JSON file: " + annotations);
    }
    JsonObject root = parse(annotations);

    // Categories: ascending id order defines the class index.
    TreeMap<Long, String> categories = new TreeMap<>();
    JsonArray categoryArray = array(annotations, root, "categories");
    for (int i = 0; i < categoryArray.size(); i++) {
      String where = "categories[" + i + "]";
      JsonObject category = object(annotations, categoryArray.get(i), where);
      long id = integer(annotations, category, "id", where);
      if (id != (int) id) {
        throw new CorruptDataException(annotations, where + ".id must fit a 32-bit integer: " + id);
      }
      String name = string(annotations, category, "name", where);
      if (categories.put(id, name) != null) {
        throw new CorruptDataException(annotations, where + ".id must be unique: " + id);
      }
    }
    Map<Long, Integer> classOf = new HashMap<>();
    for (long id : categories.keySet()) {
      classOf.put(id, classOf.size());
    }

    // Images, in file order.
    JsonArray imageArray = array(annotations, root, "images");
    Map<Long, ImageEntry> images = new LinkedHashMap<>();
    for (int i = 0; i < imageArray.size(); i++) {
      String where = "images[" + i + "]";
      JsonObject image = object(annotations, imageArray.get(i), where);
      long id = integer(annotations, image, "id", where);
      String fileName = string(annotations, image, "file_name", where);
      long height = integer(annotations, image, "height", where);
      long width = integer(annotations, image, "width", where);
      if (height <= 0 || width <= 0 || height > Integer.MAX_VALUE || width > Integer.MAX_VALUE) {
        throw new CorruptDataException(
            annotations, where + " must have a positive height and width: " + height + "x" + width);
      }
      if (images.put(id, new ImageEntry(id, where, fileName, (int) height, (int) width)) != null) {
        throw new CorruptDataException(annotations, where + ".id must be unique: " + id);
      }
    }

    // Annotations, grouped by image in file order.
    JsonArray annotationArray = array(annotations, root, "annotations");
    for (int i = 0; i < annotationArray.size(); i++) {
      String where = "annotations[" + i + "]";
      JsonObject annotation = object(annotations, annotationArray.get(i), where);
      long imageId = integer(annotations, annotation, "image_id", where);
      ImageEntry image = images.get(imageId);
      if (image == null) {
        throw new CorruptDataException(
            annotations, where + ".image_id must be the id of an image: " + imageId);
      }
      long categoryId = integer(annotations, annotation, "category_id", where);
      Integer classIndex = classOf.get(categoryId);
      if (classIndex == null) {
        throw new CorruptDataException(
            annotations,
            where
                + ".category_id must be one of the categories "
                + categories.keySet()
                + ": "
                + categoryId);
      }
      boolean crowd =
          annotation.has("iscrowd") && integer(annotations, annotation, "iscrowd", where) != 0;
      double[] bbox = bbox(annotations, annotation, where);
      float x1 = (float) bbox[0];
      float y1 = (float) bbox[1];
      float x2 = (float) (bbox[0] + bbox[2]);
      float y2 = (float) (bbox[1] + bbox[3]);
      if (!(x1 < x2 && y1 < y2)) {
        throw new CorruptDataException(
            annotations,
            where + ".bbox must have a positive width and height: " + Arrays.toString(bbox));
      }
      if (x1 < 0 || y1 < 0 || x2 > image.width || y2 > image.height) {
        throw new CorruptDataException(
            annotations,
            where
                + ".bbox must lie inside image "
                + imageId
                + " ("
                + image.width
                + "x"
                + image.height
                + ", width x height): "
                + Arrays.toString(bbox));
      }
      (crowd ? image.crowd : image.boxes).add(x1, y1, x2, y2, classIndex);
    }

    int n = images.size();
    List<Example<BoxesTarget>> examples = new ArrayList<>(n);
    List<String> fileNames = new ArrayList<>(n);
    List<Long> imageIds = new ArrayList<>(n);
    List<BoxesTarget> crowds = new ArrayList<>(n);
    List<Letterbox> letterboxes = new ArrayList<>(n);
    for (ImageEntry entry : images.values()) {
      examples.add(
          new Example<>(entry.read(annotations, imageDir), entry.boxes.target(), Origin.HUMAN));
      fileNames.add(entry.fileName);
      imageIds.add(entry.id);
      crowds.add(entry.crowd.target());
      letterboxes.add(new Letterbox(1, entry.height, entry.width));
    }
    int[] categoryIds = new int[categories.size()];
    int c = 0;
    for (long id : categories.keySet()) {
      categoryIds[c++] = (int) id;
    }
    return new CocoDataset(
        Collections.unmodifiableList(examples),
        Collections.unmodifiableList(fileNames),
        Collections.unmodifiableList(imageIds),
        Collections.unmodifiableList(crowds),
        Collections.unmodifiableList(letterboxes),
        List.copyOf(categories.values()),
        categoryIds,
        NOT_FITTED);
  }

  /**
   * The same set with every image fitted to a square model input (letterbox): image {@code i} is
   * scaled by {@code s = size / max(height, width)}, aspect ratio kept, with a bilinear resize
   * (pixel centres, as OpenCV {@code INTER_LINEAR}; see {@link Letterbox#scaledHeight()} for the
   * resized size), and placed at the top-left of a {@code size x size} image whose other pixels are
   * 0. Target boxes and {@link #crowd crowd} boxes are mapped by {@link Letterbox#toInput} (times
   * {@code s}; a box that float rounding would make empty keeps a tiny positive size); classes,
   * scores, weights, origins, ids, file names and original sizes are kept. An image that already is
   * {@code size x size} keeps its pixels unchanged ({@code s = 1}, no resampling), as does the
   * content of one whose longer side is {@code size}.
   *
   * <p>Images are scaled up as well as down. The resized short side is rounded to whole pixels, so
   * its pixels may be stretched by up to half a pixel against {@code s}; boxes use {@code s} on
   * both axes.
   *
   * @param size the side of the model input, positive
   * @return a new set; {@link #letterbox(int)} of it maps boxes back to the original images
   * @throws IllegalArgumentException if {@code size} is not positive
   * @throws IllegalStateException if this set was already fitted (fit the loaded set instead)
   */
  public CocoDataset fitted(int size) {
    checkArgument(size > 0, "size must be positive: %s", size);
    checkState(
        fittedSize == NOT_FITTED, "fitted was already applied to this set (size %s)", fittedSize);
    int n = examples.size();
    List<Example<BoxesTarget>> fittedExamples = new ArrayList<>(n);
    List<BoxesTarget> fittedCrowds = new ArrayList<>(n);
    List<Letterbox> fittedBoxes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Example<BoxesTarget> example = examples.get(i);
      Image image = example.image();
      Letterbox letterbox = Letterbox.fit(image.height(), image.width(), size);
      BoxesTarget target = example.target();
      BoxesTarget fittedTarget =
          BoxesTarget.of(
              letterbox.toInput(target.boxes()),
              target.classes(),
              target.scores(),
              target.weights());
      fittedExamples.add(
          new Example<>(
              LetterboxImages.fit(image, letterbox, size), fittedTarget, example.origin()));
      BoxesTarget crowd = crowds.get(i);
      fittedCrowds.add(BoxesTarget.of(letterbox.toInput(crowd.boxes()), crowd.classes()));
      fittedBoxes.add(letterbox);
    }
    return new CocoDataset(
        Collections.unmodifiableList(fittedExamples),
        fileNames,
        imageIds,
        Collections.unmodifiableList(fittedCrowds),
        Collections.unmodifiableList(fittedBoxes),
        classNames,
        categoryIds,
        size);
  }

  /**
   * @return one example per entry of {@code images}, in file order (unmodifiable)
   */
  public List<Example<BoxesTarget>> examples() {
    return examples;
  }

  /**
   * @return the {@code file_name} of each example (unmodifiable)
   */
  public List<String> fileNames() {
    return fileNames;
  }

  /**
   * @return the {@code id} of each example's entry of {@code images}, in example order
   *     (unmodifiable)
   */
  public List<Long> imageIds() {
    return imageIds;
  }

  /**
   * @param index the example
   * @return rows of the image as the file declares it (before any {@link #fitted fitting})
   * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size())}
   */
  public int originalHeight(int index) {
    return letterboxes.get(index).originalHeight();
  }

  /**
   * @param index the example
   * @return columns of the image as the file declares it (before any {@link #fitted fitting})
   * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size())}
   */
  public int originalWidth(int index) {
    return letterboxes.get(index).originalWidth();
  }

  /**
   * The crowd regions ({@code iscrowd = 1}) of one image, which are not in its training target:
   * boxes xyxy in the pixels of the example's image (scaled like the target when {@link #fitted
   * fitted}), with their classes, in file order; empty when the image has none.
   *
   * @param index the example
   * @return the crowd boxes (scores and weights 1)
   * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size())}
   */
  public BoxesTarget crowd(int index) {
    return crowds.get(index);
  }

  /**
   * How image {@code index} was fitted: for a {@link #fitted fitted} set, its scale onto the model
   * input; for a set as loaded, the identity ({@code scale = 1}). Either way {@link
   * Letterbox#toOriginal} maps boxes on the example's image to the original image.
   *
   * @param index the example
   * @return the letterbox
   * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size())}
   */
  public Letterbox letterbox(int index) {
    return letterboxes.get(index);
  }

  /**
   * @return the category names in class order (ascending category id)
   */
  public List<String> classNames() {
    return classNames;
  }

  /**
   * @return a copy of the COCO category id of each class
   */
  public int[] categoryIds() {
    return categoryIds.clone();
  }

  /**
   * @return the number of examples
   */
  public int size() {
    return examples.size();
  }

  @Override
  public String toString() {
    return "CocoDataset["
        + examples.size()
        + " images, "
        + classNames.size()
        + " classes"
        + (fittedSize == NOT_FITTED ? "" : ", fitted to " + fittedSize + "x" + fittedSize)
        + "]";
  }

  /** One entry of {@code images} and the boxes collected for it. */
  private static final class ImageEntry {
    final long id;
    final String where;
    final String fileName;
    final int height;
    final int width;
    final BoxList boxes = new BoxList();
    final BoxList crowd = new BoxList();

    ImageEntry(long id, String where, String fileName, int height, int width) {
      this.id = id;
      this.where = where;
      this.fileName = fileName;
      this.height = height;
      this.width = width;
    }

    Image read(Path annotations, Path imageDir) throws IOException {
      Path file = imageDir.resolve(fileName);
      if (!Files.isRegularFile(file)) {
        throw new FileNotFoundException(
            annotations + ": " + where + ".file_name must be a file in " + imageDir + ": " + file);
      }
      Image image;
      try {
        image = PngFiles.readImage(file);
      } catch (CorruptDataException e) {
        // "<file>: <problem>" becomes "<file>: <entry> of <annotations>: <problem>".
        String prefix = file + ": ";
        String message = e.getMessage().replace('\n', ' ');
        String problem = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        throw new CorruptDataException(file, where + " of " + annotations + ": " + problem, e);
      }
      if (image.height() != height || image.width() != width) {
        throw new CorruptDataException(
            file,
            "size must be the "
                + height
                + "x"
                + width
                + " (height x width) of "
                + where
                + " in "
                + annotations
                + ": "
                + image.height()
                + "x"
                + image.width());
      }
      return image;
    }
  }

  /** Boxes and classes collected in file order. */
  private static final class BoxList {
    private float[] boxes = new float[0];
    private int[] classes = new int[0];
    private int count;

    void add(float x1, float y1, float x2, float y2, int classIndex) {
      if (count == classes.length) {
        classes = Arrays.copyOf(classes, Math.max(4, 2 * count));
        boxes = Arrays.copyOf(boxes, 4 * classes.length);
      }
      boxes[4 * count] = x1;
      boxes[4 * count + 1] = y1;
      boxes[4 * count + 2] = x2;
      boxes[4 * count + 3] = y2;
      classes[count++] = classIndex;
    }

    BoxesTarget target() {
      return BoxesTarget.of(Arrays.copyOf(boxes, 4 * count), Arrays.copyOf(classes, count));
    }
  }

  private static JsonObject parse(Path file) throws IOException {
    JsonElement root;
    try {
      root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
    } catch (JsonParseException e) {
      throw new CorruptDataException(file, "content must be valid JSON: " + e.getMessage(), e);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new CorruptDataException(file, "content must be UTF-8 text: " + e.getMessage(), e);
    } catch (StackOverflowError e) {
      throw new CorruptDataException(
          file, "content must be JSON nested at most a few thousand levels deep", null);
    }
    return object(file, root, "the top level");
  }

  private static JsonObject object(Path file, JsonElement element, String where)
      throws CorruptDataException {
    if (element == null || !element.isJsonObject()) {
      throw new CorruptDataException(file, where + " must be a JSON object: " + element);
    }
    return element.getAsJsonObject();
  }

  private static JsonArray array(Path file, JsonObject parent, String key)
      throws CorruptDataException {
    JsonElement element = parent.get(key);
    if (element == null || !element.isJsonArray()) {
      throw new CorruptDataException(
          file, key + " must be a JSON array: " + (element == null ? "missing" : element));
    }
    return element.getAsJsonArray();
  }

  private static long integer(Path file, JsonObject parent, String key, String where)
      throws CorruptDataException {
    JsonElement element = parent.get(key);
    if (element instanceof JsonPrimitive p && p.isNumber()) {
      double value = p.getAsDouble();
      if (value == Math.rint(value) && Math.abs(value) < 1L << 53) {
        return (long) value;
      }
    }
    throw new CorruptDataException(
        file,
        where + "." + key + " must be an integer: " + (element == null ? "missing" : element));
  }

  private static String string(Path file, JsonObject parent, String key, String where)
      throws CorruptDataException {
    JsonElement element = parent.get(key);
    if (element instanceof JsonPrimitive p && p.isString()) {
      return p.getAsString();
    }
    throw new CorruptDataException(
        file, where + "." + key + " must be a string: " + (element == null ? "missing" : element));
  }

  private static double[] bbox(Path file, JsonObject annotation, String where)
      throws CorruptDataException {
    JsonElement element = annotation.get("bbox");
    if (element != null && element.isJsonArray() && element.getAsJsonArray().size() == 4) {
      JsonArray array = element.getAsJsonArray();
      double[] bbox = new double[4];
      boolean numbers = true;
      for (int k = 0; k < 4 && numbers; k++) {
        numbers =
            array.get(k) instanceof JsonPrimitive p
                && p.isNumber()
                && Double.isFinite(p.getAsDouble());
        bbox[k] = numbers ? array.get(k).getAsDouble() : 0;
      }
      if (numbers) {
        return bbox;
      }
    }
    throw new CorruptDataException(
        file,
        where
            + ".bbox must be four numbers [x, y, width, height]: "
            + (element == null ? "missing" : element));
  }
}
