package io.selftrain.core;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.selftrain.augment.TorchAllocations;
import io.selftrain.augment.TorchMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link TorchZeroFillTest}'s child JVM. Prints {@code before <status>} (zero-filling before
 * PyTorch is loaded), loads the PyTorch engine through {@link Engines} and prints {@code status
 * <allocationStatus>}; then {@code reused <sum>}: the sum of an uninitialised tensor allocated
 * right after a tensor of ones of the same size was freed; the same for a 4 MiB tensor, which
 * selftrain's cache of freed blocks ({@link TorchMemoryCache}) hands back: {@code large block
 * reused <true|false>} (the same address), {@code large reused sum <sum>} and {@code cache hit
 * <true|false>}; then {@code nan <k>}: how many of 90 backward passes of 3x3 convolutions with 8
 * and 12 channels on 7, 14 and 28 pixel sides (cases where libtorch 2.7.1's oneDNN reads memory it
 * never wrote, on some CPUs) gave a NaN input gradient; last {@code huge page advice <true|false>}:
 * whether the memory of a 64 MiB tensor is advised to be backed by huge pages, as libtorch does
 * when it was asked for them.
 */
final class TorchZeroFillChild {
  private TorchZeroFillChild() {}

  public static void main(String[] args) throws IOException {
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
      // 4 MiB: above glibc's reuse of small blocks, so only selftrain's cache hands it back.
      Shape large = new Shape(1 << 20);
      long firstAddress;
      long hitsBefore = TorchMemory.counters()[0];
      try (NDManager first = manager.newSubManager()) {
        NDArray ones = first.ones(large);
        firstAddress = address(ones);
        ones.sum().getFloat();
      }
      try (NDManager second = manager.newSubManager()) {
        NDArray again = second.create(large);
        System.out.println("large block reused " + (address(again) == firstAddress));
        System.out.println("large reused sum " + again.sum().getFloat());
      }
      System.out.println("cache hit " + (TorchMemory.counters()[0] > hitsBefore));
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
      // Asked for huge pages, libtorch advises the kernel to back each allocation of 2 MiB or more
      // with them (madvise MADV_HUGEPAGE), which /proc/self/smaps shows as the flag "hg".
      NDArray huge = manager.zeros(new Shape(16 << 20), DataType.FLOAT32); // 64 MiB
      System.out.println("huge page advice " + hugePageAdvice(address(huge)));
    }
  }

  /** Where the array's data lies in memory. */
  private static long address(NDArray array) {
    return Pointer.nativeValue(Native.getDirectBufferPointer(array.toByteBuffer(true)));
  }

  /** Whether the mapping that holds {@code address} carries the huge-page advice ("hg"). */
  private static boolean hugePageAdvice(long address) throws IOException {
    List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
    boolean inside = false;
    for (String line : lines) {
      int dash = line.indexOf('-');
      int space = line.indexOf(' ');
      if (dash > 0 && space > dash && line.substring(0, dash).matches("[0-9a-f]+")) {
        long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
        long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
        inside =
            Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
      } else if (inside && line.startsWith("VmFlags:")) {
        return (line + " ").contains(" hg ");
      }
    }
    throw new IllegalStateException("no mapping holds address " + Long.toHexString(address));
  }
}
