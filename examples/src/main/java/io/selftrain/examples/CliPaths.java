package io.selftrain.examples;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks of the paths a user gives, made before a run starts, with errors that name the option. */
final class CliPaths {
  private CliPaths() {}

  /**
   * A folder option that must exist.
   *
   * @throws IllegalArgumentException {@code <command>: <option>: folder not found: <dir>}
   */
  static Path existingFolder(String command, String option, Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          command
              + ": "
              + option
              + ": "
              + (Files.exists(dir) ? "not a folder: " : "folder not found: ")
              + dir);
    }
    return dir;
  }

  /**
   * An output file option: it must not be a folder, and its nearest existing ancestor folder must
   * be a writable folder.
   *
   * @throws IOException naming the option and the path if the file cannot be written there
   */
  static Path writableFile(String option, Path out) throws IOException {
    if (Files.isDirectory(out)) {
      throw new FileSystemException(out.toString(), null, option + " is a folder, not a file");
    }
    Path ancestor = out.toAbsolutePath().getParent();
    while (ancestor != null && !Files.exists(ancestor)) {
      ancestor = ancestor.getParent();
    }
    if (ancestor == null) {
      return out;
    }
    if (!Files.isDirectory(ancestor)) {
      throw new FileSystemException(
          out.toString(), null, option + " cannot be written: " + ancestor + " is not a folder");
    }
    if (!Files.isWritable(ancestor)) {
      throw new AccessDeniedException(
          out.toString(),
          null,
          option + " cannot be written: folder " + ancestor + " is read-only");
    }
    return out;
  }

  /**
   * A file option that must exist.
   *
   * @throws IllegalArgumentException {@code <command>: <option>: file not found: <file>}
   */
  static Path existingFile(String command, String option, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          command
              + ": "
              + option
              + ": "
              + (Files.isDirectory(file) ? "a folder, not a file: " : "file not found: ")
              + file);
    }
    return file;
  }

  /**
   * A folder option that may be absent (it is created) but must not be a file.
   *
   * @throws IllegalArgumentException {@code <command>: <option>: not a folder: <dir>}
   */
  static Path folderOrAbsent(String command, String option, Path dir) {
    if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException(command + ": " + option + ": not a folder: " + dir);
    }
    return dir;
  }
}
