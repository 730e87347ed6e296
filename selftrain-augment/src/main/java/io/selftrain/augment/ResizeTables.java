package io.selftrain.augment;

/**
 * Where each output value of {@link Warps#resizeCrop} reads from, computed once per call in float64
 * and shared by the Java loops and the native kernel ({@link NativeKernels}), so the two differ
 * only in integer loops: per output column inside the scaled image, the byte offsets of the left
 * and right samples in a source row and the weight of the right one; per output row inside it, the
 * upper and lower source rows and the weight of the lower one.
 */
final class ResizeTables {
  /** Output columns inside the scaled image (a prefix: source columns grow with x). */
  final int insideWidth;

  /** Per inside column, the byte offset in a source row of the left sample. */
  final int[] x0;

  /** Per inside column, the byte offset of the right sample (the left one at the clamped edge). */
  final int[] x1;

  /** Per inside column, the weight of the right sample in [0, 256] ({@link Warps#weight}). */
  final int[] wx;

  /** Output rows inside the scaled image (a prefix: source rows grow with y). */
  final int insideHeight;

  /** Per inside row, three ints: upper source row, lower source row, weight of the lower one. */
  final int[] rows;

  private ResizeTables(int insideWidth, int insideHeight) {
    this.insideWidth = insideWidth;
    this.x0 = new int[insideWidth];
    this.x1 = new int[insideWidth];
    this.wx = new int[insideWidth];
    this.insideHeight = insideHeight;
    this.rows = new int[3 * insideHeight];
  }

  /**
   * The tables of a resize-and-crop of a {@code height x width} image with {@code channels} samples
   * per pixel: half-pixel centres, edge pixels repeated, mirrored columns when {@code p.flip()}.
   */
  static ResizeTables of(int height, int width, int channels, ResizeCrop p) {
    double sy = (double) height / p.scaledHeight();
    double sx = (double) width / p.scaledWidth();
    int insideW = Math.max(0, Math.min(p.outputWidth(), p.scaledWidth() - p.offsetX()));
    int insideH = Math.max(0, Math.min(p.outputHeight(), p.scaledHeight() - p.offsetY()));
    ResizeTables t = new ResizeTables(insideW, insideH);
    for (int x = 0; x < insideW; x++) {
      double u = (x + p.offsetX() + 0.5) * sx - 0.5;
      if (p.flip()) {
        u = width - 1 - u;
      }
      u = Math.max(0, Math.min(width - 1, u));
      int lo = (int) Math.floor(u);
      t.x0[x] = lo * channels;
      t.x1[x] = Math.min(lo + 1, width - 1) * channels;
      t.wx[x] = Warps.weight(u - lo);
    }
    for (int y = 0; y < insideH; y++) {
      double v = Math.max(0, Math.min(height - 1, (y + p.offsetY() + 0.5) * sy - 0.5));
      int lo = (int) Math.floor(v);
      t.rows[3 * y] = lo;
      t.rows[3 * y + 1] = Math.min(lo + 1, height - 1);
      t.rows[3 * y + 2] = Warps.weight(v - lo);
    }
    return t;
  }
}
