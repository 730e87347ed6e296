package io.selftrain.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * For tests of memory that backward reads after a garbage collection ({@link Scalars}): collects
 * unreachable direct buffers, whose cleaners free their native memory, then takes small blocks of
 * native memory filled with NaN, so that a freed block still read is overwritten.
 */
public final class FreedNativeMemory {
  private static final int BLOCKS = 2_000;

  private FreedNativeMemory() {}

  /**
   * Collects and refills freed native memory.
   *
   * @return the NaN-filled blocks; keep them until the read under test is done
   * @throws InterruptedException if interrupted while waiting for the cleaners
   */
  public static List<ByteBuffer> collectAndRefill() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(20);
    }
    List<ByteBuffer> filler = new ArrayList<>(BLOCKS);
    for (int i = 0; i < BLOCKS; i++) {
      filler.add(
          ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putFloat(0, Float.NaN));
    }
    return filler;
  }
}
