package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resident memory (heap + native) of a 20-epoch training stage stays flat after its first
 * epoch: every batch's NDArrays are freed. Read from {@code /proc/self/status} of a child JVM whose
 * heap is committed up front ({@code -Xms} = {@code -Xmx}, pre-touched), so what grows is native
 * memory.
 */
class TrainingMemoryTest {
  @TempDir Path tmp;

  static final int EPOCHS = 20;

  @Test
  @EnabledOnOs(OS.LINUX)
  void teacherTraining_twentyEpochs_residentMemoryFlatAfterTheFirst() throws Exception {
    ChildProcess.Outcome outcome =
        ChildProcess.run(
            List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"),
            List.of(
                "classification",
                tmp.toString(),
                Integer.toString(EPOCHS),
                "1",
                "1",
                "4"), // batches of 4: 25 steps an epoch
            line -> line.startsWith("PSEUDO 1 "));
    List<Long> rss =
        outcome.starting("EPOCH 1 TEACHER_TRAINING ").stream()
            .map(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1)))
            .toList();
    assertThat(rss).as("%s", outcome.lines()).hasSize(EPOCHS).allMatch(kib -> kib > 0);
    long first = rss.get(0);
    long peak = rss.stream().skip(1).mapToLong(Long::longValue).max().orElseThrow();
    assertThat((double) peak)
        .as("peak RSS of epochs 2-%s vs epoch 1 (%s KiB): %s", EPOCHS, first, rss)
        .isLessThan(first * 1.05);
  }
}
