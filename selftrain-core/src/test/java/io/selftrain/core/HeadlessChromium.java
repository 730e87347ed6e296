package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Loads an HTML report in headless Chromium and checks it the way a reader's browser would: it
 * loads with no console message and every image decodes. CI installs Chromium ({@code .ci/run});
 * elsewhere the calling test is skipped when it is absent.
 */
final class HeadlessChromium {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private HeadlessChromium() {}

  /**
   * @param report the page
   * @param scratch a folder for Chromium's log
   * @param images how many images the page must decode
   */
  static void assertLoads(Path report, Path scratch, int images)
      throws IOException, InterruptedException {
    assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM);
    Path logFile = scratch.resolve("chromium.log");
    Process process =
        new ProcessBuilder(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--enable-logging=stderr",
                "--v=0",
                "--virtual-time-budget=5000",
                "--dump-dom",
                report.toUri().toString())
            .redirectError(logFile.toFile())
            .start();
    String dom = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String log = Files.readString(logFile);
    assertThat(process.exitValue()).as(log).isZero();
    assertThat(dom).as(log).contains("data-images-loaded=\"" + images + "/" + images + "\"");
    assertThat(log.lines().filter(l -> l.contains("CONSOLE") || l.contains("Uncaught")))
        .as(log)
        .isEmpty();
  }
}
