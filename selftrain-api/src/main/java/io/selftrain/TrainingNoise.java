package io.selftrain;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Where the noise layers of a {@link Student}'s block (dropout and stochastic depth, the student
 * noise of Xie et al. 2020, Sec. 2) draw their random numbers. selftrain's own models draw every
 * mask here; a custom layer can too, through {@link #keepMask}, and its student then declares
 * {@link Student#reproducibleNoise()}.
 *
 * <p>A thread that {@linkplain #bind binds} a seed draws every dropout and drop-path mask from its
 * own stream, in the order of its forward passes: two models can train at the same time on two
 * threads and each still gets exactly the masks it would get alone. A thread with no binding draws
 * from the engine's generator ({@code NDManager.randomUniform}), which the engine shares between
 * all threads.
 *
 * <pre>{@code
 * try (TrainingNoise.Binding noise = TrainingNoise.bind(stageSeed)) {
 *   // training-mode forward passes on this thread use the stream of stageSeed
 * }
 * }</pre>
 */
public final class TrainingNoise {
  private static final ThreadLocal<Stream> STREAM = new ThreadLocal<>();

  /**
   * A bound stream, and from which batch row on masks are {@linkplain #bind(long, int, double)
   * stronger}.
   */
  private record Stream(SplittableRandom random, int firstPseudoRow, double pseudoExponent) {}

  private TrainingNoise() {}

  /**
   * A binding of a stream to the thread that made it; closing it restores the thread's previous
   * stream.
   */
  public interface Binding extends AutoCloseable {
    /** Unbinds the stream (restoring the one bound before, if any). */
    @Override
    void close();
  }

  /**
   * Binds a stream seeded with {@code seed} to the calling thread until the returned binding is
   * closed.
   *
   * @param seed the stream's seed
   * @return the binding; close it on the same thread
   */
  public static Binding bind(long seed) {
    return bind(seed, Integer.MAX_VALUE, 1);
  }

  /**
   * Binds a stream seeded with {@code seed} to the calling thread, with stronger noise on the
   * pseudo-labeled rows of each batch: from batch row {@code firstPseudoRow} on (selftrain's
   * batches put their human examples first), an element is kept with probability {@code
   * keep^pseudoExponent} instead of {@code keep}, as if it passed {@code pseudoExponent}
   * independent masks of the layer's own rate. Exponent 1 gives the masks of {@link #bind(long)},
   * number for number; every exponent draws the same random numbers.
   *
   * @param seed the stream's seed
   * @param firstPseudoRow the first batch row (dimension 0 of the mask) with the stronger noise,
   *     non-negative
   * @param pseudoExponent at least 1
   * @return the binding; close it on the same thread
   */
  public static Binding bind(long seed, int firstPseudoRow, double pseudoExponent) {
    checkArgument(firstPseudoRow >= 0, "firstPseudoRow must be non-negative: %s", firstPseudoRow);
    checkArgument(
        pseudoExponent >= 1 && Double.isFinite(pseudoExponent),
        "pseudoExponent must be finite and at least 1: %s",
        pseudoExponent);
    Stream previous = STREAM.get();
    Thread owner = Thread.currentThread();
    STREAM.set(new Stream(new SplittableRandom(seed), firstPseudoRow, pseudoExponent));
    return () -> {
      if (Thread.currentThread() != owner) {
        throw new IllegalStateException(
            "a TrainingNoise binding must be closed on the thread that made it: "
                + owner.getName());
      }
      if (previous == null) {
        STREAM.remove();
      } else {
        STREAM.set(previous);
      }
    };
  }

  /**
   * @return whether the calling thread has a bound stream
   */
  public static boolean isBound() {
    return STREAM.get() != null;
  }

  /**
   * An inverted-dropout mask: each element is {@code 1 / keep} with probability {@code keep}, else
   * 0, so {@code x * mask} keeps the expectation of {@code x}.
   *
   * @param manager owner of the mask
   * @param shape the mask's shape (broadcast against the input by the caller), batch rows first
   * @param keep keep probability, in (0, 1]
   * @param type the mask's data type
   * @return the mask, drawn from the thread's stream if bound, else from the engine's generator
   */
  public static NDArray keepMask(NDManager manager, Shape shape, float keep, DataType type) {
    checkNotNull(manager, "manager");
    checkArgument(keep > 0f && keep <= 1f, "keep must be in (0, 1]: %s", keep);
    Stream stream = STREAM.get();
    if (stream == null) {
      return manager.randomUniform(0f, 1f, shape, type).lt(keep).toType(type, false).div(keep);
    }
    long size = shape.size();
    checkArgument(size <= Integer.MAX_VALUE, "mask too large: %s", shape);
    float[] mask = new float[(int) size];
    long rows = shape.dimension() == 0 ? 1 : shape.get(0);
    int perRow = rows == 0 ? 0 : (int) (size / rows);
    float pseudoKeep = Math.max((float) Math.pow(keep, stream.pseudoExponent()), Float.MIN_NORMAL);
    for (int row = 0; row < rows; row++) {
      float rowKeep = row >= stream.firstPseudoRow() ? pseudoKeep : keep;
      float scaled = 1f / rowKeep;
      // 24 random bits per element, as a float uniform on [0, 1) with every value exactly
      // representable
      for (int i = row * perRow; i < (row + 1) * perRow; i++) {
        mask[i] = (stream.random().nextInt() >>> 8) * 0x1.0p-24f < rowKeep ? scaled : 0f;
      }
    }
    NDArray array = manager.create(mask, shape);
    return type == DataType.FLOAT32 ? array : array.toType(type, false);
  }
}
