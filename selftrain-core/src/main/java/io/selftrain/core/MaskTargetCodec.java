package io.selftrain.core;

import io.selftrain.MaskTarget;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Pseudo masks in a pseudo-label file: height, width, then one unsigned byte per pixel (class or
 * 255).
 */
final class MaskTargetCodec implements TargetCodec<MaskTarget> {
  /** The largest side a stored mask may have; a larger one means a damaged file. */
  private static final int MAX_SIDE = 1 << 14;

  private final int numClasses;

  /** Whether each pixel's confidence is stored too (teacher predictions, not pseudo labels). */
  private final boolean confidences;

  MaskTargetCodec(int numClasses) {
    this(numClasses, false);
  }

  MaskTargetCodec(int numClasses, boolean confidences) {
    this.numClasses = numClasses;
    this.confidences = confidences;
  }

  @Override
  public int header() {
    return numClasses;
  }

  @Override
  public void write(MaskTarget target, DataOutputStream out) throws IOException {
    out.writeInt(target.height());
    out.writeInt(target.width());
    out.write(target.classes());
    if (confidences) {
      out.writeBoolean(target.hasConfidences());
      if (target.hasConfidences()) {
        for (float v : target.confidences()) {
          out.writeFloat(v);
        }
      }
    }
  }

  @Override
  public MaskTarget read(DataInputStream in, int header) throws IOException {
    int height = in.readInt();
    int width = in.readInt();
    if (height < 1 || width < 1 || height > MAX_SIDE || width > MAX_SIDE) {
      throw new IOException("impossible mask size: " + height + "x" + width);
    }
    byte[] classes = new byte[height * width];
    in.readFully(classes);
    for (int p = 0; p < classes.length; p++) {
      int c = classes[p] & 0xFF;
      if (c >= header && c != MaskTarget.IGNORE) {
        throw new IOException("pixel " + p + " has class " + c + " of " + header + " classes");
      }
    }
    if (confidences && in.readBoolean()) {
      float[] values = new float[classes.length];
      for (int p = 0; p < values.length; p++) {
        values[p] = in.readFloat();
      }
      return MaskTarget.of(height, width, classes, values);
    }
    return MaskTarget.of(height, width, classes);
  }
}
