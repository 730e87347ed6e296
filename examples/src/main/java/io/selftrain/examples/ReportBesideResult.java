package io.selftrain.examples;

import io.selftrain.core.RunReport;
import io.selftrain.internal.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies a run's {@code report.html} (written by the run into its work directory) beside the {@code
 * --out} JSON, named after it: {@code result-s0.json} gets {@code result-s0.html}.
 */
final class ReportBesideResult {
  private ReportBesideResult() {}

  /**
   * @param workDir the run's work directory
   * @param out the {@code --out} file
   * @return the copy's path
   */
  static Path copy(Path workDir, Path out) throws IOException {
    byte[] html = Files.readAllBytes(workDir.resolve(RunReport.FILE));
    Path target = target(out);
    AtomicFiles.write(target, stream -> stream.write(html));
    System.err.println("report: " + target);
    return target;
  }

  /** {@code x.json} becomes {@code x.html}; any other name gets {@code .html} appended. */
  static Path target(Path out) {
    Path absolute = out.toAbsolutePath();
    String name = absolute.getFileName().toString();
    String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    return absolute.resolveSibling(base + ".html");
  }
}
