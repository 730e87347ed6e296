package io.selftrain.core;

import java.util.OptionalInt;

/**
 * Reads and changes an engine's intra-op thread count while it runs (PyTorch only, through {@link
 * PyTorchJni}). PyTorch applies a new count to the calling thread at once and to every other thread
 * when that thread first runs an op, so a thread started after {@link #set} works with the new
 * count.
 */
final class IntraOpThreads {
  private IntraOpThreads() {}

  /**
   * @param engine the engine's name; it must be loaded already
   * @return the engine's intra-op thread count, or empty for an engine whose count cannot be read
   */
  static OptionalInt get(String engine) {
    return PyTorchJni.serves(engine)
        ? OptionalInt.of(PyTorchJni.numThreads())
        : OptionalInt.empty();
  }

  /**
   * Sets the engine's intra-op thread count.
   *
   * @param engine the engine's name; it must be loaded already
   * @param threads at least 1
   * @throws IllegalArgumentException if threads is not positive
   * @throws UnsupportedOperationException for an engine whose count cannot be changed
   */
  static void set(String engine, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1: " + threads);
    }
    if (!PyTorchJni.serves(engine)) {
      throw new UnsupportedOperationException(
          "cannot change the intra-op threads of engine " + engine);
    }
    PyTorchJni.setNumThreads(threads);
  }
}
