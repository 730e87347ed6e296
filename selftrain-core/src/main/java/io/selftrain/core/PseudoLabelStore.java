package io.selftrain.core;

import io.selftrain.ClassTarget;
import io.selftrain.PseudoLabel;
import io.selftrain.Target;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The on-disk format of pseudo labels: {@code "STPL"}, format version, entry count, the task's
 * header value (the number of classes), then per entry the pool index, the teacher confidence and
 * the target as the task's {@link TargetCodec} writes it (big-endian). Written through {@link
 * WorkDirectory#writeAtomically}, and recorded with its SHA-256 in the manifest, which is checked
 * before a file is read back.
 */
final class PseudoLabelStore {
  private static final int MAGIC = 0x5354504C; // "STPL"
  private static final int VERSION = 1;

  private PseudoLabelStore() {}

  static <T extends Target> void write(
      WorkDirectory dir, String relative, List<PseudoLabel<T>> labels, TargetCodec<T> codec)
      throws IOException {
    dir.writeAtomically(
        relative,
        stream -> {
          DataOutputStream out = new DataOutputStream(stream);
          out.writeInt(MAGIC);
          out.writeInt(VERSION);
          out.writeInt(labels.size());
          out.writeInt(codec.header());
          for (PseudoLabel<T> label : labels) {
            out.writeInt(label.poolIndex());
            out.writeFloat(label.confidence());
            codec.write(label.target(), out);
          }
          out.flush();
        });
  }

  /** Classification labels with {@code numClasses} classes. */
  static void write(
      WorkDirectory dir, String relative, List<PseudoLabel<ClassTarget>> labels, int numClasses)
      throws IOException {
    write(dir, relative, labels, new ClassTargetCodec(numClasses));
  }

  /** Classification labels. */
  static List<PseudoLabel<ClassTarget>> read(Path file) throws IOException {
    return read(file, new ClassTargetCodec(0));
  }

  static <T extends Target> List<PseudoLabel<T>> read(Path file, TargetCodec<T> codec)
      throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new IOException(
            "pseudo-label file " + file + " has bad magic number: " + Integer.toHexString(magic));
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IOException(
            "pseudo-label file " + file + " has unknown format version: " + version);
      }
      int count = in.readInt();
      int header = in.readInt();
      if (count < 0 || header < 0) {
        throw new IOException(
            "pseudo-label file "
                + file
                + " has a negative entry or class count: "
                + count
                + ", "
                + header);
      }
      List<PseudoLabel<T>> labels = new ArrayList<>(Math.min(count, 1 << 20));
      for (int i = 0; i < count; i++) {
        int index = in.readInt();
        float confidence = in.readFloat();
        try {
          labels.add(new PseudoLabel<>(index, codec.read(in, header), confidence));
        } catch (IllegalArgumentException e) {
          throw new IOException(
              "pseudo-label file " + file + " entry " + i + " is invalid: " + e.getMessage(), e);
        }
      }
      return labels;
    } catch (EOFException e) {
      throw new IOException("pseudo-label file " + file + " is truncated", e);
    }
  }
}
