package io.selftrain.examples;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The scene counts of the tests' tiny {@code detect} and {@code segment} runs. */
final class TinyScenes {
  private TinyScenes() {}

  /**
   * 4 labeled, 4 unlabeled, 2 validation and 2 test scenes, followed by {@code more}.
   *
   * @param more the run's other options
   * @return the whole argument list
   */
  static String[] args(String... more) {
    List<String> all =
        new ArrayList<>(
            List.of("--labels", "4", "--unlabeled", "4", "--validation", "2", "--test", "2"));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  /**
   * Every setting of a finished run, from its work directory's {@code result.json} (the model names
   * among them).
   *
   * @param workDir the run's {@code --work-dir}
   * @return the settings object
   * @throws IOException if the file cannot be read
   */
  static JsonObject settings(Path workDir) throws IOException {
    return JsonParser.parseString(Files.readString(workDir.resolve("result.json")))
        .getAsJsonObject()
        .getAsJsonObject("settings");
  }
}
