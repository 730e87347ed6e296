package io.selftrain.core.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds and reads Fashion-MNIST (Xiao et al. 2017) in its four IDX files. */
final class FashionMnist {
  static final String NAME = "fashion-mnist";
  static final List<String> CLASS_NAMES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");
  static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
  static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
  static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);
  static final String INSTALL_HINT =
      "install it with apt-get install dataset-fashion-mnist or pass the folder";

  private FashionMnist() {}

  static ImageDataset load(Path dir, DataLocations locations) throws IOException {
    if (dir != null) {
      String problem = problem(dir);
      if (problem != null) {
        throw new FileNotFoundException(
            "dir must hold the four Fashion-MNIST IDX files, raw or .gz; " + problem + ": " + dir);
      }
      return read(dir);
    }
    List<String> looked = new ArrayList<>();
    List<Path> candidates = new ArrayList<>();
    Path fromVariable = locations.dataDir(NAME, looked);
    if (fromVariable != null) {
      candidates.add(fromVariable);
    }
    candidates.add(locations.systemDir().resolve(NAME));
    candidates.add(locations.cacheRoot().resolve(NAME));
    for (Path candidate : candidates) {
      String problem = problem(candidate);
      if (problem == null) {
        return read(candidate);
      }
      looked.add(candidate + " (" + problem + ")");
    }
    throw new FileNotFoundException(
        "Fashion-MNIST not found; looked in " + String.join(", ", looked) + "; " + INSTALL_HINT);
  }

  /**
   * @return why {@code dir} cannot be read, or null when it holds all four files
   */
  static String problem(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Files.exists(dir) ? "not a folder" : "does not exist";
    }
    List<String> missing = new ArrayList<>();
    for (String file : FILES) {
      if (file(dir, file) == null) {
        missing.add(file + "[.gz]");
      }
    }
    return missing.isEmpty() ? null : "missing " + String.join(", ", missing);
  }

  static ImageDataset read(Path dir) throws IOException {
    int numClasses = CLASS_NAMES.size();
    LabeledImages train =
        IdxFiles.read(
            NAME + "/train", file(dir, TRAIN_IMAGES), file(dir, TRAIN_LABELS), numClasses);
    LabeledImages test =
        IdxFiles.read(NAME + "/test", file(dir, TEST_IMAGES), file(dir, TEST_LABELS), numClasses);
    return new ImageDataset(NAME, train, test, CLASS_NAMES);
  }

  /**
   * @return the raw file if present, else the gzipped one, else null
   */
  private static Path file(Path dir, String name) {
    Path raw = dir.resolve(name);
    if (Files.isRegularFile(raw)) {
      return raw;
    }
    Path gz = dir.resolve(name + ".gz");
    return Files.isRegularFile(gz) ? gz : null;
  }
}
