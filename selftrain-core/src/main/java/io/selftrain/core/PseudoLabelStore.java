package io.selftrain.core;

import io.selftrain.ClassTarget;
import io.selftrain.PseudoLabel;
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
 * The on-disk format of classification pseudo labels: {@code "STPL"}, format version, entry count, class
 * count, then per entry the pool index, the teacher confidence, a hard/soft flag and the target
 * probabilities (big-endian). Written through {@link WorkDirectory#writeAtomically}.
 */
final class PseudoLabelStore {
  private static final int MAGIC = 0x5354504C; // "STPL"
  private static final int VERSION = 1;

  private PseudoLabelStore() {}

  static void write(WorkDirectory dir, String relative, List<PseudoLabel<ClassTarget>> labels, int numClasses)
      throws IOException {
    dir.writeAtomically(
        relative,
        stream -> {
          DataOutputStream out = new DataOutputStream(stream);
          out.writeInt(MAGIC);
          out.writeInt(VERSION);
          out.writeInt(labels.size());
          out.writeInt(numClasses);
          float[] p = new float[numClasses];
          for (PseudoLabel<ClassTarget> label : labels) {
            out.writeInt(label.poolIndex());
            out.writeFloat(label.confidence());
            out.writeBoolean(label.target().isHard());
            label.target().copyProbabilitiesTo(p, 0);
            for (float v : p) {
              out.writeFloat(v);
            }
          }
          out.flush();
        });
  }

  static List<PseudoLabel<ClassTarget>> read(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new IOException("pseudo-label file " + file + " has bad magic number: " + Integer.toHexString(magic));
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IOException("pseudo-label file " + file + " has unknown format version: " + version);
      }
      int count = in.readInt();
      int numClasses = in.readInt();
      List<PseudoLabel<ClassTarget>> labels = new ArrayList<>(count);
      float[] p = new float[numClasses];
      for (int i = 0; i < count; i++) {
        int index = in.readInt();
        float confidence = in.readFloat();
        boolean hard = in.readBoolean();
        for (int k = 0; k < numClasses; k++) {
          p[k] = in.readFloat();
        }
        ClassTarget target = hard ? ClassTarget.index(argMax(p), numClasses) : ClassTarget.probabilities(p);
        labels.add(new PseudoLabel<>(index, target, confidence));
      }
      return labels;
    } catch (EOFException e) {
      throw new IOException("pseudo-label file " + file + " is truncated", e);
    }
  }

  private static int argMax(float[] p) {
    int best = 0;
    for (int k = 1; k < p.length; k++) {
      if (p[k] > p[best]) {
        best = k;
      }
    }
    return best;
  }
}
