package io.selftrain.examples;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * One line for the user from a command's exception, and whether it is a usage error (exit code 2)
 * or not (1).
 */
final class CliErrors {
  private CliErrors() {}

  /** Bad arguments and missing settings are usage errors; everything else is a run failure. */
  static boolean isUsage(Throwable e) {
    return e instanceof IllegalArgumentException || e instanceof IllegalStateException;
  }

  /**
   * The message a user reads, one line: file-system errors say what went wrong with which path
   * (Java's own messages are often the bare path), even inside an {@link UncheckedIOException};
   * otherwise the exception's first message line (or its type when it has none).
   */
  static String oneLine(Throwable e) {
    Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof NoSuchFileException f) {
      return "no such file or folder: " + path(f);
    }
    if (cause instanceof AccessDeniedException f) {
      return "permission denied: " + path(f);
    }
    if (cause instanceof NotDirectoryException f) {
      return "not a folder: " + path(f);
    }
    if (cause instanceof FileSystemException f) {
      return path(f) + (f.getReason() != null ? ": " + f.getReason() : "");
    }
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return message.strip().lines().findFirst().orElse(message).strip();
  }

  private static String path(FileSystemException e) {
    return e.getOtherFile() == null ? e.getFile() : e.getFile() + " -> " + e.getOtherFile();
  }
}
