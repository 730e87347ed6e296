package io.selftrain.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.Origin;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A segmentation set stored as two folders, images and PNG class masks with the same base names
 * (such as {@link SceneWriter}'s {@code images/000042.png} and {@code masks/000042.png}, or PASCAL
 * VOC's {@code JPEGImages/2007_000032.jpg} and {@code SegmentationClass/2007_000032.png}), as
 * human-labelled segmentation examples.
 *
 * <pre>{@code
 * MaskDataset masks = MaskDataset.load(Path.of("scenes/images"), Path.of("scenes/masks"), 11);
 * List<Example<MaskTarget>> train = masks.examples();
 * }</pre>
 *
 * <p>Every image ({@code .png}, {@code .jpg}, {@code .jpeg}, {@code .bmp}) in the image folder, in
 * file name order, needs a mask {@code <base name>.png} of its size; images load as {@link
 * CocoDataset} loads them (grey as one channel, everything else as RGB). A mask stores the class of
 * each pixel as its sample: an 8-bit (or smaller) grey or palette PNG, each value below the number
 * of classes or {@link MaskTarget#IGNORE}. Files in the image folder with other extensions are
 * skipped.
 */
public final class MaskDataset {
  private static final List<String> IMAGE_EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp");

  private final List<Example<MaskTarget>> examples;
  private final List<String> fileNames;
  private final int numClasses;

  private MaskDataset(List<Example<MaskTarget>> examples, List<String> fileNames, int numClasses) {
    this.examples = examples;
    this.fileNames = fileNames;
    this.numClasses = numClasses;
  }

  /**
   * Reads every image of a folder with its mask.
   *
   * @param imageDir the folder of images
   * @param maskDir the folder of masks
   * @param numClasses the number of mask classes, background included, in [1, 255]; every mask
   *     value must be below it or be {@link MaskTarget#IGNORE}
   * @return the dataset
   * @throws IllegalArgumentException if {@code numClasses} is out of range
   * @throws FileNotFoundException if a folder does not exist, the image folder holds no image, an
   *     image has no mask, or a mask has no image
   * @throws CorruptDataException if a file cannot be decoded, a mask has more than one band,
   *     another size than its image, or a value that is not a class
   * @throws IOException if a file cannot be read
   */
  public static MaskDataset load(Path imageDir, Path maskDir, int numClasses) throws IOException {
    checkNotNull(imageDir, "imageDir");
    checkNotNull(maskDir, "maskDir");
    checkArgument(
        numClasses >= 1 && numClasses <= 255, "numClasses must be in [1, 255]: %s", numClasses);
    if (!Files.isDirectory(imageDir)) {
      throw new FileNotFoundException("imageDir must be an existing folder: " + imageDir);
    }
    if (!Files.isDirectory(maskDir)) {
      throw new FileNotFoundException("maskDir must be an existing folder: " + maskDir);
    }
    List<Path> imageFiles;
    try (Stream<Path> listing = Files.list(imageDir)) {
      imageFiles = listing.filter(MaskDataset::isImage).sorted().toList();
    }
    if (imageFiles.isEmpty()) {
      throw new FileNotFoundException(
          "imageDir must hold at least one image " + IMAGE_EXTENSIONS + ": " + imageDir);
    }
    java.util.Set<String> expected = new java.util.HashSet<>();
    for (Path imageFile : imageFiles) {
      String name = imageFile.getFileName().toString();
      expected.add(name.substring(0, name.lastIndexOf('.')) + ".png");
    }
    try (Stream<Path> listing = Files.list(maskDir)) {
      for (Path maskFile :
          listing
              .filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"))
              .sorted()
              .toList()) {
        if (!expected.contains(maskFile.getFileName().toString())) {
          throw new FileNotFoundException(
              "mask "
                  + maskFile
                  + " must have an image of the same base name in "
                  + imageDir
                  + ": none");
        }
      }
    }
    List<Example<MaskTarget>> examples = new ArrayList<>(imageFiles.size());
    List<String> fileNames = new ArrayList<>(imageFiles.size());
    for (Path imageFile : imageFiles) {
      String name = imageFile.getFileName().toString();
      Path maskFile = maskDir.resolve(name.substring(0, name.lastIndexOf('.')) + ".png");
      if (!Files.isRegularFile(maskFile)) {
        throw new FileNotFoundException("mask of " + imageFile + " must exist: " + maskFile);
      }
      Image image = PngFiles.readImage(imageFile);
      MaskTarget mask = PngFiles.readMask(maskFile);
      if (mask.height() != image.height() || mask.width() != image.width()) {
        throw new CorruptDataException(
            maskFile,
            "size must be the "
                + image.height()
                + "x"
                + image.width()
                + " (height x width) of "
                + imageFile
                + ": "
                + mask.height()
                + "x"
                + mask.width());
      }
      checkValues(maskFile, mask, numClasses);
      examples.add(new Example<>(image, mask, Origin.HUMAN));
      fileNames.add(name);
    }
    return new MaskDataset(
        Collections.unmodifiableList(examples),
        Collections.unmodifiableList(fileNames),
        numClasses);
  }

  /**
   * The set fitted to a square model input the way {@link CocoDataset#fitted} and {@link
   * ImageFolder#load} fit images: each image resized (bilinear) to fit {@code size x size} with its
   * aspect ratio kept, placed at the top-left, the rest 0 ({@link Letterbox}); its mask resized
   * with the same letterbox by nearest pixel (each input pixel takes the class of the source pixel
   * under its centre, so no new value appears), the padding {@link MaskTarget#IGNORE}. Images
   * already {@code size x size} are kept as they are.
   *
   * @param size the input side, positive
   * @return a new data set with the same file names and classes
   * @throws IllegalArgumentException if {@code size} is not positive
   */
  public MaskDataset fitted(int size) {
    checkArgument(size > 0, "size must be positive: %s", size);
    List<Example<MaskTarget>> fitted = new ArrayList<>(examples.size());
    for (Example<MaskTarget> e : examples) {
      Image image = e.image();
      if (image.height() == size && image.width() == size) {
        fitted.add(e);
        continue;
      }
      Letterbox letterbox = Letterbox.fit(image.height(), image.width(), size);
      Example<MaskTarget> scaled =
          Resampling.resize(e, letterbox.scaledHeight(), letterbox.scaledWidth());
      fitted.add(
          new Example<>(
              LetterboxImages.pad(scaled.image(), size), pad(scaled.target(), size), e.origin()));
    }
    return new MaskDataset(Collections.unmodifiableList(fitted), fileNames, numClasses);
  }

  /** A mask resized into a letterbox by nearest pixel, the padding ignored. */
  /**
   * Places a scaled mask at the top-left of a {@code size x size} mask, the rest {@link
   * MaskTarget#IGNORE}.
   */
  private static MaskTarget pad(MaskTarget scaled, int size) {
    int sh = scaled.height();
    int sw = scaled.width();
    byte[] out = new byte[size * size];
    java.util.Arrays.fill(out, (byte) MaskTarget.IGNORE);
    byte[] source = scaled.classes();
    for (int y = 0; y < sh; y++) {
      System.arraycopy(source, y * sw, out, y * size, sw);
    }
    return MaskTarget.of(size, size, out);
  }

  /**
   * @return one example per image, in file name order (unmodifiable)
   */
  public List<Example<MaskTarget>> examples() {
    return examples;
  }

  /**
   * @return each example's image file name (unmodifiable)
   */
  public List<String> fileNames() {
    return fileNames;
  }

  /**
   * @return the number of mask classes, background included
   */
  public int numClasses() {
    return numClasses;
  }

  /**
   * @return the number of examples
   */
  public int size() {
    return examples.size();
  }

  @Override
  public String toString() {
    return "MaskDataset[" + examples.size() + " images, " + numClasses + " classes]";
  }

  private static boolean isImage(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(file) && IMAGE_EXTENSIONS.stream().anyMatch(name::endsWith);
  }

  private static void checkValues(Path maskFile, MaskTarget mask, int numClasses)
      throws CorruptDataException {
    for (int y = 0; y < mask.height(); y++) {
      for (int x = 0; x < mask.width(); x++) {
        int value = mask.get(y, x);
        if (value >= numClasses && value != MaskTarget.IGNORE) {
          throw new CorruptDataException(
              maskFile,
              "value at (x "
                  + x
                  + ", y "
                  + y
                  + ") must be a class below "
                  + numClasses
                  + " or "
                  + MaskTarget.IGNORE
                  + ": "
                  + value);
        }
      }
    }
  }
}
