package io.selftrain.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.selftrain.BoxesTarget;
import io.selftrain.Image;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CocoDataset#fitted(int)} on a hand-written COCO file with images of several shapes. */
class CocoDatasetFittingTest {
  private static final int SIZE = 64;

  @TempDir Path tmp;
  private CocoDataset coco;

  /** A deterministic, non-uniform image: every channel and position has its own value. */
  private static Image pattern(int height, int width, int channels) {
    byte[] pixels = new byte[height * width * channels];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < channels; c++) {
          pixels[(y * width + x) * channels + c] =
              (byte) ((7 * x + 13 * y + 71 * c + (x * y) % 17) % 256);
        }
      }
    }
    return Image.of(height, width, channels, pixels);
  }

  /**
   * Images (height x width): 40x80 wide (s = 0.8), 100x50 tall (s = 0.64), 64x64 already fitted (s
   * = 1), 16x32 grey scaled up (s = 2), 64x40 whose longer side is the size (s = 1, padding only).
   */
  @BeforeEach
  void writeFixture() throws IOException {
    PngFiles.writeImage(tmp.resolve("wide.png"), pattern(40, 80, 3));
    PngFiles.writeImage(tmp.resolve("tall.png"), pattern(100, 50, 3));
    PngFiles.writeImage(tmp.resolve("square.png"), pattern(64, 64, 3));
    PngFiles.writeImage(tmp.resolve("small.png"), pattern(16, 32, 1));
    PngFiles.writeImage(tmp.resolve("narrow.png"), pattern(64, 40, 3));
    String json =
        "{\"images\": ["
            + "  {\"id\": 397133, \"file_name\": \"wide.png\", \"height\": 40, \"width\": 80},"
            + "  {\"id\": 37777, \"file_name\": \"tall.png\", \"height\": 100, \"width\": 50},"
            + "  {\"id\": 252219, \"file_name\": \"square.png\", \"height\": 64, \"width\": 64},"
            + "  {\"id\": 87038, \"file_name\": \"small.png\", \"height\": 16, \"width\": 32},"
            + "  {\"id\": 174482, \"file_name\": \"narrow.png\", \"height\": 64, \"width\": 40}],"
            + " \"categories\": [{\"id\": 1, \"name\": \"person\"}, {\"id\": 5, \"name\": \"airplane\"},"
            + "  {\"id\": 90, \"name\": \"toothbrush\"}],"
            + " \"annotations\": ["
            + "  {\"id\": 1, \"image_id\": 397133, \"category_id\": 5, \"bbox\": [10, 5, 30, 20], \"iscrowd\": 0},"
            + "  {\"id\": 2, \"image_id\": 397133, \"category_id\": 1, \"bbox\": [0, 0, 80, 40], \"iscrowd\": 1},"
            + "  {\"id\": 3, \"image_id\": 397133, \"category_id\": 90, \"bbox\": [70.5, 30.25, 9.5, 9.75]},"
            + "  {\"id\": 4, \"image_id\": 37777, \"category_id\": 1, \"bbox\": [25, 50, 25, 50], \"iscrowd\": 0},"
            + "  {\"id\": 5, \"image_id\": 252219, \"category_id\": 90, \"bbox\": [1.5, 2.5, 60, 61], \"iscrowd\": 0},"
            + "  {\"id\": 6, \"image_id\": 252219, \"category_id\": 5, \"bbox\": [3, 3, 10, 10], \"iscrowd\": 1},"
            + "  {\"id\": 7, \"image_id\": 87038, \"category_id\": 1, \"bbox\": [4, 2, 8, 6], \"iscrowd\": 0},"
            + "  {\"id\": 8, \"image_id\": 174482, \"category_id\": 5, \"bbox\": [0, 0, 40, 64], \"iscrowd\": 0}]}";
    Path annotations = tmp.resolve("instances.json");
    Files.writeString(annotations, json, StandardCharsets.UTF_8);
    coco = CocoDataset.load(annotations, tmp);
  }

  @Test
  void fitted_everyImageIsSizeBySize() {
    CocoDataset fitted = coco.fitted(SIZE);

    assertThat(fitted.size()).isEqualTo(5);
    for (int i = 0; i < fitted.size(); i++) {
      Image image = fitted.examples().get(i).image();
      assertThat(image.height()).isEqualTo(SIZE);
      assertThat(image.width()).isEqualTo(SIZE);
      assertThat(image.channels()).isEqualTo(coco.examples().get(i).image().channels());
    }
  }

  @Test
  void fitted_wideImage_boxesScaledByFourFifths() {
    CocoDataset fitted = coco.fitted(SIZE);

    // s = 64 / max(40, 80) = 0.8. xywh [10, 5, 30, 20] is xyxy [10, 5, 40, 25] -> [8, 4, 32, 20];
    // [70.5, 30.25, 9.5, 9.75] is xyxy [70.5, 30.25, 80, 40] -> [56.4, 24.2, 64, 32].
    Letterbox letterbox = fitted.letterbox(0);
    assertThat(letterbox.scale()).isCloseTo(0.8, within(1e-12));
    assertThat(letterbox.scaledHeight()).isEqualTo(32);
    assertThat(letterbox.scaledWidth()).isEqualTo(64);
    BoxesTarget target = fitted.examples().get(0).target();
    assertThat(target.boxes())
        .containsExactly(new float[] {8f, 4f, 32f, 20f, 56.4f, 24.2f, 64f, 32f}, within(1e-4f));
    assertThat(target.classes()).containsExactly(1, 2);
  }

  @Test
  void fitted_tallAndSmallImages_boxesScaledByTheirOwnFactor() {
    CocoDataset fitted = coco.fitted(SIZE);

    // Tall 100x50: s = 0.64; xyxy [25, 50, 50, 100] -> [16, 32, 32, 64].
    assertThat(fitted.letterbox(1).scale()).isCloseTo(0.64, within(1e-12));
    assertThat(fitted.examples().get(1).target().boxes())
        .containsExactly(new float[] {16f, 32f, 32f, 64f}, within(1e-4f));
    // Small 16x32: s = 2; xyxy [4, 2, 12, 8] -> [8, 4, 24, 16].
    assertThat(fitted.letterbox(3).scale()).isEqualTo(2.0);
    assertThat(fitted.examples().get(3).target().boxes()).containsExactly(8f, 4f, 24f, 16f);
  }

  @Test
  void fitted_keepsIdsSizesClassesAndOrigins() {
    CocoDataset fitted = coco.fitted(SIZE);

    assertThat(fitted.imageIds()).containsExactly(397133L, 37777L, 252219L, 87038L, 174482L);
    assertThat(fitted.fileNames())
        .containsExactly("wide.png", "tall.png", "square.png", "small.png", "narrow.png");
    assertThat(fitted.classNames()).containsExactly("person", "airplane", "toothbrush");
    assertThat(fitted.categoryIds()).containsExactly(1, 5, 90);
    int[][] sizes = {{40, 80}, {100, 50}, {64, 64}, {16, 32}, {64, 40}};
    for (int i = 0; i < sizes.length; i++) {
      assertThat(fitted.originalHeight(i)).isEqualTo(sizes[i][0]);
      assertThat(fitted.originalWidth(i)).isEqualTo(sizes[i][1]);
      BoxesTarget before = coco.examples().get(i).target();
      BoxesTarget after = fitted.examples().get(i).target();
      assertThat(after.classes()).isEqualTo(before.classes());
      assertThat(after.scores()).isEqualTo(before.scores());
      assertThat(after.weights()).isEqualTo(before.weights());
      assertThat(fitted.examples().get(i).origin()).isEqualTo(coco.examples().get(i).origin());
    }
  }

  @Test
  void fitted_toOriginal_roundTripsEveryBox() {
    CocoDataset fitted = coco.fitted(SIZE);

    for (int i = 0; i < fitted.size(); i++) {
      float[] original = coco.examples().get(i).target().boxes();
      float[] back = fitted.letterbox(i).toOriginal(fitted.examples().get(i).target().boxes());
      assertThat(back).containsExactly(original, within(1e-4f));
      float[] crowdBack = fitted.letterbox(i).toOriginal(fitted.crowd(i).boxes());
      assertThat(crowdBack).containsExactly(coco.crowd(i).boxes(), within(1e-4f));
    }
  }

  @Test
  void fitted_toOriginal_clipsDetectionsInThePadding() {
    Letterbox wide = coco.fitted(SIZE).letterbox(0);

    // [60, 30, 64, 64] / 0.8 = [75, 37.5, 80, 80]; y clipped to the original height 40.
    assertThat(wide.toOriginal(new float[] {60f, 30f, 64f, 64f}))
        .containsExactly(new float[] {75f, 37.5f, 80f, 40f}, within(1e-4f));
    // Wholly in the padding: empty at the bottom edge.
    assertThat(wide.toOriginal(new float[] {10f, 40f, 20f, 50f}))
        .containsExactly(new float[] {12.5f, 40f, 25f, 40f}, within(1e-4f));
  }

  @Test
  void fitted_imageAlreadyAtSize_isUnchanged() {
    CocoDataset fitted = coco.fitted(SIZE);

    assertThat(fitted.letterbox(2).scale()).isEqualTo(1.0);
    assertThat(fitted.examples().get(2).image()).isEqualTo(coco.examples().get(2).image());
    assertThat(fitted.examples().get(2).image()).isEqualTo(pattern(64, 64, 3));
    assertThat(fitted.examples().get(2).target()).isEqualTo(coco.examples().get(2).target());
    assertThat(fitted.crowd(2)).isEqualTo(coco.crowd(2));
  }

  @Test
  void fitted_longerSideAtSize_copiesPixelsAndPadsWithZero() {
    Image image = coco.fitted(SIZE).examples().get(4).image();
    Image original = pattern(64, 40, 3);

    assertThat(coco.fitted(SIZE).letterbox(4).scale()).isEqualTo(1.0);
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        for (int c = 0; c < 3; c++) {
          assertThat(image.get(y, x, c)).isEqualTo(x < 40 ? original.get(y, x, c) : 0);
        }
      }
    }
    assertThat(coco.fitted(SIZE).examples().get(4).target().boxes())
        .containsExactly(0f, 0f, 40f, 64f);
  }

  @Test
  void fitted_resizedPixels_matchHalfPixelBilinear_andPaddingIsZero() {
    CocoDataset fitted = coco.fitted(SIZE);
    int[][] sizes = {{40, 80, 3}, {100, 50, 3}, {16, 32, 1}};
    int[] indices = {0, 1, 3};
    for (int k = 0; k < indices.length; k++) {
      int h = sizes[k][0];
      int w = sizes[k][1];
      int channels = sizes[k][2];
      Image source = pattern(h, w, channels);
      Image image = fitted.examples().get(indices[k]).image();
      int sh = (int) Math.rint(h * (double) SIZE / Math.max(h, w));
      int sw = (int) Math.rint(w * (double) SIZE / Math.max(h, w));
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          for (int c = 0; c < channels; c++) {
            if (y >= sh || x >= sw) {
              assertThat(image.get(y, x, c))
                  .as("padding (%s, %s) of image %s", y, x, indices[k])
                  .isZero();
            } else {
              double expected =
                  bilinear(source, (y + 0.5) * h / sh - 0.5, (x + 0.5) * w / sw - 0.5, c);
              assertThat((double) image.get(y, x, c))
                  .as("pixel (%s, %s, %s) of image %s", y, x, c, indices[k])
                  .isCloseTo(expected, within(1.0));
            }
          }
        }
      }
    }
  }

  /** Exact bilinear interpolation at source coordinates (v, u), edges repeated. */
  private static double bilinear(Image image, double v, double u, int c) {
    v = Math.max(0, Math.min(image.height() - 1, v));
    u = Math.max(0, Math.min(image.width() - 1, u));
    int y0 = (int) Math.floor(v);
    int x0 = (int) Math.floor(u);
    int y1 = Math.min(y0 + 1, image.height() - 1);
    int x1 = Math.min(x0 + 1, image.width() - 1);
    double fy = v - y0;
    double fx = u - x0;
    double top = image.get(y0, x0, c) * (1 - fx) + image.get(y0, x1, c) * fx;
    double bottom = image.get(y1, x0, c) * (1 - fx) + image.get(y1, x1, c) * fx;
    return top * (1 - fy) + bottom * fy;
  }

  @Test
  void fitted_crowdBoxesScaledAndKeptOutOfTargets() {
    CocoDataset fitted = coco.fitted(SIZE);

    // Wide image: crowd xyxy [0, 0, 80, 40] (person) -> [0, 0, 64, 32]; the target has only the two
    // others.
    assertThat(coco.crowd(0).boxes()).containsExactly(0f, 0f, 80f, 40f);
    assertThat(coco.crowd(0).classes()).containsExactly(0);
    assertThat(fitted.crowd(0).boxes())
        .containsExactly(new float[] {0f, 0f, 64f, 32f}, within(1e-4f));
    assertThat(fitted.crowd(0).classes()).containsExactly(0);
    assertThat(coco.examples().get(0).target().size()).isEqualTo(2);
    assertThat(coco.examples().get(0).target().classes()).doesNotContain(0);
    // Square image: crowd [3, 3, 13, 13] (airplane), s = 1.
    assertThat(fitted.crowd(2).boxes()).containsExactly(3f, 3f, 13f, 13f);
    assertThat(fitted.crowd(2).classes()).containsExactly(1);
    assertThat(fitted.crowd(1).size()).isZero();
  }

  @Test
  void fitted_loadedSetLetterboxIsTheIdentity() {
    Letterbox identity = coco.letterbox(0);

    assertThat(identity).isEqualTo(new Letterbox(1, 40, 80));
    assertThat(identity.toOriginal(new float[] {1.25f, 2f, 90f, 41f}))
        .containsExactly(1.25f, 2f, 80f, 40f);
  }

  @Test
  void fitted_nonPositiveSize() {
    assertThatThrownBy(() -> coco.fitted(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size")
        .hasMessageContaining("0");
  }

  @Test
  void fitted_twice() {
    CocoDataset fitted = coco.fitted(SIZE);
    assertThatThrownBy(() -> fitted.fitted(32))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fitted")
        .hasMessageContaining("64");
  }

  @Test
  void fitted_toString_namesTheSize() {
    assertThat(coco.fitted(SIZE).toString())
        .isEqualTo("CocoDataset[5 images, 3 classes, fitted to 64x64]");
    assertThat(coco.toString()).isEqualTo("CocoDataset[5 images, 3 classes]");
  }
}
