package io.selftrain.core;

import io.selftrain.Target;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * How one task's targets are written to and read from a pseudo-label file ({@link
 * PseudoLabelStore}).
 *
 * @param <T> the target type
 */
interface TargetCodec<T extends Target> {
  /**
   * @return the file header's task value (the number of classes)
   */
  int header();

  /**
   * Writes one target.
   *
   * @param target the target
   * @param out the stream
   * @throws IOException if writing fails
   */
  void write(T target, DataOutputStream out) throws IOException;

  /**
   * Reads one target written by {@link #write}.
   *
   * @param in the stream
   * @param header the file header's task value
   * @return the target
   * @throws IOException if the stream ends or holds an impossible value (the message says which)
   */
  T read(DataInputStream in, int header) throws IOException;
}
