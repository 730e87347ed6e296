package io.selftrain.core.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without TensorFlow's jars, loading the engine fails offline with the dependency to add named;
 * with them, it loads offline even when the application never called {@code Engines.configure}.
 */
class MissingTensorFlowJarTest {
  @TempDir Path tmp;

  private String probe(String withoutJar) throws Exception {
    return probe(withoutJar, true);
  }

  private String probe(String withoutJar, boolean configure) throws Exception {
    String classpath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(
                entry ->
                    withoutJar == null
                        || !Path.of(entry).getFileName().toString().startsWith(withoutJar))
            .collect(Collectors.joining(File.pathSeparator));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(classpath);
    command.add("-Dai.djl.offline=true");
    command.add("-DDJL_CACHE_DIR=" + tmp.resolve("djl"));
    if (withoutJar != null) {
      command.add("-Dorg.bytedeco.javacpp.cachedir=" + tmp.resolve("javacpp"));
    }
    command.add("-Djava.io.tmpdir=" + Files.createDirectories(tmp.resolve("tmp")));
    command.add(MissingNativesProbe.class.getName());
    if (!configure) {
      command.add("no-configure");
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void withoutTheNativeJar_theErrorNamesIt() throws Exception {
    String out = probe("tensorflow-core-native");
    assertThat(out)
        .contains("ERROR engine TensorFlow failed to load")
        .contains("org.tensorflow:tensorflow-core-native")
        .doesNotContain("LOADED");
  }

  @Test
  void withoutConfigure_theBundledNativesStillLoadOffline() throws Exception {
    String out = probe(null, false);
    assertThat(out).contains("LOADED 3.0");
  }

  @Test
  void withoutTheEngineJar_theErrorNamesIt() throws Exception {
    String out = probe("tensorflow-engine");
    assertThat(out)
        .contains("ERROR engine TensorFlow is not on the classpath")
        .contains("ai.djl.tensorflow:tensorflow-engine");
  }
}
