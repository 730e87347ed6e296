package io.selftrain.models.segmentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SegmentationUpsamplingTest {

  @Test
  void resize_twoSamplesToFour_halfPixelCentres() {
    // PyTorch interpolate(size=4, mode="bilinear", align_corners=False) of [0, 1]
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray x = manager.create(new float[] {0, 1}, new Shape(1, 1, 1, 2));
      assertThat(Bilinear.resize(x, 1, 4).toFloatArray()).containsExactly(0f, 0.25f, 0.75f, 1f);
    }
  }

  @ParameterizedTest
  @CsvSource({"5, 7, 10, 14", "3, 3, 8, 8", "1, 1, 4, 4", "8, 6, 3, 4", "2, 5, 16, 5"})
  void resize_matchesPerPixelFormula(int inH, int inW, int outH, int outW) {
    Engine.getEngine("PyTorch").setRandomSeed(inH * 31 + outW);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Shape shape = new Shape(2, 3, inH, inW);
      NDArray x = manager.randomNormal(shape);
      float[] in = x.toFloatArray();
      NDArray y = Bilinear.resize(x, outH, outW);
      assertThat(y.getShape()).isEqualTo(new Shape(2, 3, outH, outW));
      float[] out = y.toFloatArray();
      for (int plane = 0; plane < 6; plane++) {
        for (int i = 0; i < outH; i++) {
          for (int j = 0; j < outW; j++) {
            float expected = sample(in, plane * inH * inW, inH, inW, i, j, outH, outW);
            assertThat(out[(plane * outH + i) * outW + j])
                .as("plane %s (%s, %s)", plane, i, j)
                .isCloseTo(expected, within(1e-5f));
          }
        }
      }
    }
  }

  @Test
  void resize_isDifferentiable() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray x = manager.randomNormal(new Shape(1, 2, 3, 3));
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        gc.backward(Bilinear.resize(x, 12, 12).sum());
      }
      // every output cell's weights sum to 1, so each input receives its share of 144 outputs: 144
      // / 9 = 16
      assertThat(x.getGradient().sum().getFloat()).isCloseTo(2 * 144f, within(1e-3f));
      assertThat(x.getGradient().min().getFloat()).isGreaterThan(0f);
    }
  }

  @Test
  void fuse_sumsEveryLevelResizedToLevel2() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDList pyramid = new NDList();
      long[] sizes = {8, 4, 2, 1, 1};
      for (long s : sizes) {
        pyramid.add(manager.randomNormal(new Shape(2, 3, s, s)));
      }
      NDArray fused = SegmentationBlock.fuse(pyramid);
      assertThat(fused.getShape()).isEqualTo(new Shape(2, 3, 16, 16));
      NDArray expected = manager.zeros(new Shape(2, 3, 16, 16));
      for (NDArray level : pyramid) {
        expected = expected.add(Bilinear.resize(level, 16, 16));
      }
      assertThat(fused.toFloatArray()).containsExactly(expected.toFloatArray());
      // a 1x1 level contributes a constant
      NDArray p7 = pyramid.get(4);
      assertThat(Bilinear.resize(p7, 16, 16).sub(p7).abs().max().getFloat()).isLessThan(1e-6f);
    }
  }

  /**
   * Bilinear sample of one plane, written from the definition independently of {@link
   * Bilinear#matrix}: source coordinate {@code (i + 0.5) * in / out - 0.5}, the two neighbours
   * clamped into the image (TF2 {@code resize_bilinear} with half-pixel centres: lower {@code
   * max(floor(src), 0)}, upper {@code min(ceil(src), in - 1)}, weight {@code src - floor(src)}).
   */
  private static float sample(
      float[] x, int offset, int inH, int inW, int i, int j, int outH, int outW) {
    double sy = (i + 0.5) * inH / outH - 0.5;
    double sx = (j + 0.5) * inW / outW - 0.5;
    int y0 = Math.max((int) Math.floor(sy), 0);
    int y1 = Math.min((int) Math.ceil(sy), inH - 1);
    int x0 = Math.max((int) Math.floor(sx), 0);
    int x1 = Math.min((int) Math.ceil(sx), inW - 1);
    double ty = sy - Math.floor(sy);
    double tx = sx - Math.floor(sx);
    double top = x[offset + y0 * inW + x0] * (1 - tx) + x[offset + y0 * inW + x1] * tx;
    double bottom = x[offset + y1 * inW + x0] * (1 - tx) + x[offset + y1 * inW + x1] * tx;
    return (float) (top * (1 - ty) + bottom * ty);
  }
}
