package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkDirectoryTest {
  @TempDir Path tmp;

  private static JsonObject top1(double value) {
    JsonObject metrics = new JsonObject();
    metrics.addProperty("top1", value);
    return metrics;
  }

  /** A work directory with teacher, student and control recorded in that order. */
  private WorkDirectory threeStages() throws Exception {
    WorkDirectory dir = WorkDirectory.open(tmp, "data");
    dir.complete("teacher", "t", List.of(), top1(0.5));
    dir.complete("student", "s", List.of(), top1(0.6));
    dir.complete("control", "c", List.of(), top1(0.7));
    return dir;
  }

  @Test
  void complete_recomputedStage_forgetsTheStagesRecordedAfterIt() throws Exception {
    WorkDirectory dir = threeStages();
    dir.complete("teacher", "t2", List.of(), top1(0.55));
    assertThat(dir.completed("teacher", "t2")).isPresent();
    assertThat(dir.completed("student", "s")).isEmpty();
    assertThat(dir.completed("control", "c")).isEmpty();
  }

  @Test
  void invalidate_thenRecomputeInAnyOrder_keepsBothRecords() throws Exception {
    WorkDirectory dir = threeStages();
    dir.invalidate("student");
    dir.invalidate("control");
    assertThat(dir.completed("teacher", "t")).isPresent();
    // the control (recorded after the student before) finishes first this time
    dir.complete("control", "c2", List.of(), top1(0.71));
    dir.complete("student", "s2", List.of(), top1(0.62));
    assertThat(dir.completed("control", "c2")).isPresent();
    assertThat(dir.completed("student", "s2")).isPresent();
    // and the manifest on disk says the same to a later run
    WorkDirectory reopened = WorkDirectory.open(tmp, "data");
    assertThat(reopened.completed("control", "c2")).isPresent();
    assertThat(reopened.completed("student", "s2")).isPresent();
    assertThat(Files.exists(tmp.resolve("manifest.json"))).isTrue();
  }

  @Test
  void invalidate_unknownStage_changesNothing() throws Exception {
    WorkDirectory dir = WorkDirectory.open(tmp, "data");
    dir.complete("teacher", "t", List.of(), top1(0.5));
    dir.invalidate("student");
    assertThat(dir.completed("teacher", "t")).isPresent();
  }
}
