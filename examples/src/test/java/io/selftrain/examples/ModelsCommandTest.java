package io.selftrain.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModelsCommandTest {
  /**
   * RetinaNet-B0's count; selftrain-models' RetinaNetBlockTest checks the formula against a built
   * block.
   */
  private static final long RETINANET_B0 = 13_298_544L;

  /**
   * The NAS-FPN counts; selftrain-models' NasFpnRetinaNetTest and SegmentationModelTest check them.
   */
  private static final long RETINANET_NASFPN_B0 = 30_872_944L;

  private static final long SEGMENTATION_B7 = 67_527_317L;
  private static final long SEGMENTATION_TINY64 = 597_442L;

  @Test
  void rows_listEveryEfficientNetWithTheTableCounts() {
    Map<String, Long> counts =
        ModelsCommand.rows().stream()
            .collect(Collectors.toMap(ModelsCommand.Row::name, ModelsCommand.Row::parameters));
    assertThat(counts)
        .containsEntry("efficientnet-b0", 5_288_548L)
        .containsEntry("efficientnet-b7", 66_347_960L)
        .containsEntry("efficientnet-l2", 480_309_308L);
    assertThat(counts).containsKeys("cnn28-w32", "cnn28-w48");
    assertThat(counts.get("cnn28-w48")).isGreaterThan(counts.get("cnn28-w32"));
  }

  @Test
  void rows_listRetinaNetsAsDetectionModels() {
    Map<String, ModelsCommand.Row> rows =
        ModelsCommand.rows().stream().collect(Collectors.toMap(ModelsCommand.Row::name, r -> r));
    assertThat(rows).containsKeys("retinanet-b0", "retinanet-b7", "retinanet-tiny64");
    assertThat(rows.get("retinanet-b0").task()).isEqualTo("detection");
    assertThat(rows.get("retinanet-b0").inputSize()).isEqualTo(640);
    assertThat(rows.get("retinanet-b0").parameters()).isEqualTo(RETINANET_B0);
    assertThat(rows.get("retinanet-b7").parameters())
        .isGreaterThan(rows.get("retinanet-b0").parameters());
  }

  @Test
  void rows_listNasFpnRetinaNetsAndSegmentationModels() {
    Map<String, ModelsCommand.Row> rows =
        ModelsCommand.rows().stream().collect(Collectors.toMap(ModelsCommand.Row::name, r -> r));
    assertThat(rows)
        .containsKeys(
            "retinanet-nasfpn-b0", "retinanet-nasfpn-b7", "nasfpn-seg-b0", "nasfpn-seg-l2");
    assertThat(rows.get("retinanet-nasfpn-b0").task()).isEqualTo("detection");
    assertThat(rows.get("retinanet-nasfpn-b0").parameters()).isEqualTo(RETINANET_NASFPN_B0);
    ModelsCommand.Row b7 = rows.get("nasfpn-seg-b7");
    assertThat(b7.task()).isEqualTo("segmentation");
    assertThat(b7.inputSize()).isEqualTo(512);
    assertThat(b7.inputChannels()).isEqualTo(3);
    assertThat(b7.parameters()).isEqualTo(SEGMENTATION_B7);
    assertThat(rows.get("nasfpn-seg-tiny64").inputSize()).isEqualTo(64);
    assertThat(rows.get("nasfpn-seg-tiny64").parameters()).isEqualTo(SEGMENTATION_TINY64);
    assertThat(rows.get("nasfpn-seg-l2").parameters()).isGreaterThan(b7.parameters());
  }

  @Test
  void unknownOption_exits2WithOneLineNamingIt() {
    CliRun run = CliRun.of("models", "--yaml");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines().toList()).hasSize(1);
    assertThat(run.err()).startsWith("error: models: ").contains("'--yaml'");
  }

  @Test
  void json_exits0WithEveryRow() {
    CliRun run = CliRun.of("models", "--json");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("\"name\": \"efficientnet-b0\"")
        .contains("\"parameters\": 5288548");
  }
}
