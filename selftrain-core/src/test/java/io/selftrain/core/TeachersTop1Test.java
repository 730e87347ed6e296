package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Origin;
import io.selftrain.Prediction;
import io.selftrain.Teacher;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TeachersTop1Test {
  /**
   * Predicts soft scores peaking at (id % 10), except for ids divisible by 7, where it peaks one
   * class off.
   */
  private static final class KnownTeacher implements Teacher<ClassTarget> {
    int calls;

    @Override
    public List<Prediction<ClassTarget>> predict(List<Image> images) {
      calls++;
      List<Prediction<ClassTarget>> out = new ArrayList<>();
      for (Image image : images) {
        int id = (image.pixels()[0] & 0xFF) | (image.pixels()[1] & 0xFF) << 8;
        int predicted = id % 7 == 0 ? (id + 1) % 10 : id % 10;
        float[] p = new float[10];
        java.util.Arrays.fill(p, 0.05f);
        p[predicted] = 0.55f;
        out.add(new Prediction<>(ClassTarget.probabilities(p), 0.55f));
      }
      return out;
    }
  }

  @Test
  void top1_countsArgMaxEqualToLabel_acrossInferenceBatches() {
    int n = 700; // more than one inference batch, so batches are stitched back in order
    List<Example<ClassTarget>> examples = new ArrayList<>();
    for (int id = 0; id < n; id++) {
      examples.add(
          new Example<>(
              Image.of(1, 2, 1, new byte[] {(byte) id, (byte) (id >> 8)}),
              ClassTarget.index(id % 10, 10),
              Origin.HUMAN));
    }
    KnownTeacher teacher = new KnownTeacher();
    int wrong = (n + 6) / 7; // ids 0, 7, 14, ... below n
    assertThat(Teachers.top1(teacher, examples)).isEqualTo((double) (n - wrong) / n);
    assertThat(teacher.calls).isGreaterThan(1);
  }
}
