package io.selftrain.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that readers see either the old content or the whole new content, never a part
 * (not API): the content goes to a temporary file next to the target ({@code .<name>.<random>.tmp},
 * created with the process's default permissions), is flushed and forced to disk, then renamed over
 * the target (atomically where the file system can).
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Produces a file's content. */
  @FunctionalInterface
  public interface Content {
    /**
     * Writes the content.
     *
     * @param out the stream to write to (closed by the caller)
     * @throws IOException if writing fails
     */
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code target} atomically, creating its parent folders.
   *
   * @param target the file to create or replace
   * @param content what to write
   * @throws IOException if writing, syncing or renaming fails; the target is then unchanged
   */
  public static void write(Path target, Content content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path parent = absolute.getParent();
    Files.createDirectories(parent);
    // Not Files.createTempFile: its files are private to the owner (0600), and the rename would
    // keep that.
    String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong());
    Path tmp = parent.resolve("." + absolute.getFileName() + "." + suffix + ".tmp");
    OutputStream file =
        Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      writeSyncAndRename(file, tmp, absolute, content);
    } catch (FileSystemException e) {
      throw e; // names the file already
    } catch (IOException e) {
      // A full disk says only "No space left on device": name the file the user asked for.
      throw new IOException("cannot write " + absolute + ": " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The temporary files {@link #write} creates: {@code .<name>.<random hex>.tmp}. */
  private static final java.util.regex.Pattern TEMPORARY =
      java.util.regex.Pattern.compile("\\..+\\.[0-9a-f]{1,16}\\.tmp");

  /**
   * Deletes the temporary files that writes interrupted by a killed process left below a folder (a
   * write that fails in a live process deletes its own). Only for a folder no other process is
   * writing into: a live writer's temporary file would be deleted under it.
   *
   * @param root the folder, searched with its subfolders
   * @return how many were deleted
   * @throws IOException if the folder cannot be walked or a file cannot be deleted
   */
  public static int deleteInterruptedWrites(Path root) throws IOException {
    java.util.List<Path> leftovers;
    try (java.util.stream.Stream<Path> files = Files.walk(root)) {
      leftovers =
          files
              .filter(Files::isRegularFile)
              .filter(f -> TEMPORARY.matcher(f.getFileName().toString()).matches())
              .toList();
    }
    for (Path leftover : leftovers) {
      Files.deleteIfExists(leftover);
    }
    return leftovers.size();
  }

  private static void writeSyncAndRename(
      OutputStream file, Path tmp, Path absolute, Content content) throws IOException {
    try (OutputStream out = new BufferedOutputStream(file, 1 << 16)) {
      content.writeTo(out);
    }
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    try {
      Files.move(
          tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
