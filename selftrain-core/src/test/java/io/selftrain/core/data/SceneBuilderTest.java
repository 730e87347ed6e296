package io.selftrain.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selftrain.BoxesTarget;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import java.util.List;
import org.junit.jupiter.api.Test;

class SceneBuilderTest {
  private static SceneBuilder fashion(SceneConfig config) {
    return SceneBuilder.of(SceneItems.fashion(), config);
  }

  @Test
  void scene_sameSeed_sameScene() {
    SceneConfig config = SceneConfig.builder().seed(11).backgroundNoise(30).build();
    SceneBuilder first = fashion(config);
    SceneBuilder second = fashion(config);
    for (int i = 0; i < 5; i++) {
      Scene a = first.scene(i);
      Scene b = second.scene(i);
      assertThat(b.image().pixels()).isEqualTo(a.image().pixels());
      assertThat(b.boxes()).isEqualTo(a.boxes());
      assertThat(b.mask()).isEqualTo(a.mask());
      assertThat(b.areas()).isEqualTo(a.areas());
    }
  }

  @Test
  void scene_otherSeed_otherScene() {
    Scene a = fashion(SceneConfig.builder().seed(1).build()).scene(0);
    Scene b = fashion(SceneConfig.builder().seed(2).build()).scene(0);

    assertThat(b.image().pixels()).isNotEqualTo(a.image().pixels());
  }

  @Test
  void scenes_sceneDependsOnlyOnItsIndex() {
    SceneBuilder builder = fashion(SceneConfig.builder().seed(5).build());
    List<Scene> twelve = builder.scenes(12);
    List<Scene> eight = builder.scenes(8);
    Scene alone = builder.scene(7);

    assertThat(twelve).hasSize(12);
    assertThat(twelve.get(7).image()).isEqualTo(alone.image());
    assertThat(eight.get(7).image()).isEqualTo(alone.image());
    assertThat(twelve.get(7).boxes()).isEqualTo(alone.boxes());
    assertThat(eight.get(7).mask()).isEqualTo(alone.mask());
    for (int i = 0; i < 12; i++) {
      assertThat(twelve.get(i).index()).isEqualTo(i);
    }
    assertThat(twelve.get(3).image()).isNotEqualTo(twelve.get(4).image());
  }

  /**
   * Without overlap each box holds one item: it must be exactly the bounding box of its class's
   * pixels inside it.
   */
  @Test
  void scene_noOverlap_boxesAreTheBoundingBoxesOfTheirMaskPixels() {
    SceneBuilder builder = fashion(SceneConfig.builder().seed(3).maxOverlap(0).build());
    int boxesSeen = 0;
    for (int i = 0; i < 20; i++) {
      Scene scene = builder.scene(i);
      MaskTarget mask = scene.mask();
      float[] boxes = scene.boxes().boxes();
      int[] classes = scene.boxes().classes();
      int[] areas = scene.areas();
      int[] covered = new int[mask.height() * mask.width()];
      for (int k = 0; k < classes.length; k++) {
        int x1 = (int) boxes[4 * k];
        int y1 = (int) boxes[4 * k + 1];
        int x2 = (int) boxes[4 * k + 2];
        int y2 = (int) boxes[4 * k + 3];
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        int count = 0;
        for (int y = y1; y < y2; y++) {
          for (int x = x1; x < x2; x++) {
            if (mask.get(y, x) == classes[k] + 1) {
              minX = Math.min(minX, x);
              minY = Math.min(minY, y);
              maxX = Math.max(maxX, x);
              maxY = Math.max(maxY, y);
              count++;
              covered[y * mask.width() + x]++;
            }
          }
        }
        assertThat(new int[] {minX, minY, maxX + 1, maxY + 1})
            .as("scene %s box %s", i, k)
            .containsExactly(x1, y1, x2, y2);
        assertThat(areas[k]).as("scene %s area %s", i, k).isEqualTo(count);
        boxesSeen++;
      }
      byte[] values = mask.classes();
      int wronglyCovered = 0;
      for (int p = 0; p < covered.length; p++) {
        wronglyCovered += covered[p] == (values[p] == 0 ? 0 : 1) ? 0 : 1;
      }
      assertThat(wronglyCovered)
          .as("scene %s: pixels not in exactly one box of their class", i)
          .isZero();
      assertForegroundIsNonZero(scene);
    }
    assertThat(boxesSeen).isGreaterThan(40);
  }

