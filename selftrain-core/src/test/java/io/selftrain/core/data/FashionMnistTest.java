package io.selftrain.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search and the reading of Fashion-MNIST, on small synthetic files (real data:
 * ImageDatasetsTest).
 */
class FashionMnistTest {
  @TempDir Path root;

  @Test
  void load_explicitDir_readsIt() throws IOException {
    Path dir = TestFiles.fashionLike(root.resolve("explicit"), 30, 10, true);

    ImageDataset data = ImageDatasets.fashionMnist(dir);

    assertThat(data.name()).isEqualTo("fashion-mnist");
    assertThat(data.train().size()).isEqualTo(30);
    assertThat(data.test().size()).isEqualTo(10);
    assertThat(data.train().name()).isEqualTo("fashion-mnist/train");
    assertThat(data.test().name()).isEqualTo("fashion-mnist/test");
    assertThat(data.classNames()).hasSize(10).startsWith("T-shirt/top").endsWith("Ankle boot");
    assertThat(data.test().image(9).get(0, 5, 0)).isEqualTo(TestFiles.pixel(9, 5));
    assertThat(data.test().label(9)).isEqualTo(TestFiles.label(9, 10));
  }

  @Test
  void load_rawFiles_readThemToo() throws IOException {
    Path dir = TestFiles.fashionLike(root.resolve("raw"), 12, 4, false);

    assertThat(ImageDatasets.fashionMnist(dir).train().size()).isEqualTo(12);
  }

  @Test
  void load_explicitDirMissingFile_namesDirAndFile() throws IOException {
    Path dir = TestFiles.fashionLike(root.resolve("explicit"), 3, 3, true);
    Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));

    assertThatThrownBy(() -> ImageDatasets.fashionMnist(dir))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining("dir")
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("t10k-labels-idx1-ubyte");
  }

  @Test
  void load_explicitDirAbsent_namesDir() {
    Path dir = root.resolve("nowhere");

    assertThatThrownBy(() -> ImageDatasets.fashionMnist(dir))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining("does not exist")
        .hasMessageContaining(dir.toString());
  }

  @Test
  void load_dataDirAndSystemDir_dataDirFirst() throws IOException {
    TestFiles.fashionLike(root.resolve("data/fashion-mnist"), 5, 2, true);
    TestFiles.fashionLike(root.resolve("system/fashion-mnist"), 7, 2, true);
    TestFiles.fashionLike(root.resolve("cache/fashion-mnist"), 9, 2, true);

    assertThat(FashionMnist.load(null, locations(true)).train().size()).isEqualTo(5);
    assertThat(FashionMnist.load(null, locations(false)).train().size()).isEqualTo(7);
  }

  @Test
  void load_incompleteDataDir_fallsThroughToSystemDir() throws IOException {
    TestFiles.fashionLike(root.resolve("data/fashion-mnist"), 5, 2, true);
    Files.delete(root.resolve("data/fashion-mnist/train-images-idx3-ubyte.gz"));
    TestFiles.fashionLike(root.resolve("system/fashion-mnist"), 7, 2, true);

    assertThat(FashionMnist.load(null, locations(true)).train().size()).isEqualTo(7);
  }

  @Test
  void load_onlyCache_readsCache() throws IOException {
    TestFiles.fashionLike(root.resolve("cache/fashion-mnist"), 9, 2, false);

    assertThat(FashionMnist.load(null, locations(true)).train().size()).isEqualTo(9);
  }

  @Test
  void load_nowhere_listsEveryPlaceAndHowToInstall() throws IOException {
    TestFiles.fashionLike(root.resolve("system/fashion-mnist"), 3, 3, true);
    Files.delete(root.resolve("system/fashion-mnist/t10k-images-idx3-ubyte.gz"));

    assertThatThrownBy(() -> FashionMnist.load(null, locations(true)))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining(root.resolve("data/fashion-mnist") + " (does not exist)")
        .hasMessageContaining(
            root.resolve("system/fashion-mnist") + " (missing t10k-images-idx3-ubyte[.gz])")
        .hasMessageContaining(root.resolve("cache/fashion-mnist").toString())
        .hasMessageContaining(
            "install it with apt-get install dataset-fashion-mnist or pass the folder");
  }

  @Test
  void load_nowhereNoDataDir_saysVariableUnset() {
    assertThatThrownBy(() -> FashionMnist.load(null, locations(false)))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining("SELFTRAIN_DATA_DIR is not set")
        .hasMessageContaining("apt-get install dataset-fashion-mnist");
  }

  @Test
  void load_corruptFileInSearch_corruptNotFallThrough() throws IOException {
    Path dir = TestFiles.fashionLike(root.resolve("data/fashion-mnist"), 5, 2, false);
    Files.write(dir.resolve("train-labels-idx1-ubyte"), TestFiles.idxLabels(4, 10));
    TestFiles.fashionLike(root.resolve("system/fashion-mnist"), 7, 2, true);

    assertThatThrownBy(() -> FashionMnist.load(null, locations(true)))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(dir.resolve("train-labels-idx1-ubyte").toString());
  }

  @Test
  void fromEnvironment_systemProperties_override() {
    String oldData = System.getProperty(DataLocations.DATA_DIR_VARIABLE);
    String oldCache = System.getProperty(DataLocations.CACHE_DIR_PROPERTY);
    try {
      System.setProperty(DataLocations.DATA_DIR_VARIABLE, root.resolve("data").toString());
      System.setProperty(DataLocations.CACHE_DIR_PROPERTY, root.resolve("cache").toString());

      DataLocations locations = DataLocations.fromEnvironment();

      assertThat(locations.dataDir()).isEqualTo(root.resolve("data"));
      assertThat(locations.cacheRoot()).isEqualTo(root.resolve("cache"));
      assertThat(locations.systemDir()).isEqualTo(Path.of("/usr/share/datasets"));
    } finally {
      restore(DataLocations.DATA_DIR_VARIABLE, oldData);
      restore(DataLocations.CACHE_DIR_PROPERTY, oldCache);
    }
  }

  private DataLocations locations(boolean withDataDir) {
    return new DataLocations(
        withDataDir ? root.resolve("data") : null,
        root.resolve("system"),
        root.resolve("cache"),
        root.resolve("work"),
        null);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
