package io.selftrain.core;

import io.selftrain.BoxesTarget;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Detection targets on disk: the box count, then per box x1, y1, x2, y2, class, score and weight
 * (big-endian).
 *
 * @param numClasses the detector's classes, checked on reading
 */
record BoxesTargetCodec(int numClasses) implements TargetCodec<BoxesTarget> {
  @Override
  public int header() {
    return numClasses;
  }

  @Override
  public void write(BoxesTarget target, DataOutputStream out) throws IOException {
    float[] boxes = target.boxes();
    int[] classes = target.classes();
    float[] scores = target.scores();
    float[] weights = target.weights();
    out.writeInt(classes.length);
    for (int i = 0; i < classes.length; i++) {
      for (int k = 0; k < 4; k++) {
        out.writeFloat(boxes[4 * i + k]);
      }
      out.writeInt(classes[i]);
      out.writeFloat(scores[i]);
      out.writeFloat(weights[i]);
    }
  }

  @Override
  public BoxesTarget read(DataInputStream in, int header) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 1 << 16) {
      throw new IOException("impossible box count: " + n);
    }
    float[] boxes = new float[4 * n];
    int[] classes = new int[n];
    float[] scores = new float[n];
    float[] weights = new float[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 4; k++) {
        boxes[4 * i + k] = in.readFloat();
      }
      classes[i] = in.readInt();
      if (classes[i] >= header) {
        throw new IOException(
            "box " + i + " has class " + classes[i] + " of " + header + " classes");
      }
      scores[i] = in.readFloat();
      weights[i] = in.readFloat();
    }
    return BoxesTarget.of(boxes, classes, scores, weights);
  }
}
