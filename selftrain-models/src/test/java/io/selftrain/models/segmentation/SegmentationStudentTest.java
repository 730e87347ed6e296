package io.selftrain.models.segmentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.selftrain.MaskTarget;
import io.selftrain.Prediction;
import io.selftrain.Student;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentationStudentTest {
  private static final byte IGNORE = (byte) MaskTarget.IGNORE;

  /** 3 classes on 1x2 "images": only the loss and decoding are exercised, no block is built. */
  private static final SegmentationConfig THREE_CLASSES =
      Segmentation.tiny64().withNumClasses(3).withInputSize(8);

  @Test
  void student_nameAndInputShape() {
    Student<MaskTarget> student = Segmentation.student(Segmentation.tiny64());
    assertThat(student.name()).isEqualTo("nasfpn-seg-tiny64");
    assertThat(student.inputShape()).isEqualTo(new Shape(3, 64, 64));
  }

  @Test
  void encodeTargets_keepsClassesAndIgnore() {
    Student<MaskTarget> student = Segmentation.student(THREE_CLASSES);
    byte[] a = new byte[64];
    byte[] b = new byte[64];
    a[5] = 2;
    a[6] = IGNORE;
    b[63] = 1;
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray y =
          student.encodeTargets(List.of(MaskTarget.of(8, 8, a), MaskTarget.of(8, 8, b)), manager);
      assertThat(y.getShape()).isEqualTo(new Shape(2, 8, 8));
      assertThat(y.getDataType()).isEqualTo(DataType.INT32);
      int[] values = y.toIntArray();
      assertThat(values[5]).isEqualTo(2);
      assertThat(values[6]).isEqualTo(255);
      assertThat(values[64 + 63]).isEqualTo(1);
      assertThat(y.sum().getLong()).isEqualTo(2 + 255 + 1);
    }
  }

  @Test
  void encodeTargets_rejectsWrongSizeAndUnknownClass() {
    Student<MaskTarget> student = Segmentation.student(THREE_CLASSES);
    byte[] bad = new byte[64];
    bad[9] = 3;
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      assertThatThrownBy(
              () -> student.encodeTargets(List.of(MaskTarget.of(4, 4, new byte[16])), manager))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("targets[0]")
          .hasMessageContaining("8x8");
      assertThatThrownBy(
              () ->
                  student.encodeTargets(
                      List.of(MaskTarget.of(8, 8, new byte[64]), MaskTarget.of(8, 8, bad)),
                      manager))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("targets[1]")
          .hasMessageContaining("class 3")
          .hasMessageContaining("(1, 1)");
    }
  }

  @Test
  void lossPerExample_meanOverNonIgnoredPixels_zeroWhenAllIgnored() {
    Student<MaskTarget> student = Segmentation.student(THREE_CLASSES);
    // logits (batch 3, classes 3, 1 x 2), stored as [example][class][pixel]
    float[][][] z = {
      {{1, 0}, {2, 0}, {3, 0}}, //    example 0: pixel 0 label 2, pixel 1 ignored
      {{2, 0}, {0, 1}, {0, 0}}, //    example 1: both pixels label 0
      {{5, -1}, {0, 4}, {1, 2}} //    example 2: all ignored
    };
    int[] labels = {2, 255, 0, 0, 255, 255};
    float[] flat = new float[18];
    for (int n = 0; n < 3; n++) {
      for (int c = 0; c < 3; c++) {
        for (int p = 0; p < 2; p++) {
          flat[(n * 3 + c) * 2 + p] = z[n][c][p];
        }
      }
    }
    double l0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3;
    double l1a = Math.log(Math.exp(2) + 2) - 2;
    double l1b = Math.log(2 + Math.exp(1)) - 0;
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray logits = manager.create(flat, new Shape(3, 3, 1, 2));
      NDArray targets = manager.create(labels, new Shape(3, 1, 2));
      float[] loss = student.lossPerExample(new NDList(logits), targets).toFloatArray();
      assertThat(loss).hasSize(3);
      assertThat(loss[0]).isCloseTo((float) l0, within(1e-5f));
      assertThat(loss[1]).isCloseTo((float) ((l1a + l1b) / 2), within(1e-5f));
      assertThat(loss[2]).isEqualTo(0f);
      assertThatThrownBy(
              () ->
                  student.lossPerExample(
                      new NDList(logits), manager.zeros(new Shape(3, 2, 1), DataType.INT32)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("targets")
          .hasMessageContaining("(3, 2, 1)");
    }
  }

  @Test
  void decode_pixelsBelowThresholdAreIgnored() {
    // 3 classes, 1 x 3 pixels: uniform (top 1/3 < 0.5), confident class 0, class 2 with top exactly
    // 0.5
    float[] flat = {
      0, 5, 0, //              class 0 logits of pixels 0, 1, 2
      0, 0, (float) -1e4, //   class 1
      0, 0, 0 //               class 2 (pixel 2: classes 0 and 2 tie, 0 wins; see the 2-class case
      // below)
    };
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray logits = manager.create(flat, new Shape(1, 3, 1, 3));
      Prediction<MaskTarget> p =
          Segmentation.student(THREE_CLASSES.withMinPixelConfidence(0.5f))
              .decode(new NDList(logits))
              .get(0);
      MaskTarget mask = p.target();
      assertThat(mask.height()).isEqualTo(1);
      assertThat(mask.width()).isEqualTo(3);
      double confident = Math.exp(5) / (Math.exp(5) + 2);
      assertThat(mask.get(0, 0)).isEqualTo(MaskTarget.IGNORE);
      assertThat(mask.get(0, 1)).isEqualTo(0);
      assertThat(mask.get(0, 2)).isEqualTo(0); // top probability exactly 0.5 is kept (>= threshold)
      assertThat(p.confidence())
          .isCloseTo((float) ((1.0 / 3 + confident + 0.5) / 3), within(1e-6f));
      float[] pixels = mask.confidences();
      assertThat(pixels[0]).isCloseTo(1f / 3, within(1e-6f));
      assertThat(pixels[1]).isCloseTo((float) confident, within(1e-6f));
      assertThat(pixels[2]).isCloseTo(0.5f, within(1e-6f));

      // the default threshold 0 keeps every argmax; 0.99 ignores the 0.9867 pixel too
      MaskTarget all =
          Segmentation.student(THREE_CLASSES).decode(new NDList(logits)).get(0).target();
      assertThat(all.classes()).containsExactly(0, 0, 0);
      MaskTarget strict =
          Segmentation.student(THREE_CLASSES.withMinPixelConfidence(0.99f))
              .decode(new NDList(logits))
              .get(0)
              .target();
      assertThat(strict.classes()).containsExactly(IGNORE, IGNORE, IGNORE);
    }
  }

  @Test
  void decode_batchOfTwo_argmaxPerExample() {
    SegmentationConfig twoClasses = THREE_CLASSES.withNumClasses(2);
    // example 0: class 1 everywhere; example 1: class 0 left, class 1 right
    float[] flat = {0, 0, 3, 3, /* example 1 */ 3, 0, 0, 3};
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      List<Prediction<MaskTarget>> out =
          Segmentation.student(twoClasses)
              .decode(new NDList(manager.create(flat, new Shape(2, 2, 1, 2))));
      assertThat(out).hasSize(2);
      assertThat(out.get(0).target().classes()).containsExactly(1, 1);
      assertThat(out.get(1).target().classes()).containsExactly(0, 1);
      float top = (float) (Math.exp(3) / (Math.exp(3) + 1));
      assertThat(out.get(1).confidence()).isCloseTo(top, within(1e-6f));
    }
  }
}
