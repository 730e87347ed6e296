package io.selftrain.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selftrain.Image;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SemiSupervisedSplitTest {
  /** 1,000 images, 100 per class, each image encoding its own index in two pixels. */
  private static final LabeledImages TRAIN =
      train(new int[] {100, 100, 100, 100, 100, 100, 100, 100, 100, 100});

  @Test
  void of_labels_exactPerClassCountsWithRemainderToFirstClasses() {
    SemiSupervisedSplit split = SemiSupervisedSplit.of(TRAIN, 47, 0, 1L);

    assertThat(split.labeled().size()).isEqualTo(47);
    assertThat(split.labeled().classCounts()).containsExactly(5, 5, 5, 5, 5, 5, 5, 4, 4, 4);
    assertThat(split.labeled().numClasses()).isEqualTo(10);
    assertThat(split.seed()).isEqualTo(1L);
  }

  @Test
  void of_unevenClasses_sharesStillExact() {
    LabeledImages uneven = train(new int[] {10, 7, 5});

    SemiSupervisedSplit split = SemiSupervisedSplit.of(uneven, 8, 0, 3L);

    assertThat(split.labeled().classCounts()).containsExactly(3, 3, 2);
    assertThat(split.unlabeled()).hasSize(14);
  }

  @Test
  void of_labeledMatchesTrainingSetAtItsIndices() {
    SemiSupervisedSplit split = SemiSupervisedSplit.of(TRAIN, 100, 0, 5L);

    int[] indices = split.labeledIndices();
    assertThat(indices).isSorted().doesNotHaveDuplicates();
    for (int i = 0; i < indices.length; i++) {
      assertThat(split.labeled().image(i)).isSameAs(TRAIN.image(indices[i]));
      assertThat(split.labeled().label(i)).isEqualTo(TRAIN.label(indices[i]));
    }
  }

  @Test
  void of_uncapped_disjointAndUnionIsEverything() {
    SemiSupervisedSplit split = SemiSupervisedSplit.of(TRAIN, 100, 0, 7L);

    int[] labeled = split.labeledIndices();
    int[] unlabeled = split.unlabeledIndices();
    assertThat(unlabeled).hasSize(900).doesNotHaveDuplicates();
    assertThat(Arrays.stream(labeled).filter(i -> Arrays.stream(unlabeled).anyMatch(j -> j == i)))
        .isEmpty();
    int[] union =
        IntStream.concat(Arrays.stream(labeled), Arrays.stream(unlabeled)).sorted().toArray();
    assertThat(union).isEqualTo(IntStream.range(0, TRAIN.size()).toArray());
  }

  @Test
  void of_unlabeled_imagesAtIndicesInShuffledOrder() {
    SemiSupervisedSplit split = SemiSupervisedSplit.of(TRAIN, 100, 0, 7L);

    List<Image> unlabeled = split.unlabeled();
    int[] indices = split.unlabeledIndices();
    for (int i = 0; i < unlabeled.size(); i++) {
      assertThat(unlabeled.get(i)).isSameAs(TRAIN.image(indices[i]));
    }
    assertThat(indices).isNotEqualTo(Arrays.stream(indices).sorted().toArray());
    assertThatThrownBy(() -> unlabeled.remove(0)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void of_cap_keepsPrefixOfUncappedPool() {
    SemiSupervisedSplit uncapped = SemiSupervisedSplit.of(TRAIN, 100, 0, 11L);
    SemiSupervisedSplit capped = SemiSupervisedSplit.of(TRAIN, 100, 250, 11L);

    assertThat(capped.unlabeled()).hasSize(250);
    assertThat(capped.unlabeledIndices())
        .isEqualTo(Arrays.copyOf(uncapped.unlabeledIndices(), 250));
    assertThat(capped.labeledIndices()).isEqualTo(uncapped.labeledIndices());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 900, 901})
  void of_noCapOrCapAbovePool_wholePool(int cap) {
    assertThat(SemiSupervisedSplit.of(TRAIN, 100, cap, 11L).unlabeled()).hasSize(900);
  }

  @Test
  void of_sameSeed_sameSplit() {
    SemiSupervisedSplit a = SemiSupervisedSplit.of(TRAIN, 100, 300, 42L);
    SemiSupervisedSplit b = SemiSupervisedSplit.of(TRAIN, 100, 300, 42L);

    assertThat(a.labeledIndices()).isEqualTo(b.labeledIndices());
    assertThat(a.unlabeledIndices()).isEqualTo(b.unlabeledIndices());
  }

  @Test
  void of_differentSeed_differentSplit() {
    SemiSupervisedSplit a = SemiSupervisedSplit.of(TRAIN, 100, 300, 42L);
    SemiSupervisedSplit b = SemiSupervisedSplit.of(TRAIN, 100, 300, 43L);

    assertThat(a.labeledIndices()).isNotEqualTo(b.labeledIndices());
    assertThat(a.unlabeledIndices()).isNotEqualTo(b.unlabeledIndices());
  }

  @Test
  void of_allLabeled_emptyPool() {
    SemiSupervisedSplit split = SemiSupervisedSplit.of(TRAIN, 1000, 0, 1L);

    assertThat(split.labeled().size()).isEqualTo(1000);
    assertThat(split.unlabeled()).isEmpty();
    assertThat(split.unlabeledIndices()).isEmpty();
  }

  @Test
  void of_labelsBelowNumClasses() {
    assertThatThrownBy(() -> SemiSupervisedSplit.of(TRAIN, 9, 0, 1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("labels")
        .hasMessageContaining("(10)")
        .hasMessageContaining(": 9");
  }

  @Test
  void of_labelsAboveTrainingSetSize() {
    assertThatThrownBy(() -> SemiSupervisedSplit.of(TRAIN, 1001, 0, 1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("labels")
        .hasMessageContaining("(1000)")
        .hasMessageContaining(": 1001");
  }

  @Test
  void of_classTooSmallForShare() {
    LabeledImages uneven = train(new int[] {10, 7, 5});

    assertThatThrownBy(() -> SemiSupervisedSplit.of(uneven, 20, 0, 1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("labels")
        .hasMessageContaining("class 2")
        .hasMessageContaining("only 5")
        .hasMessageContaining(": 20");
  }

  @Test
  void of_nullTrain() {
    assertThatThrownBy(() -> SemiSupervisedSplit.of(null, 10, 0, 1L))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("train");
  }

  @Test
  void of_realFashionMnist_fourThousandLabels() throws IOException {
    LabeledImages fashion = ImageDatasets.fashionMnist(null).train();

    SemiSupervisedSplit split = SemiSupervisedSplit.of(fashion, 4000, 20_000, 2020L);

    int[] fourHundred = new int[10];
    Arrays.fill(fourHundred, 400);
    assertThat(split.labeled().classCounts()).containsExactly(fourHundred);
    assertThat(split.unlabeled()).hasSize(20_000);
    int[] labeled = split.labeledIndices();
    assertThat(split.unlabeledIndices()).doesNotHaveDuplicates();
    assertThat(
            Arrays.stream(split.unlabeledIndices())
                .filter(i -> Arrays.binarySearch(labeled, i) >= 0))
        .isEmpty();
  }

  /**
   * Classes in blocks of the given sizes, interleaved so that class order differs from index order.
   */
  private static LabeledImages train(int[] perClass) {
    List<Integer> labels = new ArrayList<>();
    int[] left = perClass.clone();
    boolean any = true;
    while (any) {
      any = false;
      for (int k = 0; k < left.length; k++) {
        if (left[k] > 0) {
          labels.add(k);
          left[k]--;
          any = true;
        }
      }
    }
    List<Image> images = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      images.add(Image.of(1, 2, 1, new byte[] {(byte) (i >> 8), (byte) i}));
    }
    return LabeledImages.of(
        "toy", images, labels.stream().mapToInt(Integer::intValue).toArray(), perClass.length);
  }
}
