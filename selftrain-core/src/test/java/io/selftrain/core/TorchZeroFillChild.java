package io.selftrain.core;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import io.selftrain.augment.TorchAllocations;

/**
 * {@link TorchZeroFillTest}'s child JVM. Prints {@code before <status>} (zero-filling before
 * PyTorch is loaded), loads the PyTorch engine through {@link Engines} and prints {@code status
 * <allocationStatus>}; then {@code reused <sum>}: the sum of an uninitialised tensor allocated
 * right after a tensor of ones of the same size was freed; then {@code nan <k>}: how many of 90
 * backward passes of 3x3 convolutions with 8 and 12 channels on 7, 14 and 28 pixel sides (cases
 * where libtorch 2.7.1's oneDNN reads memory it never wrote, on some CPUs) gave a NaN input
 * gradient.
 */
final class TorchZeroFillChild {
  private TorchZeroFillChild() {}

  public static void main(String[] args) {
    System.out.println("before " + TorchAllocations.zeroFill());
    Engine engine = Engines.load(Engines.PYTORCH);
    System.out.println("status " + Engines.allocationStatus());
    engine.setRandomSeed(1);
    try (NDManager manager = engine.newBaseManager()) {
      Shape shape = new Shape(1024); // small enough for glibc to reuse the freed block
      try (NDManager first = manager.newSubManager()) {
        first.ones(shape).sum().getFloat();
      }
      try (NDManager second = manager.newSubManager()) {
        System.out.println("reused " + second.create(shape).sum().getFloat());
      }
      int nan = 0;
      for (int pass = 0; pass < 90; pass++) {
        try (NDManager step = manager.newSubManager()) {
          int channels = pass % 2 == 0 ? 8 : 12;
          int side = 7 << (pass % 3);
          NDArray weight = step.randomNormal(new Shape(channels, channels, 3, 3)).mul(0.1f);
          NDArray x = step.randomNormal(new Shape(16, channels, side, side));
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
      System.out.println("nan " + nan);
    }
  }
}
