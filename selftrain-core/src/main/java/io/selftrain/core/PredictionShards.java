package io.selftrain.core;

import com.google.common.base.Throwables;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.google.common.util.concurrent.Uninterruptibles;
import com.google.gson.JsonObject;
import io.selftrain.Image;
import io.selftrain.Prediction;
import io.selftrain.Target;
import io.selftrain.Teacher;
import io.selftrain.core.data.UnreadableImageException;
import io.selftrain.internal.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The teacher's predictions of the unlabeled pool, in shards of a fixed number of pool images: the
 * expensive half of pseudo-labeling (Xie et al. 2020 label 300M images), computed, stored, resumed
 * and checked shard by shard, in this process or on a cluster executor, always by this class's
 * {@link #predict}, so every place gives the same bytes. Selecting the pseudo labels from them is
 * the run's cheap second half.
 *
 * <p>File format (big-endian): {@code "STPS"}, format version, first and end pool index, the task's
 * header value, the number of entries, then per entry the pool index, the confidence and the
 * prediction's target as the task's prediction codec writes it. Images that could not be read and
 * were skipped have no entry.
 */
final class PredictionShards {
  /** Pool images per shard: a multiple of every task's inference batch (500, 64, 32). */
  static final int DEFAULT_SHARD_SIZE = 8000;

  private static final int MAGIC = 0x53545053; // "STPS"
  private static final int VERSION = 1;

  private PredictionShards() {}

  /** One shard's predictions: null where an image was skipped. */
  record Shard<T extends Target>(
      int start, List<Prediction<T>> predictions, List<String> skipped) {}

  /**
   * @return the number of shards of a pool
   */
  static int count(int poolSize, int shardSize) {
    return (poolSize + shardSize - 1) / shardSize;
  }

  /**
   * @return the manifest key of a shard of a round, such as {@code round-1/predictions/00003}
   */
  static String key(int round, int shard) {
    return String.format(Locale.ROOT, "round-%d/predictions/%05d", round, shard);
  }

  /**
   * @return a shard's file relative to the work directory
   */
  static String file(int round, int shard) {
    return file(key(round, shard));
  }

  /**
   * @return the file of the shard recorded under {@code key}
   */
  static String file(String key) {
    return key + ".bin";
  }

  /**
   * Predicts pool images {@code [start, end)} ({@link #predict}) and writes them atomically to
   * {@code file}: the one way a shard is made, in a run or on a cluster executor.
   *
   * @throws IOException if the file cannot be written
   */
  static <T extends Target> Shard<T> predictInto(
      Path file,
      TaskSupport<T> task,
      Teacher<T> teacher,
      List<Image> pool,
      int start,
      int end,
      boolean skipUnreadable,
      Consumer<String> warnings,
      IntConsumer progress)
      throws IOException {
    Shard<T> shard = predict(task, teacher, pool, start, end, skipUnreadable, warnings, progress);
    AtomicFiles.write(file, out -> write(shard, task.predictionCodec(), out));
    return shard;
  }

  /**
   * Predicts pool images {@code [start, end)} in batches of the task's inference batch, reading the
   * next batch's images on another thread while the teacher predicts this one.
   *
   * @param skipUnreadable whether an image that cannot be read is skipped (reported to {@code
   *     warnings}) rather than failing the run
   * @param progress receives the number of images of the shard done so far
   * @throws UnreadableImageException naming the file, unless skipping
   */
  private static <T extends Target> Shard<T> predict(
      TaskSupport<T> task,
      Teacher<T> teacher,
      List<Image> pool,
      int start,
      int end,
      boolean skipUnreadable,
      Consumer<String> warnings,
      IntConsumer progress) {
    int batch = task.inferenceBatch();
    List<Prediction<T>> out = new ArrayList<>(end - start);
    List<String> skipped = new ArrayList<>();
    ExecutorService reader =
        Executors.newSingleThreadExecutor(
            new ThreadFactoryBuilder()
                .setNameFormat("selftrain-pool-reader")
                .setDaemon(true)
                .build());
    try {
      Future<ReadBatch> next = reader.submit(() -> read(pool, start, Math.min(end, start + batch)));
      for (int from = start; from < end; from += batch) {
        int to = Math.min(end, from + batch);
        ReadBatch read = take(next);
        Image[] images = read.images();
        if (to < end) {
          int nextFrom = to;
          next = reader.submit(() -> read(pool, nextFrom, Math.min(end, nextFrom + batch)));
        }
        List<Image> readable = new ArrayList<>(images.length);
        for (int i = 0; i < images.length; i++) {
          if (images[i] == null) {
            UnreadableImageException failure = read.failures()[i];
            if (!skipUnreadable) {
              throw failure;
            }
            skipped.add(failure.where());
            warnings.accept(failure.getMessage() + "; skipped (skipUnreadableImages)");
          } else {
            readable.add(images[i]);
          }
        }
        List<Prediction<T>> predicted =
            readable.isEmpty() ? List.of() : task.predict(teacher, readable);
        if (predicted.size() != readable.size()) {
          throw new IllegalStateException(
              "teacher "
                  + teacher.describe()
                  + " returned "
                  + predicted.size()
                  + " predictions for "
                  + readable.size()
                  + " images");
        }
        int next0 = 0;
        for (Image image : images) {
          out.add(image == null ? null : predicted.get(next0++));
        }
        progress.accept(to - start);
      }
      return new Shard<>(start, out, skipped);
    } finally {
      reader.shutdownNow();
    }
  }

  /** Some pool images read; an image that could not be read is null, with its failure. */
  private record ReadBatch(Image[] images, UnreadableImageException[] failures) {}

  /** Reads images; the caller reports failures in pool order, on its own thread. */
  private static ReadBatch read(List<Image> pool, int from, int to) {
    Image[] images = new Image[to - from];
    UnreadableImageException[] failures = new UnreadableImageException[to - from];
    for (int i = from; i < to; i++) {
      try {
        images[i - from] = pool.get(i);
      } catch (UnreadableImageException e) {
        failures[i - from] = e;
      }
    }
    return new ReadBatch(images, failures);
  }

  private static ReadBatch take(Future<ReadBatch> future) {
    try {
      return Uninterruptibles.getUninterruptibly(future);
    } catch (ExecutionException e) {
      Throwables.throwIfUnchecked(e.getCause());
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Writes a shard's predictions in the file format above. */
  private static <T extends Target> void write(
      Shard<T> shard, TargetCodec<T> codec, OutputStream stream) throws IOException {
    DataOutputStream out = new DataOutputStream(stream);
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeInt(shard.start());
    out.writeInt(shard.start() + shard.predictions().size());
    out.writeInt(codec.header());
    int entries = (int) shard.predictions().stream().filter(p -> p != null).count();
    out.writeInt(entries);
    for (int i = 0; i < shard.predictions().size(); i++) {
      Prediction<T> p = shard.predictions().get(i);
      if (p != null) {
        out.writeInt(shard.start() + i);
        out.writeFloat(p.confidence());
        codec.write(p.target(), out);
      }
    }
    out.flush();
  }

  /**
   * Reads a shard's predictions into {@code into} at their pool indices (left null where an image
   * was skipped).
   *
   * @throws IOException naming the file if it is not a shard of {@code [start, end)}
   */
  static <T extends Target> void read(
      Path file, TargetCodec<T> codec, int start, int end, Prediction<T>[] into)
      throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      int magic = in.readInt();
      int version = in.readInt();
      if (magic != MAGIC || version != VERSION) {
        throw new IOException(
            "prediction shard " + file + " is not a format-" + VERSION + " shard: " + magic);
      }
      int first = in.readInt();
      int last = in.readInt();
      int header = in.readInt();
      int entries = in.readInt();
      if (first != start || last != end || entries < 0 || entries > end - start) {
        throw new IOException(
            "prediction shard "
                + file
                + " must hold pool images ["
                + start
                + ", "
                + end
                + "): ["
                + first
                + ", "
                + last
                + ") with "
                + entries
                + " entries");
      }
      for (int i = 0; i < entries; i++) {
        int index = in.readInt();
        float confidence = in.readFloat();
        if (index < start || index >= end) {
          throw new IOException(
              "prediction shard " + file + " entry " + i + " has pool index " + index);
        }
        try {
          into[index] = new Prediction<>(codec.read(in, header), confidence);
        } catch (IllegalArgumentException e) {
          throw new IOException(
              "prediction shard " + file + " entry " + i + " is invalid: " + e.getMessage(), e);
        }
      }
    } catch (EOFException e) {
      throw new IOException("prediction shard " + file + " is truncated", e);
    }
  }

  /** Skipped images' names, as recorded with a shard ({@link #metrics}). */
  static List<String> skipped(JsonObject metrics) {
    if (!metrics.has("skippedImages")) {
      return List.of();
    }
    return Arrays.asList(ResultJson.GSON.fromJson(metrics.get("skippedImages"), String[].class));
  }

  /** What the manifest records with a shard: its images and the ones skipped. */
  static JsonObject metrics(Shard<?> shard) {
    JsonObject o = new JsonObject();
    o.addProperty("images", shard.predictions().size());
    o.addProperty("skipped", shard.skipped().size());
    if (!shard.skipped().isEmpty()) {
      o.add("skippedImages", ResultJson.GSON.toJsonTree(shard.skipped()));
    }
    return o;
  }
}
