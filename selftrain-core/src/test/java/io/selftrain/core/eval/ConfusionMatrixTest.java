package io.selftrain.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.selftrain.MaskTarget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * mIoU against golden values computed with numpy ({@code
 * src/test/resources/seg-eval/make_golden.py}).
 */
class ConfusionMatrixTest {
  private static final int I = MaskTarget.IGNORE;

  private static JsonObject resource(String name) throws IOException {
    try (InputStream in = ConfusionMatrixTest.class.getResourceAsStream("/seg-eval/" + name)) {
      return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .getAsJsonObject();
    }
  }

  private static MaskTarget mask(int h, int w, JsonArray values) {
    byte[] b = new byte[h * w];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) values.get(i).getAsInt();
    }
    return MaskTarget.of(h, w, b);
  }

  private static MaskTarget mask(int h, int w, int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) values[i];
    }
    return MaskTarget.of(h, w, b);
  }

  @Test
  void scores_equalNumpysOnEveryGoldenCase() throws IOException {
    JsonObject golden = resource("golden.json");
    int checked = 0;
    for (JsonElement element : resource("cases.json").getAsJsonArray("cases")) {
      JsonObject c = element.getAsJsonObject();
      String name = c.get("name").getAsString();
      int h = c.get("height").getAsInt();
      int w = c.get("width").getAsInt();
      ConfusionMatrix matrix = new ConfusionMatrix(c.get("numClasses").getAsInt());
      for (JsonElement image : c.getAsJsonArray("images")) {
        JsonObject pair = image.getAsJsonObject();
        matrix.add(
            mask(h, w, pair.getAsJsonArray("truth")),
            mask(h, w, pair.getAsJsonArray("prediction")));
      }
      SegmentationScores scores = matrix.scores();
      JsonObject expected = golden.getAsJsonObject(name);
      assertThat(scores.miou())
          .as(name)
          .isCloseTo(expected.get("miou").getAsDouble(), within(1e-12));
      assertThat(scores.pixelAccuracy())
          .as(name)
          .isCloseTo(expected.get("pixelAccuracy").getAsDouble(), within(1e-12));
      JsonArray iou = expected.getAsJsonArray("perClassIou");
      double[] actual = scores.perClassIou();
      assertThat(actual).as(name).hasSize(iou.size());
      for (int k = 0; k < actual.length; k++) {
        if (iou.get(k).isJsonNull()) {
          assertThat(actual[k]).as("%s class %s", name, k).isNaN();
        } else {
          assertThat(actual[k])
              .as("%s class %s", name, k)
              .isCloseTo(iou.get(k).getAsDouble(), within(1e-12));
        }
      }
      checked++;
    }
    assertThat(checked).isEqualTo(5);
  }

  @Test
  void handWorked_twoByTwo_withIgnoreAndAnUnlabeledPixel() {
    // truth    prediction
    // 0 1      0 0
    // 1 255    255 1     -> the ignored pixel is skipped; the unlabeled one is a miss of class 1
    ConfusionMatrix m = new ConfusionMatrix(2);
    m.add(mask(2, 2, 0, 1, 1, I), mask(2, 2, 0, 0, I, 1));
    assertThat(m.count(0, 0)).isEqualTo(1);
    assertThat(m.count(1, 0)).isEqualTo(1);
    assertThat(m.count(1, 1)).isZero();
    assertThat(m.unlabeled(1)).isEqualTo(1);
    SegmentationScores s = m.scores();
    // class 0: TP 1, FP 1, FN 0 -> 1/2; class 1: TP 0, FN 2 -> 0
    assertThat(s.perClassIou()).containsExactly(0.5, 0.0);
    assertThat(s.miou()).isEqualTo(0.25);
    assertThat(s.pixelAccuracy()).isEqualTo(1.0 / 3);
    Map<String, Double> map = s.asMap();
    assertThat(map.keySet()).containsExactly("miou", "pixelAccuracy", "iou/0", "iou/1");
    assertThat(SegmentationScores.perClassIou(map)).containsExactly(0.5, 0.0);

    // Accumulating two matrices is accumulating their images.
    ConfusionMatrix twice = new ConfusionMatrix(2);
    twice.addAll(m);
    twice.addAll(m);
    assertThat(twice.count(1, 0)).isEqualTo(2);
    assertThat(twice.scores().perClassIou()).containsExactly(0.5, 0.0);
  }

  @Test
  void empty_isNaN_andBadInputIsNamed() {
    SegmentationScores empty = new ConfusionMatrix(3).scores();
    assertThat(empty.miou()).isNaN();
    assertThat(empty.pixelAccuracy()).isNaN();
    assertThatThrownBy(() -> new ConfusionMatrix(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("numClasses must be in [2, 255]: 1");
    ConfusionMatrix m = new ConfusionMatrix(3);
    assertThatThrownBy(() -> m.add(mask(1, 2, 0, 0), mask(2, 1, 0, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("prediction must be the truth's 1x2: 2x1");
    assertThatThrownBy(() -> m.add(mask(1, 2, 0, 7), mask(1, 2, 0, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("truth has value 7 at (x 1, y 0), neither a class below 3 nor 255");
    assertThatThrownBy(() -> m.addAll(new ConfusionMatrix(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("other must have 3 classes: 2");
  }
}
