package io.selftrain.core;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import io.selftrain.augment.TorchConvolutions;

/**
 * {@link OneDnnOffTest}'s child JVM: prints {@code before <status>} (switching oneDNN off before
 * PyTorch is loaded), loads the PyTorch engine through {@link Engines}, prints {@code status
 * <oneDnnStatus>}, then {@code nan <k>}: how many of 100 backward passes of a 3x3 convolution with
 * 8 channels on 7, 14 and 28 pixel sides (the case libtorch 2.7.1's AVX-512 oneDNN kernels get
 * wrong, at random: on an affected CPU, uncapped, 0 to 2 passes in 100 here, up to 41 in 100 in
 * other sequences) gave a NaN input gradient.
 */
final class OneDnnOffChild {
  private OneDnnOffChild() {}

  public static void main(String[] args) {
    System.out.println("before " + TorchConvolutions.disableOneDnn());
    Engine engine = Engines.load(Engines.PYTORCH);
    System.out.println("status " + Engines.oneDnnStatus());
    engine.setRandomSeed(1);
    int nan = 0;
    try (NDManager manager = engine.newBaseManager()) {
      for (int pass = 0; pass < 100; pass++) {
        try (NDManager step = manager.newSubManager()) {
          int side = 7 << (pass % 3);
          NDArray weight = step.randomNormal(new Shape(8, 8, 3, 3)).mul(0.1f);
          NDArray x = step.randomNormal(new Shape(16, 8, side, side));
          x.setRequiresGradient(true);
          try (GradientCollector collector = engine.newGradientCollector()) {
            NDArray y =
                Conv2d.conv2d(x, weight, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                    .get(0);
            NDArray kept =
                step.randomUniform(0, 1, y.getShape()).lt(0.7f).toType(DataType.FLOAT32, false);
            collector.backward(y.mul(kept).mul(step.randomNormal(y.getShape())).sum());
          }
          if (x.getGradient().isNaN().any().getBoolean()) {
            nan++;
          }
        }
      }
    }
    System.out.println("nan " + nan);
  }
}
