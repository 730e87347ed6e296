package io.selftrain.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Origin;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabeledImagesTest {
  private static final List<Image> IMAGES =
      List.of(
          Image.filled(2, 2, 1, 0),
          Image.filled(2, 2, 1, 1),
          Image.filled(2, 2, 1, 2),
          Image.filled(2, 2, 1, 3));
  private static final int[] LABELS = {2, 0, 2, 1};

  @Test
  void of_accessors_returnWhatWasGiven() {
    LabeledImages set = LabeledImages.of("toy", IMAGES, LABELS, 3);

    assertThat(set.name()).isEqualTo("toy");
    assertThat(set.size()).isEqualTo(4);
    assertThat(set.numClasses()).isEqualTo(3);
    assertThat(set.images()).containsExactlyElementsOf(IMAGES);
    assertThat(set.labels()).containsExactly(2, 0, 2, 1);
    assertThat(set.image(3)).isSameAs(IMAGES.get(3));
    assertThat(set.label(3)).isEqualTo(1);
    assertThat(set.classCounts()).containsExactly(1, 1, 2);
  }

  @Test
  void of_inputsChangedLater_setUnchanged() {
    List<Image> images = new ArrayList<>(IMAGES);
    int[] labels = LABELS.clone();
    LabeledImages set = LabeledImages.of("toy", images, labels, 3);

    images.clear();
    labels[0] = 0;
    set.labels()[1] = 2;

    assertThat(set.size()).isEqualTo(4);
    assertThat(set.labels()).containsExactly(2, 0, 2, 1);
    assertThatThrownBy(() -> set.images().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void of_sizesDiffer() {
    assertThatThrownBy(() -> LabeledImages.of("toy", IMAGES, new int[3], 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("labels")
        .hasMessageContaining("4")
        .hasMessageContaining(": 3");
  }

  @Test
  void of_labelOutOfRange() {
    assertThatThrownBy(() -> LabeledImages.of("toy", IMAGES, new int[] {0, 1, 3, 0}, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("labels[2]")
        .hasMessageContaining("[0, 3)")
        .hasMessageContaining(": 3");
    assertThatThrownBy(() -> LabeledImages.of("toy", IMAGES, new int[] {0, -1, 2, 0}, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("labels[1]")
        .hasMessageContaining(": -1");
  }

  @Test
  void of_numClassesBelowTwo() {
    assertThatThrownBy(() -> LabeledImages.of("toy", IMAGES, new int[4], 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("numClasses")
        .hasMessageContaining("1");
  }

  @Test
  void of_nullImage() {
    List<Image> images = Arrays.asList(IMAGES.get(0), null);

    assertThatThrownBy(() -> LabeledImages.of("toy", images, new int[2], 3))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("images[1]");
  }

  @Test
  void subset_indices_pickInOrderWithRepeats() {
    LabeledImages subset = LabeledImages.of("toy", IMAGES, LABELS, 3).subset(new int[] {3, 1, 3});

    assertThat(subset.name()).isEqualTo("toy");
    assertThat(subset.numClasses()).isEqualTo(3);
    assertThat(subset.images()).containsExactly(IMAGES.get(3), IMAGES.get(1), IMAGES.get(3));
    assertThat(subset.labels()).containsExactly(1, 0, 1);
    assertThat(subset.classCounts()).containsExactly(1, 2, 0);
  }

  @Test
  void subset_indexOutOfRange() {
    LabeledImages set = LabeledImages.of("toy", IMAGES, LABELS, 3);

    assertThatThrownBy(() -> set.subset(new int[] {0, 4}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("indices[1]")
        .hasMessageContaining(": 4");
  }

  @Test
  void label_indexOutOfRange() {
    LabeledImages set = LabeledImages.of("toy", IMAGES, LABELS, 3);

    assertThatThrownBy(() -> set.label(4))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("index");
    assertThatThrownBy(() -> set.image(-1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void toExamples_humanHardTargets() {
    List<Example<ClassTarget>> examples = LabeledImages.of("toy", IMAGES, LABELS, 3).toExamples();

    assertThat(examples).hasSize(4);
    for (int i = 0; i < 4; i++) {
      Example<ClassTarget> example = examples.get(i);
      assertThat(example.image()).isSameAs(IMAGES.get(i));
      assertThat(example.origin()).isEqualTo(Origin.HUMAN);
      assertThat(example.target()).isEqualTo(ClassTarget.index(LABELS[i], 3));
    }
  }
}
