package io.selftrain.core.data;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where datasets are searched for, read once from the environment; tests build their own.
 *
 * @param dataDir the folder named by {@code SELFTRAIN_DATA_DIR} (system property first, then
 *     environment variable), or null when neither is set
 * @param systemDir the folder that Debian dataset packages install into ({@code
 *     /usr/share/datasets})
 * @param cacheRoot selftrain's download cache: system property {@code selftrain.cache.dir}, else
 *     {@code ~/.cache/selftrain}
 * @param workingDir the folder {@code node_modules} is looked up in (the JVM's working directory)
 * @param npm the {@code npm} executable found on {@code PATH}, or null
 */
record DataLocations(Path dataDir, Path systemDir, Path cacheRoot, Path workingDir, Path npm) {
  static final String DATA_DIR_VARIABLE = "SELFTRAIN_DATA_DIR";
  static final String CACHE_DIR_PROPERTY = "selftrain.cache.dir";
  static final Path SYSTEM_DIR = Path.of("/usr/share/datasets");

  /**
   * @return the locations this JVM's properties and environment name
   */
  static DataLocations fromEnvironment() {
    String data = System.getProperty(DATA_DIR_VARIABLE);
    if (data == null || data.isBlank()) {
      data = System.getenv(DATA_DIR_VARIABLE);
    }
    String cache = System.getProperty(CACHE_DIR_PROPERTY);
    Path cacheRoot =
        cache == null || cache.isBlank()
            ? Path.of(System.getProperty("user.home"), ".cache", "selftrain")
            : Path.of(cache);
    return new DataLocations(
        data == null || data.isBlank() ? null : Path.of(data),
        SYSTEM_DIR,
        cacheRoot,
        Path.of("").toAbsolutePath(),
        findOnPath("npm"));
  }

  /**
   * @return the first executable called {@code name} on {@code PATH}, or null
   */
  static Path findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    boolean windows = File.separatorChar == '\\';
    for (String entry : path.split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      List<String> names = new ArrayList<>(List.of(name));
      if (windows) {
        names.add(name + ".cmd");
        names.add(name + ".exe");
      }
      for (String candidate : names) {
        Path file = Path.of(entry, candidate);
        if (Files.isRegularFile(file) && Files.isExecutable(file)) {
          return file;
        }
      }
    }
    return null;
  }

  /**
   * The folder below {@code SELFTRAIN_DATA_DIR} for a dataset, for the search and its error
   * message.
   *
   * @param folder the dataset's folder name
   * @param looked where a description of this place is appended when it is unset
   * @return the folder, or null when {@code SELFTRAIN_DATA_DIR} is unset
   */
  Path dataDir(String folder, List<String> looked) {
    if (dataDir == null) {
      looked.add(
          "$" + DATA_DIR_VARIABLE + "/" + folder + " (" + DATA_DIR_VARIABLE + " is not set)");
      return null;
    }
    return dataDir.resolve(folder);
  }
}