  /**
   * With overlap, boxes of one class may share pixels; still every box's four edges touch a pixel
   * of its class and every pixel of a class lies in a box of that class.
   */
  @Test
  void scene_overlapAllowed_boxesStayTightAroundVisiblePixels() {
    SceneBuilder builder =
        fashion(
            SceneConfig.builder()
                .seed(9)
                .maxOverlap(1)
                .minItems(4)
                .maxItems(8)
                .channels(1)
                .build());
    for (int i = 0; i < 20; i++) {
      Scene scene = builder.scene(i);
      MaskTarget mask = scene.mask();
      float[] boxes = scene.boxes().boxes();
      int[] classes = scene.boxes().classes();
      boolean[] inBox = new boolean[mask.height() * mask.width()];
      for (int k = 0; k < classes.length; k++) {
        int x1 = (int) boxes[4 * k];
        int y1 = (int) boxes[4 * k + 1];
        int x2 = (int) boxes[4 * k + 2];
        int y2 = (int) boxes[4 * k + 3];
        int value = classes[k] + 1;
        boolean top = false;
        boolean bottom = false;
        boolean left = false;
        boolean right = false;
        for (int y = y1; y < y2; y++) {
          for (int x = x1; x < x2; x++) {
            if (mask.get(y, x) == value) {
              top |= y == y1;
              bottom |= y == y2 - 1;
              left |= x == x1;
              right |= x == x2 - 1;
              inBox[y * mask.width() + x] = true;
            }
          }
        }
        assertThat(new boolean[] {top, bottom, left, right})
            .as("scene %s box %s edges", i, k)
            .containsOnly(true);
      }
      int outside = 0;
      for (int y = 0; y < mask.height(); y++) {
        for (int x = 0; x < mask.width(); x++) {
          outside += mask.get(y, x) != 0 && !inBox[y * mask.width() + x] ? 1 : 0;
        }
      }
      assertThat(outside)
          .as("scene %s: labelled pixels outside every box of their class", i)
          .isZero();
      assertForegroundIsNonZero(scene);
    }
  }

  @Test
  void scene_itemHiddenByLaterItem_hasNoBox() {
    SceneBuilder builder =
        SceneBuilder.of(
            SceneItems.squares(),
            SceneConfig.builder()
                .height(32)
                .width(32)
                .channels(1)
                .minItems(2)
                .maxItems(2)
                .minScale(1)
                .maxScale(1)
                .maxOverlap(1)
                .build());
    int hidden = 0;
    int both = 0;
    for (int i = 0; i < 40; i++) {
      Scene scene = builder.scene(i);
      int[] classes = scene.boxes().classes();
      int blockPixels = count(scene.mask(), 2);
      if (classes.length == 1 && classes[0] == 0) {
        // Block first, square second: the 4x4 block lies inside the square wherever both land.
        assertThat(blockPixels).isZero();
        assertThat(scene.boxes().boxes()[2] - scene.boxes().boxes()[0]).isEqualTo(28f);
        hidden++;
      } else if (classes.length == 2 && classes[0] == 0 && classes[1] == 1) {
        // Square first, block on top: the square's box is still its visible extent, the block fully
        // visible.
        assertThat(blockPixels).isEqualTo(16);
        assertThat(scene.areas()).containsExactly(28 * 28 - 16, 16);
        both++;
      }
    }
    assertThat(hidden).isPositive();
    assertThat(both).isPositive();
  }

  @Test
  void scene_largeCanvasNoOverlap_itemCountWithinRange() {
    SceneBuilder builder =
        fashion(
            SceneConfig.builder()
                .height(256)
                .width(256)
                .minItems(3)
                .maxItems(4)
                .minScale(1)
                .maxScale(1)
                .maxOverlap(0)
                .build());
    for (int i = 0; i < 20; i++) {
      assertThat(builder.scene(i).boxes().size()).isBetween(3, 4);
    }
  }

