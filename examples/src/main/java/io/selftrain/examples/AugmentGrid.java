package io.selftrain.examples;

import io.selftrain.BoxesTarget;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.Target;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Draws examples as a grid of square cells, one row per list, with their targets on top, for
 * looking at what an augmentation policy does.
 *
 * <ul>
 *   <li>Pixels are scaled to the cell nearest-neighbour, so every source pixel stays visible as a
 *       block.
 *   <li>{@link BoxesTarget}: each box as a one-pixel rectangle in its class's colour ({@link
 *       #classColour}), with the class name on a tag of that colour above the box (inside it when
 *       there is no room above).
 *   <li>{@link MaskTarget}: class pixels ({@code 1..254}, class {@code value - 1}) tinted half-way
 *       towards the colour of their class, the class's outline in the full colour; ignored pixels
 *       ({@value MaskTarget#IGNORE}) as a white and magenta checkerboard of {@value #CHECKER} px
 *       squares.
 *   <li>{@link ClassTarget}: the class name in the top-left corner, in the class's colour.
 * </ul>
 *
 * Cells are separated and framed by {@value #GAP} px of dark grey, so a grid of {@code r} rows,
 * {@code c} columns and cell side {@code s} is {@code c * s + (c + 1) * GAP} wide and {@code r * s
 * + (r + 1) * GAP} high.
 */
final class AugmentGrid {
  /** Space between and around cells, in pixels. */
  static final int GAP = 4;

  /** Side of one square of the ignore checkerboard, in pixels. */
  static final int CHECKER = 4;

  /** The colour of the space between cells. */
  static final Color BACKGROUND = new Color(40, 40, 40);

  /**
   * Class colours: saturated, distinct, none grey, and neither white nor magenta (the ignore
   * pattern).
   */
  private static final Color[] PALETTE = {
    new Color(230, 25, 75),
    new Color(60, 180, 75),
    new Color(255, 225, 25),
    new Color(0, 130, 200),
    new Color(245, 130, 48),
    new Color(145, 30, 180),
    new Color(70, 240, 240),
    new Color(210, 245, 60),
    new Color(0, 128, 128),
    new Color(170, 110, 40),
  };

  private static final int IGNORE_LIGHT = 0xFFFFFF;
  private static final int IGNORE_DARK = 0xFF00FF;

  private AugmentGrid() {}

  /**
   * The colour boxes, mask overlays and labels of a class are drawn in.
   *
   * @param classIndex the class, non-negative
   * @return its colour (the palette repeats after 10 classes)
   */
  static Color classColour(int classIndex) {
    return PALETTE[classIndex % PALETTE.length];
  }

  /**
   * Renders the grid.
   *
   * @param rows one list of examples per row, all of the same length
   * @param cellSize the side of a cell in pixels
   * @param classNames names for class labels, in class order
   * @return an RGB image
   */
  static BufferedImage render(
      List<? extends List<? extends Example<? extends Target>>> rows,
      int cellSize,
      List<String> classNames) {
    int cols = rows.get(0).size();
    int width = cols * cellSize + (cols + 1) * GAP;
    int height = rows.size() * cellSize + (rows.size() + 1) * GAP;
    BufferedImage grid = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = grid.createGraphics();
    try {
      g.setColor(BACKGROUND);
      g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
      for (int r = 0; r < rows.size(); r++) {
        List<? extends Example<? extends Target>> row = rows.get(r);
        for (int c = 0; c < row.size(); c++) {
          int left = GAP + c * (cellSize + GAP);
          int top = GAP + r * (cellSize + GAP);
          drawCell(grid, g, row.get(c), left, top, cellSize, classNames);
        }
      }
    } finally {
      g.dispose();
    }
    return grid;
  }

  private static void drawCell(
      BufferedImage grid,
      Graphics2D g,
      Example<? extends Target> example,
      int left,
      int top,
      int size,
      List<String> classNames) {
    Image image = example.image();
    Target target = example.target();
    MaskTarget mask = target instanceof MaskTarget m ? m : null;
    for (int cy = 0; cy < size; cy++) {
      int y = cy * image.height() / size;
      for (int cx = 0; cx < size; cx++) {
        int x = cx * image.width() / size;
        grid.setRGB(left + cx, top + cy, pixel(image, mask, y, x, cx, cy));
      }
    }
    Graphics2D cell = (Graphics2D) g.create(left, top, size, size);
    try {
      if (target instanceof BoxesTarget boxes) {
        drawBoxes(
            cell, boxes, size / (double) image.width(), size / (double) image.height(), classNames);
      } else if (target instanceof ClassTarget label) {
        drawTag(cell, label.classIndex(), classNames, 0, 0);
      }
    } finally {
      cell.dispose();
    }
  }

  /** The cell colour of source pixel (y, x), with the mask overlay when there is a mask. */
  private static int pixel(Image image, MaskTarget mask, int y, int x, int cx, int cy) {
    int rgb =
        image.channels() == 1
            ? grey(image.get(y, x, 0))
            : (image.get(y, x, 0) << 16) | (image.get(y, x, 1) << 8) | image.get(y, x, 2);
    if (mask == null) {
      return rgb;
    }
    int value = mask.get(y, x);
    if (value == 0) {
      return rgb;
    }
    if (value == MaskTarget.IGNORE) {
      return (cx / CHECKER + cy / CHECKER) % 2 == 0 ? IGNORE_LIGHT : IGNORE_DARK;
    }
    int colour = classColour(value - 1).getRGB() & 0xFFFFFF;
    if (outline(mask, y, x, value)) {
      return colour;
    }
    int red = (((rgb >> 16) & 0xFF) + ((colour >> 16) & 0xFF)) / 2;
    int green = (((rgb >> 8) & 0xFF) + ((colour >> 8) & 0xFF)) / 2;
    int blue = ((rgb & 0xFF) + (colour & 0xFF)) / 2;
    return (red << 16) | (green << 8) | blue;
  }

  /**
   * @return whether a 4-neighbour of (y, x) inside the mask has another value
   */
  private static boolean outline(MaskTarget mask, int y, int x, int value) {
    return (y > 0 && mask.get(y - 1, x) != value)
        || (y < mask.height() - 1 && mask.get(y + 1, x) != value)
        || (x > 0 && mask.get(y, x - 1) != value)
        || (x < mask.width() - 1 && mask.get(y, x + 1) != value);
  }

  private static int grey(int v) {
    return (v << 16) | (v << 8) | v;
  }

  private static void drawBoxes(
      Graphics2D cell, BoxesTarget target, double scaleX, double scaleY, List<String> classNames) {
    float[] boxes = target.boxes();
    int[] classes = target.classes();
    for (int k = 0; k < classes.length; k++) {
      int x1 = (int) Math.floor(boxes[4 * k] * scaleX);
      int y1 = (int) Math.floor(boxes[4 * k + 1] * scaleY);
      int x2 = (int) Math.ceil(boxes[4 * k + 2] * scaleX);
      int y2 = (int) Math.ceil(boxes[4 * k + 3] * scaleY);
      cell.setColor(classColour(classes[k]));
      // The rectangle runs along the box's outermost pixels: columns x1..x2-1, rows y1..y2-1.
      cell.drawRect(x1, y1, Math.max(0, x2 - x1 - 1), Math.max(0, y2 - y1 - 1));
    }
    for (int k = 0; k < classes.length; k++) {
      int x1 = (int) Math.floor(boxes[4 * k] * scaleX);
      int y1 = (int) Math.floor(boxes[4 * k + 1] * scaleY);
      int tagHeight = cell.getFontMetrics().getHeight();
      drawTag(cell, classes[k], classNames, x1, y1 >= tagHeight ? y1 - tagHeight : y1);
    }
  }

  /** A class name in black on a tag of the class's colour, its top-left corner at (x, y). */
  private static void drawTag(
      Graphics2D cell, int classIndex, List<String> classNames, int x, int y) {
    String name =
        classIndex < classNames.size() ? classNames.get(classIndex) : Integer.toString(classIndex);
    FontMetrics metrics = cell.getFontMetrics();
    cell.setColor(classColour(classIndex));
    cell.fillRect(x, y, metrics.stringWidth(name) + 3, metrics.getHeight());
    cell.setColor(Color.BLACK);
    cell.drawString(name, x + 2, y + metrics.getAscent());
  }
}
