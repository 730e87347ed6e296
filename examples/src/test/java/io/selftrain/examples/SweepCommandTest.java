package io.selftrain.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep runs one classify run per cell, tabulates them, and resumes from finished cells. */
class SweepCommandTest {
  @TempDir Path tmp;

  private CliRun sweep() {
    return CliRun.tinyMnist(
        "sweep",
        "--labels",
        "100,200",
        "--seeds",
        "0",
        "--dir",
        tmp.resolve("cells").toString(),
        "--out",
        tmp.resolve("sweep.json").toString(),
        "--teacher-epochs",
        "1",
        "--epochs",
        "1");
  }

  private static JsonObject json(Path file) throws Exception {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }

  @Test
  void sweep_tabulatesEveryCellFromItsResult_andResumes() throws Exception {
    CliRun run = sweep();
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonObject table = json(tmp.resolve("sweep.json"));
    JsonArray cells = table.getAsJsonArray("cells");
    assertThat(cells).hasSize(2);
    List<FileTime> written = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      JsonObject cell = cells.get(i).getAsJsonObject();
      int labels = List.of(100, 200).get(i);
      assertThat(cell.get("labels").getAsInt()).isEqualTo(labels);
      Path resultFile = tmp.resolve("cells/labels-" + labels + "-s0/result.json");
      JsonObject result = json(resultFile);
      written.add(Files.getLastModifiedTime(resultFile));
      JsonObject round = result.getAsJsonArray("rounds").get(0).getAsJsonObject();
      assertThat(cell.get("teacher").getAsDouble())
          .isEqualTo(round.getAsJsonObject("teacher").get("top1").getAsDouble());
      assertThat(cell.get("student").getAsDouble())
          .isEqualTo(round.getAsJsonObject("student").get("top1").getAsDouble());
      assertThat(cell.get("control").getAsDouble())
          .isEqualTo(result.getAsJsonObject("control").get("top1").getAsDouble());
      JsonObject mean = table.getAsJsonArray("means").get(i).getAsJsonObject();
      assertThat(mean.get("studentMinusControl").getAsDouble())
          .isCloseTo(
              cell.get("student").getAsDouble() - cell.get("control").getAsDouble(), within(1e-12));
    }
    String markdown = Files.readString(tmp.resolve("sweep.md"));
    assertThat(markdown.lines().filter(l -> l.startsWith("| 100 |"))).hasSize(2);
    assertThat(markdown).contains("| 200 | mean |");

    CliRun again = sweep();
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.err()).contains("sweep: 100 labels, seed 0: done");
    assertThat(Files.getLastModifiedTime(tmp.resolve("cells/labels-100-s0/result.json")))
        .isEqualTo(written.get(0));
  }

  @Test
  void sweep_perCellOptionPassedThrough_isRefusedNamingIt() {
    CliRun run = CliRun.of("sweep", "--seed", "3");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip())
        .isEqualTo("error: sweep: --seed is set per cell; use --labels, --seeds and --dir");
  }
}
