package io.selftrain.core.data;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file exists but its content is wrong: a bad magic number, impossible dimensions, a
 * truncated or overlong file, labels that do not match the images, or a download whose checksum
 * differs. The message always starts with the file and says what is wrong, e.g. {@code
 * /data/train-images-idx3-ubyte.gz: magic number must be 0x00000803 (IDX images): 0x00000801}.
 */
public class CorruptDataException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The corrupt file, as a string because {@link Path} is not serializable. */
  private final String file;

  /**
   * Creates the exception.
   *
   * @param file the file that is corrupt
   * @param problem what is wrong with it, in the form {@code <what> <constraint>: <found>}
   */
  public CorruptDataException(Path file, String problem) {
    this(file, problem, null);
  }

  /**
   * Creates the exception with the low-level failure that revealed the problem.
   *
   * @param file the file that is corrupt
   * @param problem what is wrong with it, in the form {@code <what> <constraint>: <found>}
   * @param cause the underlying failure, or null
   */
  public CorruptDataException(Path file, String problem, Throwable cause) {
    super(checkNotNull(file, "file") + ": " + checkNotNull(problem, "problem"), cause);
    this.file = file.toString();
  }

  /**
   * @return the corrupt file
   */
  public Path file() {
    return Path.of(file);
  }
}
