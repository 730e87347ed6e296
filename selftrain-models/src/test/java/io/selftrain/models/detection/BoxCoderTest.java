package io.selftrain.models.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class BoxCoderTest {

  @Test
  void encode_handComputed() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray anchor = manager.create(new float[] {0, 0, 10, 10}, new Shape(1, 4));
      NDArray box = manager.create(new float[] {5, 5, 25, 15}, new Shape(1, 4));
      // centre (15, 10) vs (5, 5); size 20 x 10 vs 10 x 10
      float[] code = BoxCoder.encode(box, anchor).toFloatArray();
      assertThat(code[0]).isCloseTo(1f, within(1e-6f));
      assertThat(code[1]).isCloseTo(0.5f, within(1e-6f));
      assertThat(code[2]).isCloseTo((float) Math.log(2), within(1e-6f));
      assertThat(code[3]).isCloseTo(0f, within(1e-6f));
    }
  }

  @Test
  void decode_encode_roundTrip() {
    Engine.getEngine("PyTorch").setRandomSeed(2);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray anchors = Anchors.generate(manager, AnchorConfig.retinaNet(), 128, 128);
      long n = anchors.getShape().get(0);
      NDArray xy = manager.randomUniform(0f, 100f, new Shape(n, 2));
      NDArray wh = manager.randomUniform(1f, 80f, new Shape(n, 2));
      NDArray boxes = xy.concat(xy.add(wh), 1);
      NDArray back = BoxCoder.decode(BoxCoder.encode(boxes, anchors), anchors);
      assertThat(back.getShape()).isEqualTo(boxes.getShape());
      float maxError = back.sub(boxes).abs().max().getFloat();
      assertThat(maxError).isLessThan(1e-3f);
    }
  }

  @Test
  void encode_broadcastsOverBatch() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray anchors = manager.create(new float[] {0, 0, 10, 10, 0, 0, 20, 20}, new Shape(2, 4));
      NDArray boxes =
          manager.create(
              new float[] {0, 0, 10, 10, 0, 0, 10, 10, 0, 0, 20, 20, 0, 0, 20, 20},
              new Shape(2, 2, 4));
      NDArray codes = BoxCoder.encode(boxes, anchors);
      assertThat(codes.getShape()).isEqualTo(new Shape(2, 2, 4));
      float[] c = codes.toFloatArray();
      assertThat(c[2]).isCloseTo(0f, within(1e-6f)); // box 0 on anchor 0
      assertThat(c[6]).isCloseTo((float) Math.log(0.5), within(1e-6f)); // box 0 on anchor 1
      assertThat(c[10]).isCloseTo((float) Math.log(2), within(1e-6f)); // batch 1 box 0 on anchor 0
    }
  }

  @Test
  void encode_lastAxisNotFour() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray bad = manager.zeros(new Shape(2, 3));
      assertThatThrownBy(() -> BoxCoder.encode(bad, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("boxes")
          .hasMessageContaining("(2, 3)");
    }
  }
}
