package io.selftrain.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Atomic writes on a full and on a read-only file system: a real 1 MiB tmpfs, mounted for the test
 * (Linux, where the test may mount, as root in CI; skipped elsewhere). The error names the file; no
 * partial or temporary file is left; a file written before keeps its content.
 */
@EnabledOnOs(OS.LINUX)
class DiskTroubleTest {
  @TempDir Path tmp;
  private Path mounted;

  private static boolean run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
  }

  private Path mountSmallFileSystem(String options) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("small"));
    assumeTrue(
        run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()),
        "cannot mount a tmpfs here");
    mounted = dir;
    return dir;
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted != null) {
      run("umount", mounted.toString());
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void write_fullDisk_namesTheFile_keepsTheOldContent_leavesNoTemporaryFile() throws Exception {
    Path disk = mountSmallFileSystem("size=1m");
    Path target = disk.resolve("stage.params");
    AtomicFiles.write(target, out -> out.write("old".getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> AtomicFiles.write(target, out -> out.write(new byte[2 << 20])))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(target.toString())
        .hasMessageContaining("No space left on device");
    assertThat(Files.readString(target)).isEqualTo("old");
    assertThat(names(disk)).containsExactly("stage.params");
  }

  @Test
  void write_readOnlyFileSystem_namesTheFile_evenForRoot() throws Exception {
    Path disk = mountSmallFileSystem("size=1m,ro");
    Path target = disk.resolve("result.json");
    assertThatThrownBy(() -> AtomicFiles.write(target, out -> out.write('x')))
        .isInstanceOf(FileSystemException.class)
        .hasMessageContaining(disk.toString())
        .hasMessageContaining("Read-only file system");
    assertThat(names(disk)).isEmpty();
  }
}
