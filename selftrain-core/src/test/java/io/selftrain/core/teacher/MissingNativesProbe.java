package io.selftrain.core.teacher;

import io.selftrain.core.Engines;

/**
 * Run in a child JVM: loads TensorFlow through {@link Engines} and runs an op, printing {@code
 * LOADED} or the error. With the argument {@code no-configure} it skips {@link Engines#configure}.
 */
public final class MissingNativesProbe {
  private MissingNativesProbe() {}

  public static void main(String[] args) {
    if (args.length == 0 || !args[0].equals("no-configure")) {
      Engines.configure(1);
    }
    try {
      ai.djl.engine.Engine engine = Engines.load(Engines.TENSORFLOW);
      try (ai.djl.ndarray.NDManager manager = engine.newBaseManager()) {
        float sum = manager.create(new float[] {1f, 2f}).sum().getFloat();
        System.out.println("LOADED " + sum);
      }
    } catch (IllegalArgumentException e) {
      System.out.println("ERROR " + e.getMessage());
    }
  }
}