  @Test
  void scene_greyMnistWithThreshold_foregroundIsWhatExceedsIt() {
    SceneBuilder builder =
        SceneBuilder.of(
            SceneItems.mnist(),
            SceneConfig.builder().channels(1).foregroundThreshold(64).seed(4).build());
    for (int i = 0; i < 10; i++) {
      Scene scene = builder.scene(i);
      Image image = scene.image();
      assertThat(image.channels()).isEqualTo(1);
      int mismatches = 0;
      for (int y = 0; y < image.height(); y++) {
        for (int x = 0; x < image.width(); x++) {
          mismatches += (scene.mask().get(y, x) != 0) == (image.get(y, x, 0) > 64) ? 0 : 1;
        }
      }
      assertThat(mismatches).as("scene %s: pixels where mask and value > 64 disagree", i).isZero();
      assertThat(scene.boxes().size()).isPositive();
    }
  }

  @Test
  void scene_backgroundNoise_staysWithinItsRange() {
    Scene scene = fashion(SceneConfig.builder().backgroundNoise(20).build()).scene(0);
    int max = 0;
    for (int y = 0; y < scene.image().height(); y++) {
      for (int x = 0; x < scene.image().width(); x++) {
        if (scene.mask().get(y, x) == 0) {
          for (int c = 0; c < 3; c++) {
            max = Math.max(max, scene.image().get(y, x, c));
          }
        }
      }
    }
    assertThat(max).isBetween(1, 20);
  }

  @Test
  void scene_boxesAndExamples_useTheScenePixels() {
    Scene scene = fashion(SceneConfig.defaults()).scene(2);

    assertThat(scene.detection().image()).isSameAs(scene.image());
    assertThat(scene.detection().target()).isSameAs(scene.boxes());
    assertThat(scene.segmentation().target()).isSameAs(scene.mask());
    BoxesTarget boxes = scene.boxes();
    for (float v : boxes.boxes()) {
      assertThat(v).isBetween(0f, 128f);
    }
  }

  @Test
  void of_emptyItems() {
    LabeledImages empty = SceneItems.fashion().subset(new int[0]);
    assertThatThrownBy(() -> SceneBuilder.of(empty, SceneConfig.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("items must not be empty");
  }

  @Test
  void of_rgbItems() {
    LabeledImages rgb =
        LabeledImages.of("rgb", List.of(Image.filled(28, 28, 3, 9)), new int[] {1}, 2);
    assertThatThrownBy(() -> SceneBuilder.of(rgb, SceneConfig.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("single-channel")
        .hasMessageContaining("3 channels");
  }

  @Test
  void of_itemsTooLargeForCanvas() {
    SceneConfig small = SceneConfig.builder().height(48).width(48).maxScale(2.0).build();
    assertThatThrownBy(() -> SceneBuilder.of(SceneItems.fashion(), small))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxScale")
        .hasMessageContaining("2.0")
        .hasMessageContaining("56x56");
  }

  @Test
  void scene_negativeIndex() {
    SceneBuilder builder = fashion(SceneConfig.defaults());
    assertThatThrownBy(() -> builder.scene(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index")
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> builder.scenes(-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("count")
        .hasMessageContaining("-3");
  }

  /**
   * On a black background (threshold 0) a pixel is labelled exactly when it is non-zero in every
   * channel.
   */
  private static void assertForegroundIsNonZero(Scene scene) {
    Image image = scene.image();
    String mismatch = null;
    for (int y = 0; y < image.height() && mismatch == null; y++) {
      for (int x = 0; x < image.width() && mismatch == null; x++) {
        boolean labelled = scene.mask().get(y, x) != 0;
        for (int c = 0; c < image.channels(); c++) {
          if ((image.get(y, x, c) != 0) != labelled) {
            mismatch =
                "pixel ("
                    + x
                    + ", "
                    + y
                    + ") channel "
                    + c
                    + " = "
                    + image.get(y, x, c)
                    + ", mask "
                    + scene.mask().get(y, x);
          }
        }
      }
    }
    assertThat(mismatch).as("scene %s", scene.index()).isNull();
  }

  private static int count(MaskTarget mask, int value) {
    int n = 0;
    for (byte b : mask.classes()) {
      n += (b & 0xFF) == value ? 1 : 0;
    }
    return n;
  }
}
