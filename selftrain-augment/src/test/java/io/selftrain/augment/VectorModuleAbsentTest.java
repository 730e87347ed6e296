package io.selftrain.augment;

import static org.assertj.core.api.Assertions.assertThat;

import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Origin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without {@code --add-modules jdk.incubator.vector} and with the native kernel refused ({@code
 * -Dselftrain.native=false}) the augment module still loads and resizes, with the plain Java loops,
 * to the same pixels as this test JVM (native kernel where built, vectorised loops otherwise).
 */
class VectorModuleAbsentTest {
  /**
   * Entry point of the child JVM: writes its resize loops and the S1 output's hash to the file
   * {@code args[0]}.
   */
  public static void main(String[] args) throws IOException {
    Files.writeString(Path.of(args[0]), Augmenters.resizeKernels() + " " + s1Hash());
  }

  /** Augment-S1 at 96x96 on a fixed random RGB image, hashed. */
  static int s1Hash() {
    SplittableRandom rng = new SplittableRandom(3);
    byte[] pixels = new byte[120 * 100 * 3];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) rng.nextInt(256);
    }
    Example<ClassTarget> example =
        new Example<>(Image.of(120, 100, 3, pixels), ClassTarget.index(0, 2), Origin.HUMAN);
    PolicyAugmenter<ClassTarget> s1 =
        Augmenters.policy(AugmentPolicy.S1, Task.CLASSIFICATION, 96, 96);
    int hash = 0;
    for (int i = 0; i < 20; i++) {
      hash =
          31 * hash
              + Arrays.hashCode(s1.augment(example, new SplittableRandom(i)).image().pixels());
    }
    return hash;
  }

  @TempDir Path tmp;

  @Test
  void childJvmWithoutTheModuleOrNativeKernel_usesPlainLoops_andGetsTheSamePixels()
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-D" + NativeKernels.PROPERTY + "=false",
                    "-cp",
                    System.getProperty("java.class.path"),
                    getClass().getName(),
                    tmp.resolve("answer").toString()))
            .redirectErrorStream(true)
            .start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
    String log = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(child.exitValue()).as("child JVM output: %s", log).isZero();
    assertThat(Augmenters.vectorized()).isTrue();
    assertThat(Files.readString(tmp.resolve("answer")))
        .isEqualTo("scalar (-Dselftrain.native=false) " + s1Hash());
  }
}
