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

  /**
   * A stage with one real file, then the file damaged by {@code damage}; returns the warnings on
   * reopening.
   */
  private List<String> damagedStage(java.util.function.Consumer<Path> damage) throws Exception {
    WorkDirectory dir = WorkDirectory.open(tmp, "data");
    dir.writeJson("round-1/teacher.json", top1(0.5));
    dir.complete("round-1/teacher", "t", List.of("round-1/teacher.json"), top1(0.5));
    damage.accept(tmp.resolve("round-1/teacher.json"));
    WorkDirectory reopened = WorkDirectory.open(tmp, "data");
    List<String> warnings = new java.util.ArrayList<>();
    reopened.reportDamageTo(warnings::add);
    assertThat(reopened.completed("round-1/teacher", "t")).isEmpty();
    assertThat(reopened.completed("round-1/teacher", "t")).isEmpty(); // reported once
    return warnings;
  }

  private static void rewrite(Path file, java.util.function.UnaryOperator<byte[]> change) {
    try {
      Files.write(file, change.apply(Files.readAllBytes(file)));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void completed_truncatedFlippedOrMissingFile_reportedWithTheFile_andNotUsed() throws Exception {
    String checksum =
        "round-1/teacher.json failed its SHA-256 check (damaged or changed since it was written); stage"
            + " round-1/teacher is computed again";
    assertThat(damagedStage(f -> rewrite(f, b -> java.util.Arrays.copyOf(b, b.length / 2))))
        .containsExactly("work directory " + tmp + ": " + checksum);
    assertThat(
            damagedStage(
                f ->
                    rewrite(
                        f,
                        b -> {
                          b[b.length / 2] ^= 0x04;
                          return b;
                        })))
        .containsExactly("work directory " + tmp + ": " + checksum);
    assertThat(damagedStage(f -> f.toFile().delete()))
        .containsExactly(
            "work directory "
                + tmp
                + ": round-1/teacher.json is missing; stage round-1/teacher is computed again");
  }

  @Test
  void open_manifestNotJson_refusedNamingTheFile() throws Exception {
    WorkDirectory.open(tmp, "data");
    Files.writeString(tmp.resolve("manifest.json"), "{\"stages\": [tru");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WorkDirectory.open(tmp, "data"))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageStartingWith("corrupt manifest " + tmp.resolve("manifest.json"))
        .hasMessageEndingWith(
            "the work directory cannot be trusted; delete it or choose another workDir");
  }

  @Test
  void open_manifestOfAnotherFormat_refused() throws Exception {
    WorkDirectory.open(tmp, "data");
    Path manifest = tmp.resolve("manifest.json");
    Files.writeString(
        manifest,
        Files.readString(manifest)
            .replace("\"format\":1", "\"format\":2")
            .replace("\"format\": 1", "\"format\": 2"));
    assertThat(Files.readString(manifest)).containsPattern("\"format\":\\s*2");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WorkDirectory.open(tmp, "data"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "workDir "
                + tmp
                + " was written in manifest format 2 ("
                + manifest
                + "); this version reads format 1: delete it"
                + " or choose another workDir");
  }

  @Test
  void reopening_deletesTheTemporaryFilesOfWritesAKilledRunLeft_andNothingElse() throws Exception {
    WorkDirectory.open(tmp, "data");
    Path shards = Files.createDirectories(tmp.resolve("round-1/predictions"));
    // What AtomicFiles.write leaves when the process dies between creating and renaming.
    Path leftover = Files.writeString(shards.resolve(".00000.bin.e24ee8029eafb807.tmp"), "part");
    Path topLevel = Files.writeString(tmp.resolve(".result.json.1f.tmp"), "part");
    List<Path> kept =
        List.of(
            Files.writeString(shards.resolve("00000.bin"), "whole"),
            Files.writeString(tmp.resolve(".hidden"), "user's"),
            Files.writeString(tmp.resolve("notes.tmp"), "user's"),
            Files.writeString(tmp.resolve(".x.notHex.tmp"), "user's"));

    // A cluster job opening the folder while a run writes into it must not delete anything.
    WorkDirectory.openExisting(tmp);
    assertThat(leftover).exists();
    assertThat(topLevel).exists();

    WorkDirectory.open(tmp, "data");
    assertThat(leftover).doesNotExist();
    assertThat(topLevel).doesNotExist();
    assertThat(kept).allMatch(Files::exists);
  }
}
