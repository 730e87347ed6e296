package io.selftrain.core.data;

import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;

/**
 * Where a scene set lives on disk, as {@link SceneWriter} lays it out: a COCO detection file, a
 * folder of images and a folder of class masks with the same file names.
 *
 * <pre>
 * dir/annotations.json      COCO: images, annotations (bbox = [x, y, w, h]), categories
 * dir/images/000000.png     the scene with index 0 (8-bit grey or RGB)
 * dir/masks/000000.png      its classes (8-bit grey; value = COCO category id, 0 = background)
 * </pre>
 *
 * Read them back with {@code CocoDataset.load(files.annotations(), files.images())} and {@code
 * MaskDataset.load(files.images(), files.masks(), numClasses)}.
 *
 * @param annotations the COCO JSON file
 * @param images the folder of images
 * @param masks the folder of masks
 */
public record SceneFiles(Path annotations, Path images, Path masks) {
  /** The COCO file's name inside a scene folder. */
  public static final String ANNOTATIONS = "annotations.json";

  /** The image folder's name inside a scene folder. */
  public static final String IMAGES = "images";

  /** The mask folder's name inside a scene folder. */
  public static final String MASKS = "masks";

  /** Checks that no path is null. */
  public SceneFiles {
    checkNotNull(annotations, "annotations");
    checkNotNull(images, "images");
    checkNotNull(masks, "masks");
  }

  /**
   * The standard layout inside a folder.
   *
   * @param dir the scene folder
   * @return {@code dir/annotations.json}, {@code dir/images}, {@code dir/masks}
   */
  public static SceneFiles in(Path dir) {
    checkNotNull(dir, "dir");
    return new SceneFiles(dir.resolve(ANNOTATIONS), dir.resolve(IMAGES), dir.resolve(MASKS));
  }

  /**
   * The file name of a scene's image and mask.
   *
   * @param index the scene's index
   * @return the index with six digits, such as {@code 000042.png}
   */
  public static String fileName(int index) {
    return String.format(java.util.Locale.ROOT, "%06d.png", index);
  }
}
