package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.selftrain.augment.Augmenters;
import io.selftrain.augment.TorchMemory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TorchMemoryCacheTest {
  private static final long GIB = 1L << 30;

  @Test
  void capacityMiB_byDefault_aQuarterOfTheMachine_atMost8GiB() {
    assertThat(TorchMemoryCache.capacityMiB(null, 24 * GIB)).isEqualTo(6144);
    assertThat(TorchMemoryCache.capacityMiB(null, 4 * GIB)).isEqualTo(1024);
    assertThat(TorchMemoryCache.capacityMiB(null, 256 * GIB)).isEqualTo(8192);
    assertThat(TorchMemoryCache.capacityMiB(null, 0)).isEqualTo(8192);
  }

  @Test
  void capacityMiB_property_wins_andZeroTurnsReuseOff() {
    assertThat(TorchMemoryCache.capacityMiB("512", 24 * GIB)).isEqualTo(512);
    assertThat(TorchMemoryCache.capacityMiB(" 20000 ", 4 * GIB)).isEqualTo(20000);
    assertThat(TorchMemoryCache.capacityMiB("0", 24 * GIB)).isZero();
    assertThat(TorchMemoryCache.install(0))
        .isEqualTo("blocks not reused (-Dselftrain.torch.memoryCacheMiB=0)");
  }

  @Test
  void capacityMiB_badProperty_failsNamingItAndTheValue() {
    for (String bad : new String[] {"-1", "2GiB", "", "1e3", "9223372036854775807"}) {
      assertThatThrownBy(() -> TorchMemoryCache.capacityMiB(bad, 24 * GIB))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "selftrain.torch.memoryCacheMiB must be a whole number of MiB, 0 or more (0: no"
                  + " reuse): "
                  + bad);
    }
  }

  /**
   * The same training, in a fresh JVM with reuse and in one without, ends with the same parameters
   * to the last bit: where a tensor's memory comes from changes no number.
   */
  @Test
  void training_withAndWithoutReuse_endsWithTheSameParameters()
      throws IOException, InterruptedException {
    assumeTrue(Augmenters.resizeKernels().startsWith("native"), "built without the native library");
    List<String> reused = child();
    List<String> fresh = child("-D" + TorchMemoryCache.PROPERTY + "=0");
    assertThat(reused)
        .as("%s", reused)
        .anyMatch(l -> l.startsWith("status ") && l.contains(", blocks reused (up to "));
    assertThat(reused).contains("hits true");
    assertThat(fresh)
        .as("%s", fresh)
        .anyMatch(l -> l.endsWith(", blocks not reused (-Dselftrain.torch.memoryCacheMiB=0)"))
        .contains("hits false");
    String parameters = parameters(reused);
    assertThat(parameters).matches("parameters [0-9a-f]{64}");
    assertThat(parameters(fresh)).isEqualTo(parameters);
  }

  private static String parameters(List<String> lines) {
    return lines.stream().filter(l -> l.startsWith("parameters ")).findFirst().orElseThrow();
  }

  private static List<String> child(String... properties) throws IOException, InterruptedException {
    List<String> options =
        new ArrayList<>(List.of("-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1"));
    options.addAll(List.of(properties));
    ChildProcess.Outcome outcome =
        ChildProcess.run(TorchMemoryCacheChild.class, options, List.of(), line -> false);
    assertThat(outcome.exitCode()).as("%s", outcome.lines()).isZero();
    return outcome.lines();
  }

  /**
   * Threads that allocate, fill, check and free large tensors of a few sizes at once, through the
   * cache that loading PyTorch installed: every tensor reads back its own thread's values, every
   * fresh tensor reads zeros, and the cache serves most allocations.
   */
  @Test
  void manyThreads_takeAndGiveBackBlocks_eachSeesOnlyItsOwnValues() throws Exception {
    Engine engine = Engines.load(Engines.PYTORCH);
    assumeTrue(
        Engines.allocationStatus().contains("blocks reused"),
        () -> "no reuse here: " + Engines.allocationStatus());
    long[] before = TorchMemory.counters();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        float value = t + 1;
        results.add(
            pool.submit(
                () -> {
                  try (NDManager manager = engine.newBaseManager()) {
                    for (int i = 0; i < 60; i++) {
                      try (NDManager step = manager.newSubManager()) {
                        // 256 KiB to 2 MiB, elements of 4 bytes
                        Shape shape = new Shape((65_536L << (i % 4)) + i % 3);
                        NDArray fresh = step.create(shape);
                        float freshSum = fresh.sum().getFloat();
                        if (freshSum != 0f) {
                          return "fresh tensor sums to " + freshSum;
                        }
                        NDArray filled = step.full(shape, value);
                        float[] read = filled.toFloatArray();
                        for (float v : read) {
                          if (v != value) {
                            return "read " + v + " where " + value + " was written";
                          }
                        }
                      }
                    }
                  }
                  return "ok";
                }));
      }
      for (Future<String> result : results) {
        assertThat(result.get()).isEqualTo("ok");
      }
    } finally {
      pool.shutdown();
    }
    long[] after = TorchMemory.counters();
    assertThat(after[0] - before[0]).as("allocations served from the cache").isGreaterThan(200);
  }
}
