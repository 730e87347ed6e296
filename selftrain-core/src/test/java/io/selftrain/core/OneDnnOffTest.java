package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.selftrain.augment.Augmenters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Loading the PyTorch engine through {@link Engines} switches libtorch's oneDNN convolutions off
 * (they return NaN gradients at random on some CPUs); checked in a fresh JVM, where nothing else
 * switched it off before.
 */
class OneDnnOffTest {
  @Test
  void loadingPyTorch_switchesOneDnnOff_andTheConvolutionBackwardHasNoNaN()
      throws IOException, InterruptedException {
    assumeTrue(Augmenters.resizeKernels().startsWith("native"), "built without the native library");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1",
                "-cp",
                System.getProperty("java.class.path"),
                OneDnnOffChild.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    List<String> lines = output.lines().toList();
    assertThat(lines)
        .contains(
            "before oneDNN left on: no libtorch_cpu.so is loaded in this process",
            "status oneDNN off",
            "nan 0");
  }
}
