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

  MaskTargetCodec(int numClasses) {
    this.numClasses = numClasses;
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
    return MaskTarget.of(height, width, classes);
  }
}
