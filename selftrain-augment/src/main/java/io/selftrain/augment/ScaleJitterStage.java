package io.selftrain.augment;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Flip and scale jitter's draw, following TF {@code random_horizontal_flip} and {@code
 * resize_and_crop_image}: {@code r ~ U(min, max)}, {@code scaled = round(r * output)} (half to
 * even, as {@code tf.round}), {@code scale = min(scaled_h / H, scaled_w / W)}, {@code size =
 * round([H, W] * scale)}, {@code offset = int(max(size - output, 0) * u)}, u uniform per axis.
 */
final class ScaleJitterStage implements Stage {
  private final ScaleJitterConfig config;

  ScaleJitterStage(ScaleJitterConfig config) {
    this.config = config;
  }

  @Override
  public void sample(int[] size, SplittableRandom rng, List<AugmentStep> out) {
    boolean flip = config.horizontalFlip() && rng.nextDouble() < 0.5;
    double r = config.minScale() + (config.maxScale() - config.minScale()) * rng.nextDouble();
    int outH = config.outputHeight();
    int outW = config.outputWidth();
    double scale = Math.min(Math.rint(r * outH) / size[0], Math.rint(r * outW) / size[1]);
    int scaledH = Math.max(1, (int) Math.rint(size[0] * scale));
    int scaledW = Math.max(1, (int) Math.rint(size[1] * scale));
    int offY = (int) (Math.max(scaledH - outH, 0) * rng.nextDouble());
    int offX = (int) (Math.max(scaledW - outW, 0) * rng.nextDouble());
    out.add(new ResizeCrop(scaledH, scaledW, offY, offX, flip, outH, outW));
    size[0] = outH;
    size[1] = outW;
  }

  @Override
  public String describe() {
    return (config.horizontalFlip() ? "flip+" : "")
        + "jitter("
        + config.minScale()
        + "-"
        + config.maxScale()
        + ")+crop("
        + config.outputHeight()
        + "x"
        + config.outputWidth()
        + ")";
  }
}
