package io.selftrain.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.core.data.LabeledImages;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hold-out is stratified, fixed, and disjoint from what the run trains on. */
class ValidationHoldOutTest {
  /** 300 distinct images, 3 classes of 100, the class of image i being i % 3. */
  private static LabeledImages train() {
    List<Image> images = new ArrayList<>();
    int[] labels = new int[300];
    for (int i = 0; i < 300; i++) {
      images.add(distinct(i));
      labels[i] = i % 3;
    }
    return LabeledImages.of("synthetic", images, labels, 3);
  }

  private static Image distinct(int i) {
    return Image.of(1, 2, 1, new byte[] {(byte) (i & 0xFF), (byte) (i >> 8)});
  }

  @Test
  void of_stratified_fixed_disjoint_andRestInOrder() {
    ValidationHoldOut a = ValidationHoldOut.of(train(), 60);
    ValidationHoldOut b = ValidationHoldOut.of(train(), 60);
    assertThat(a.validation()).isEqualTo(b.validation());
    assertThat(a.validation()).hasSize(60);
    int[] perClass = new int[3];
    Set<Image> held = new HashSet<>();
    for (Example<ClassTarget> e : a.validation()) {
      perClass[e.target().classIndex()]++;
      held.add(e.image());
    }
    assertThat(perClass).containsExactly(20, 20, 20);
    assertThat(a.rest().size()).isEqualTo(240);
    int previous = -1;
    for (int i = 0; i < a.rest().size(); i++) {
      Image image = a.rest().image(i);
      assertThat(held).doesNotContain(image);
      int index = (image.pixels()[0] & 0xFF) | (image.pixels()[1] & 0xFF) << 8;
      assertThat(index).isGreaterThan(previous);
      assertThat(a.rest().label(i)).isEqualTo(index % 3);
      previous = index;
    }
  }
}
