package io.selftrain.core;

import io.selftrain.ClassTarget;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Classification targets on disk: a hard/soft flag and the class probabilities (big-endian floats).
 *
 * @param numClasses the classes of every target
 */
record ClassTargetCodec(int numClasses) implements TargetCodec<ClassTarget> {
  @Override
  public int header() {
    return numClasses;
  }

  @Override
  public void write(ClassTarget target, DataOutputStream out) throws IOException {
    out.writeBoolean(target.isHard());
    float[] p = new float[numClasses];
    target.copyProbabilitiesTo(p, 0);
    for (float v : p) {
      out.writeFloat(v);
    }
  }

  @Override
  public ClassTarget read(DataInputStream in, int header) throws IOException {
    boolean hard = in.readBoolean();
    float[] p = new float[header];
    for (int k = 0; k < header; k++) {
      p[k] = in.readFloat();
    }
    return hard ? ClassTarget.index(argMax(p), header) : ClassTarget.probabilities(p);
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
