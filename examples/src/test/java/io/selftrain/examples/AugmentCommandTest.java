package io.selftrain.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selftrain.BoxesTarget;
import io.selftrain.core.data.ImageDatasets;
import io.selftrain.core.data.Scene;
import io.selftrain.core.data.SceneBuilder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AugmentCommandTest {
  private static final int SIZE = 64;
  private static final int ROWS = 2;
  private static final int COLS = 3;

  @TempDir Path tmp;

  private BufferedImage render(String policy, String task) throws IOException {
    Path out = tmp.resolve(task + "-" + policy + ".png");
    AugmentCommand.run(
        List.of(
            "--policy",
            policy,
            "--task",
            task,
            "--seed",
            "3",
            "--out",
            out.toString(),
            "--rows",
            Integer.toString(ROWS),
            "--cols",
            Integer.toString(COLS),
            "--size",
            Integer.toString(SIZE)));
    assertThat(out).isRegularFile();
    BufferedImage grid = ImageIO.read(out.toFile());
    assertThat(grid.getWidth()).isEqualTo(COLS * SIZE + (COLS + 1) * AugmentGrid.GAP);
    assertThat(grid.getHeight()).isEqualTo(ROWS * SIZE + (ROWS + 1) * AugmentGrid.GAP);
    return grid;
  }

  private static int count(BufferedImage grid, int left, int top, int width, int height, int rgb) {
    int n = 0;
    for (int y = top; y < top + height; y++) {
      for (int x = left; x < left + width; x++) {
        n += (grid.getRGB(x, y) & 0xFFFFFF) == rgb ? 1 : 0;
      }
    }
    return n;
  }

  private static int colour(int classIndex) {
    return AugmentGrid.classColour(classIndex).getRGB() & 0xFFFFFF;
  }

  /**
   * The original cell of row 0 shows scene 0: its first box's left and right edges are drawn in its
   * class colour.
   */
  @Test
  void run_detection_drawsTheScenesBoxes() throws IOException {
    BufferedImage grid = render("S2", "detection");
    Scene scene =
        SceneBuilder.of(
                ImageDatasets.fashionMnist(null).test(), AugmentCommand.sceneConfig(3, SIZE))
            .scene(0);
    BoxesTarget boxes = scene.boxes();
    assertThat(boxes.size()).isPositive();
    float[] b = boxes.boxes();
    int colour = colour(boxes.classes()[0]);
    int x1 = (int) b[0];
    int x2 = (int) b[2] - 1;
    int y1 = (int) b[1];
    int y2 = (int) b[3] - 1;
    int g = AugmentGrid.GAP;
    // Row y2 is the bottom edge, never under a tag (tags sit above a box or on its top rows).
    assertThat(count(grid, g + x1, g + y2, x2 - x1 + 1, 1, colour))
        .isGreaterThan((x2 - x1 + 1) / 2);
    // Every cell, augmented ones included, shows some box or tag colour of the palette.
    List<Integer> palette = new ArrayList<>();
    for (int c = 0; c < 10; c++) {
      palette.add(colour(c));
    }
    for (int col = 0; col < COLS; col++) {
      int left = g + col * (SIZE + g);
      int found = 0;
      for (int rgb : palette) {
        found += count(grid, left, g, SIZE, SIZE, rgb);
      }
      assertThat(found).as("palette pixels in cell (0, %s)", col).isGreaterThan(10);
    }
  }

  @Test
  void run_segmentation_outlinesMaskClasses() throws IOException {
    BufferedImage grid = render("S4", "segmentation");
    Scene scene =
        SceneBuilder.of(
                ImageDatasets.fashionMnist(null).test(), AugmentCommand.sceneConfig(3, SIZE))
            .scene(0);
    int colour = colour(scene.boxes().classes()[0]);

    assertThat(count(grid, AugmentGrid.GAP, AugmentGrid.GAP, SIZE, SIZE, colour)).isGreaterThan(10);
  }

  @Test
  void run_classification_labelsEachCell() throws IOException {
    BufferedImage grid = render("S1", "classification");
    int g = AugmentGrid.GAP;
    int found = 0;
    for (int c = 0; c < 10; c++) {
      found += count(grid, g, g, SIZE, 14, colour(c));
    }
    assertThat(found).isGreaterThan(20);
  }

  @Test
  void run_sameSeed_sameGrid() throws IOException {
    Path first = tmp.resolve("a.png");
    Path second = tmp.resolve("b.png");
    for (Path out : List.of(first, second)) {
      AugmentCommand.run(
          List.of(
              "--policy",
              "S3",
              "--task",
              "detection",
              "--out",
              out.toString(),
              "--rows",
              "1",
              "--cols",
              "3",
              "--size",
              "64"));
    }
    assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
  }

  @Test
  void run_unknownPolicy() {
    assertThatThrownBy(
            () ->
                AugmentCommand.run(
                    List.of("--policy", "S5", "--task", "detection", "--out", "x.png")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--policy")
        .hasMessageContaining("[S1, S2, S3, S4]")
        .hasMessageContaining("S5");
  }

  @Test
  void run_unknownTask() {
    assertThatThrownBy(
            () -> AugmentCommand.run(List.of("--policy", "S1", "--task", "pose", "--out", "x.png")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--task")
        .hasMessageContaining("pose");
  }

  @Test
  void run_missingOut() {
    assertThatThrownBy(() -> AugmentCommand.run(List.of("--policy", "S1", "--task", "detection")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--out");
  }

  @Test
  void run_sceneTooSmall() {
    Path out = tmp.resolve("small.png");
    assertThatThrownBy(
            () ->
                AugmentCommand.run(
                    List.of(
                        "--policy",
                        "S1",
                        "--task",
                        "segmentation",
                        "--size",
                        "40",
                        "--out",
                        out.toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--size")
        .hasMessageContaining("40");
    assertThat(out).doesNotExist();
  }

  @Test
  void run_zeroRows() {
    assertThatThrownBy(
            () ->
                AugmentCommand.run(
                    List.of(
                        "--policy", "S1", "--task", "detection", "--rows", "0", "--out", "x.png")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--rows")
        .hasMessageContaining("0");
  }
}
