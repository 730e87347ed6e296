package io.selftrain.core.teacher;

import io.selftrain.core.Engines;

/** Run in a child JVM whose classpath lacks a TensorFlow jar: prints the error {@link Engines} gives. */
public final class MissingNativesProbe {
  private MissingNativesProbe() {}

  public static void main(String[] args) {
    Engines.configure(1);
    try {
      Engines.load(Engines.TENSORFLOW);
      System.out.println("LOADED");
    } catch (IllegalArgumentException e) {
      System.out.println("ERROR " + e.getMessage());
    }
  }
}
