package io.selftrain.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The C resize kernel the jar carries for Linux x86-64 loads where the build made it, is refused
 * where it should be, and writes exactly the bytes of the Java loops, including the shapes its SIMD
 * path treats specially: three channels read eight bytes at a time (past the end of the last source
 * row), clamped edge columns, mirrored rows, one-pixel images, outputs wider or taller than the
 * scaled image.
 */
class NativeKernelsTest {
  @Test
  void loadsWhereTheBuildCompiledIt() {
    // The pom's native-kernels profile (Linux x86-64 with gcc) sets selftrain.expectNative.
    assumeTrue(Boolean.getBoolean("selftrain.expectNative"), "built without the native kernels");
    assertThat(NativeKernels.STATUS).isEqualTo("native (linux-x86_64)");
    assertThat(NativeKernels.AVAILABLE).isTrue();
    assertThat(Augmenters.resizeKernels()).isEqualTo("native (linux-x86_64)");
  }

  @Test
  void isRefusedByThePropertyAndOnOtherPlatforms() {
    assertThat(NativeKernels.load("false", "Linux", "amd64"))
        .isEqualTo("java (-Dselftrain.native=false)");
    assertThat(NativeKernels.load("FALSE", "Linux", "amd64"))
        .isEqualTo("java (-Dselftrain.native=false)");
    assertThat(NativeKernels.load(null, "Mac OS X", "aarch64"))
        .isEqualTo("java (no native kernels for Mac OS X/aarch64)");
    assertThat(NativeKernels.load(null, "Linux", "aarch64"))
        .isEqualTo("java (no native kernels for Linux/aarch64)");
    assertThat(NativeKernels.load(null, "Windows 11", "amd64"))
        .isEqualTo("java (no native kernels for Windows 11/amd64)");
  }

  @Test
  void writesTheJavaLoopsBytes_overRandomShapesChannelsAndCrops() {
    assumeTrue(NativeKernels.AVAILABLE, NativeKernels.STATUS);
    ResizeRows plain = ResizeRows.choose(false, null);
    SplittableRandom rng = new SplittableRandom(23);
    for (int trial = 0; trial < 400; trial++) {
      int channels = 1 + rng.nextInt(4);
      int height = trial < 40 ? 1 + rng.nextInt(3) : 1 + rng.nextInt(90);
      int width = trial < 40 ? 1 + rng.nextInt(3) : 1 + rng.nextInt(90);
      byte[] src = new byte[height * width * channels];
      for (int i = 0; i < src.length; i++) {
        src[i] = (byte) rng.nextInt(256);
      }
      int scaledH = 1 + rng.nextInt(2 * height + 20);
      int scaledW = 1 + rng.nextInt(2 * width + 20);
      ResizeCrop p =
          Fixtures.randomResizeCrop(
              rng, scaledH, scaledW, 1 + rng.nextInt(64), 1 + rng.nextInt(64));
      byte fill = (byte) rng.nextInt(256);
      assertThat(Warps.resizeCrop(src, height, width, channels, p, fill))
          .as("trial %s: %sx%sx%s %s", trial, height, width, channels, p)
          .containsExactly(Warps.resizeCrop(src, height, width, channels, p, fill, plain));
    }
  }

  @Test
  void writesTheJavaLoopsBytes_forFullSizeScaleJitter() {
    assumeTrue(NativeKernels.AVAILABLE, NativeKernels.STATUS);
    ResizeRows plain = ResizeRows.choose(false, null);
    SplittableRandom rng = new SplittableRandom(29);
    int size = 640;
    byte[] src = new byte[size * size * 3];
    for (int i = 0; i < src.length; i++) {
      src[i] = (byte) rng.nextInt(256);
    }
    for (double scale : new double[] {0.5, 0.8, 1.0, 1.2, 2.0}) {
      int scaled = (int) Math.rint(size * scale);
      int offset = Math.max(0, scaled - size) / 3;
      for (boolean flip : new boolean[] {false, true}) {
        ResizeCrop p = new ResizeCrop(scaled, scaled, offset, offset, flip, size, size);
        assertThat(Warps.resizeCrop(src, size, size, 3, p, (byte) 128))
            .as("scale %s flip %s", scale, flip)
            .containsExactly(Warps.resizeCrop(src, size, size, 3, p, (byte) 128, plain));
      }
    }
  }
}
