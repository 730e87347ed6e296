package io.selftrain.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.selftrain.BoxesTarget;
import io.selftrain.internal.AtomicFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes scenes as a COCO detection set plus PNG class masks, in the layout of {@link SceneFiles}.
 *
 * <h2>The COCO file</h2>
 *
 * <ul>
 *   <li>{@code images}: {@code id} = the scene's index, {@code file_name} = {@link
 *       SceneFiles#fileName}, {@code height}, {@code width}.
 *   <li>{@code annotations}: one per box, {@code id} counting from 1 (COCOeval treats id 0 as
 *       "unmatched"), {@code image_id}, {@code category_id} = class + 1, {@code bbox} = {@code [x1,
 *       y1, x2 - x1, y2 - y1]} in pixels, {@code area} = the item's visible foreground pixel count
 *       (what COCO's {@code area} means for instances), {@code iscrowd} = 0. There is no {@code
 *       segmentation}: the per-pixel labels are the mask files.
 *   <li>{@code categories}: {@code id} = class + 1 and {@code name} for every class name given, so
 *       category 0 stays free for the background as in COCO.
 *   <li>{@code info} and an empty {@code licenses}, which some COCO tools expect.
 * </ul>
 *
 * <h2>The masks</h2>
 *
 * 8-bit grey PNGs with the file names of the images; a pixel's value is the COCO category id of the
 * item visible there (class + 1), 0 for background, 255 for ignored pixels.
 *
 * <p>Every file is written to a temporary file and renamed. The COCO file is written last, so a set
 * whose annotation file exists has all of its images and masks.
 */
public final class SceneWriter {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private SceneWriter() {}

  /**
   * Writes a scene set into a folder, replacing files of the same names.
   *
   * @param dir the folder, created if needed
   * @param scenes the scenes, with distinct indices
   * @param classNames one name per class, in class order; every box's class must have a name
   * @return where the files are
   * @throws IllegalArgumentException if two scenes share an index or a class has no name
   * @throws IOException if a file cannot be written
   */
  public static SceneFiles write(Path dir, List<Scene> scenes, List<String> classNames)
      throws IOException {
    checkNotNull(dir, "dir");
    checkNotNull(scenes, "scenes");
    checkNotNull(classNames, "classNames");
    Set<Integer> indices = new HashSet<>();
    for (Scene scene : scenes) {
      checkArgument(
          indices.add(scene.index()),
          "scenes must have distinct indices; repeated: %s",
          scene.index());
      for (int c : scene.boxes().classes()) {
        checkArgument(
            c < classNames.size(),
            "classNames must name every class (%s names); scene %s has class: %s",
            classNames.size(),
            scene.index(),
            c);
      }
    }
    SceneFiles files = SceneFiles.in(dir);
    for (Scene scene : scenes) {
      PngFiles.writeImage(
          files.images().resolve(SceneFiles.fileName(scene.index())), scene.image());
      PngFiles.writeMask(files.masks().resolve(SceneFiles.fileName(scene.index())), scene.mask());
    }
    JsonObject coco = coco(scenes, classNames);
    AtomicFiles.write(
        files.annotations(),
        out -> {
          Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          GSON.toJson(coco, writer);
          writer.flush();
        });
    return files;
  }

  private static JsonObject coco(List<Scene> scenes, List<String> classNames) {
    JsonObject info = new JsonObject();
    info.addProperty(
        "description", "selftrain multi-object scenes (io.selftrain.core.data.SceneBuilder)");
    info.addProperty("version", "1.0");
    JsonArray images = new JsonArray();
    JsonArray annotations = new JsonArray();
    long annotationId = 1;
    for (Scene scene : scenes) {
      JsonObject image = new JsonObject();
      image.addProperty("id", scene.index());
      image.addProperty("file_name", SceneFiles.fileName(scene.index()));
      image.addProperty("height", scene.image().height());
      image.addProperty("width", scene.image().width());
      images.add(image);
      BoxesTarget target = scene.boxes();
      float[] boxes = target.boxes();
      int[] classes = target.classes();
      int[] areas = scene.areas();
      for (int k = 0; k < target.size(); k++) {
        JsonArray bbox = new JsonArray();
        bbox.add(number(boxes[4 * k]));
        bbox.add(number(boxes[4 * k + 1]));
        bbox.add(number(boxes[4 * k + 2] - boxes[4 * k]));
        bbox.add(number(boxes[4 * k + 3] - boxes[4 * k + 1]));
        JsonObject annotation = new JsonObject();
        annotation.addProperty("id", annotationId++);
        annotation.addProperty("image_id", scene.index());
        annotation.addProperty("category_id", classes[k] + 1);
        annotation.add("bbox", bbox);
        annotation.addProperty("area", areas[k]);
        annotation.addProperty("iscrowd", 0);
        annotations.add(annotation);
      }
    }
    JsonArray categories = new JsonArray();
    for (int c = 0; c < classNames.size(); c++) {
      JsonObject category = new JsonObject();
      category.addProperty("id", c + 1);
      category.addProperty("name", checkNotNull(classNames.get(c), "classNames[%s]", c));
      categories.add(category);
    }
    JsonObject coco = new JsonObject();
    coco.add("info", info);
    coco.add("licenses", new JsonArray());
    coco.add("images", images);
    coco.add("annotations", annotations);
    coco.add("categories", categories);
    return coco;
  }

  /**
   * @return the value as an integer when it is one (pixel-edge boxes are), so the JSON reads 12,
   *     not 12.0
   */
  private static Number number(float value) {
    if (value == Math.rint(value) && Math.abs(value) < 1 << 24) {
      return Integer.valueOf((int) value);
    }
    return Float.valueOf(value);
  }
}
