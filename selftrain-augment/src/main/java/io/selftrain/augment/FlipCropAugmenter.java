package io.selftrain.augment;

import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import java.util.SplittableRandom;

/** Pad, random crop, horizontal flip and optional Cutout in one pass over an HWC uint8 buffer. */
final class FlipCropAugmenter implements io.selftrain.Augmenter<ClassTarget> {
  private final FlipCropConfig config;

  FlipCropAugmenter(FlipCropConfig config) {
    this.config = config;
  }

  @Override
  public Example<ClassTarget> augment(Example<ClassTarget> example, SplittableRandom rng) {
    Image in = example.image();
    int pad = config.padding();
    // Parameters are drawn in a fixed order so a seed always yields the same transform.
    int dy = pad == 0 ? 0 : rng.nextInt(2 * pad + 1) - pad;
    int dx = pad == 0 ? 0 : rng.nextInt(2 * pad + 1) - pad;
    boolean flip = config.horizontalFlip() && rng.nextBoolean();
    int cut = config.cutout();
    int cy = cut == 0 ? 0 : rng.nextInt(in.height());
    int cx = cut == 0 ? 0 : rng.nextInt(in.width());
    return example.withImage(apply(in, dy, dx, flip, cy, cx));
  }

  /**
   * Output pixel (y, x) reads input (y + dy, x' + dx) where x' is x or its mirror; pixels that fall
   * outside the input, or inside the Cutout square centred at (cy, cx), take the fill value.
   */
  Image apply(Image in, int dy, int dx, boolean flip, int cy, int cx) {
    int h = in.height();
    int w = in.width();
    int c = in.channels();
    byte[] src = in.pixels();
    byte[] dst = new byte[src.length];
    byte fill = (byte) config.fill();
    int half = config.cutout() / 2;
    int cutY0 = cy - half;
    int cutY1 = cutY0 + config.cutout();
    int cutX0 = cx - half;
    int cutX1 = cutX0 + config.cutout();
    for (int y = 0; y < h; y++) {
      int sy = y + dy;
      boolean rowInside = sy >= 0 && sy < h;
      boolean rowCut = y >= cutY0 && y < cutY1;
      for (int x = 0; x < w; x++) {
        int sx = (flip ? w - 1 - x : x) + dx;
        int o = (y * w + x) * c;
        if (!rowInside || sx < 0 || sx >= w || (rowCut && x >= cutX0 && x < cutX1)) {
          for (int k = 0; k < c; k++) {
            dst[o + k] = fill;
          }
        } else {
          System.arraycopy(src, (sy * w + sx) * c, dst, o, c);
        }
      }
    }
    return Image.of(h, w, c, dst);
  }

  @Override
  public String describe() {
    return (config.horizontalFlip() ? "flip+" : "")
        + "crop(pad="
        + config.padding()
        + ")"
        + (config.cutout() > 0 ? "+cutout(" + config.cutout() + ")" : "");
  }
}
