package io.selftrain.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An image of a {@link StreamedImages} pool that could not be read or decoded when it was needed;
 * names the file (and, for an IDX file, the image's position in it).
 */
public final class UnreadableImageException extends UncheckedIOException {
  private static final long serialVersionUID = 1L;

  /** Where the image lives, as the message names it. */
  private final String where;

  UnreadableImageException(String where, IOException cause) {
    super(
        "unreadable image " + where + ": " + withoutPrefix(cause.getMessage(), where + ": "),
        cause);
    this.where = where;
  }

  /** Loaders' messages already name the file; the message names it once. */
  private static String withoutPrefix(String message, String prefix) {
    return message != null && message.startsWith(prefix)
        ? message.substring(prefix.length())
        : message;
  }

  /**
   * @return the image's file, with its position for images inside one file ({@code file#index})
   */
  public String where() {
    return where;
  }
}
