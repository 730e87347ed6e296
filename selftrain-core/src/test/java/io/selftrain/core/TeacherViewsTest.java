package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.selftrain.ClassTarget;
import io.selftrain.Image;
import io.selftrain.Prediction;
import java.util.List;
import org.junit.jupiter.api.Test;

class TeacherViewsTest {
  private static Prediction<ClassTarget> prediction(float... p) {
    ClassTarget t = ClassTarget.probabilities(p);
    return new Prediction<>(t, t.confidence());
  }

  @Test
  void mirror_reversesColumnsOfEveryChannel() {
    byte[] p = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    Image rgb = Image.of(2, 2, 3, p);
    Image m = ClassificationSupport.mirror(rgb);
    assertThat(m.pixels()).containsExactly(4, 5, 6, 1, 2, 3, 10, 11, 12, 7, 8, 9);
    assertThat(ClassificationSupport.mirror(m)).isEqualTo(rgb);
  }

  @Test
  void average_isMeanOfViewsAndRecomputesConfidence() {
    List<Prediction<ClassTarget>> out =
        ClassificationSupport.average(
            List.of(prediction(0.9f, 0.1f, 0f)), List.of(prediction(0.1f, 0.5f, 0.4f)));
    float[] q = out.get(0).target().probabilities();
    assertThat(q[0]).isCloseTo(0.5f, within(1e-6f));
    assertThat(q[1]).isCloseTo(0.3f, within(1e-6f));
    assertThat(q[2]).isCloseTo(0.2f, within(1e-6f));
    assertThat(out.get(0).confidence()).isCloseTo(0.5f, within(1e-6f));
    assertThat(out.get(0).target().classIndex()).isZero();
  }
}
