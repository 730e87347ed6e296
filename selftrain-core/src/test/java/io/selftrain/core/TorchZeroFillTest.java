package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.selftrain.augment.Augmenters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Loading the PyTorch engine through {@link Engines} makes libtorch zero-fill its CPU allocations
 * (its oneDNN convolution backward reads memory it never wrote on some CPUs) and back large ones
 * with huge pages ({@link TorchHugePages}); checked in a fresh JVM, where nothing switched either
 * on before, and keep freed blocks for reuse, handing them back zero-filled ({@link
 * TorchMemoryCache}). The child's environment is cleared of THP_MEM_ALLOC_ENABLE, which would be
 * kept.
 */
class TorchZeroFillTest {
  @Test
  void loadingPyTorch_zeroFillsItsAllocations_asksForHugePages_reusesBlocks_andTheBackwardHasNoNaN()
      throws IOException, InterruptedException {
    assumeTrue(Augmenters.resizeKernels().startsWith("native"), "built without the native library");
    Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
    assumeTrue(
        Files.exists(thp) && !Files.readString(thp).contains("[never]"),
        "no transparent huge pages on this system");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1",
                "-cp",
                System.getProperty("java.class.path"),
                TorchZeroFillChild.class.getName())
            .redirectErrorStream(true);
    builder.environment().remove(TorchHugePages.VARIABLE);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output.lines())
        .as(output)
        .contains(
            "before not zero-filled: no libc10.so is loaded in this process",
            "status zero-filled, huge pages, blocks reused (up to "
                + TorchMemoryCache.configuredMiB()
                + " MiB)",
            "reused 0.0",
            "large block reused true",
            "large reused sum 0.0",
            "cache hit true",
            "nan 0",
            "huge page advice true");
  }
}
