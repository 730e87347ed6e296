package io.selftrain.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import io.selftrain.augment.TorchAllocations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Offline set-up of DJL's engines, so applications never need to know it (reference: the project's
 * engines notes). Call {@link #configure(int)} once, before the first use of any engine.
 *
 * <h2>Engines</h2>
 *
 * <ul>
 *   <li><b>PyTorch</b> ({@code ai.djl.pytorch:pytorch-engine}, {@code pytorch-native-cpu}, {@code
 *       pytorch-jni}): trains students and runs teachers.
 *   <li><b>TensorFlow</b> ({@code ai.djl.tensorflow:tensorflow-engine} and {@code
 *       org.tensorflow:tensorflow-core-native}): inference only (teachers from SavedModels); DJL's
 *       TensorFlow engine has no gradient collector and cannot train.
 * </ul>
 *
 * <h2>Threads</h2>
 *
 * PyTorch's intra-op threads busy-wait; on a small machine another busy process slows training up
 * to 10x. {@link #configure(int)} fixes the thread count.
 *
 * <h2>Zero-filled allocations</h2>
 *
 * Loading the PyTorch engine makes libtorch zero-fill the CPU tensors it allocates ({@link
 * TorchAllocations}): libtorch 2.7.1's oneDNN convolution backward reads memory it never wrote on
 * some CPUs, and returns NaN gradients when a freed tensor left NaN there. {@link
 * #allocationStatus()} says what happened.
 *
 * <h2>Huge pages</h2>
 *
 * Before it loads the PyTorch engine, {@link #load} asks libtorch to back large tensors with
 * transparent huge pages ({@link TorchHugePages}): in a JVM, a training step otherwise spends more
 * time faulting in freshly allocated memory than computing.
 *
 * <h2>Reused blocks</h2>
 *
 * After it loads the PyTorch engine, {@link #load} makes libtorch keep its large freed CPU blocks
 * for the next allocations of their size ({@link TorchMemoryCache}), so that a training step stops
 * faulting in the memory the previous step freed.
 */
public final class Engines {
  /** The engine that trains students. */
  public static final String PYTORCH = "PyTorch";

  /** The inference-only engine for TensorFlow SavedModel teachers. */
  public static final String TENSORFLOW = "TensorFlow";

  private static final Set<String> TRAINING_ENGINES = Set.of(PYTORCH);

  private static String allocationStatus;
  private static String hugePagesStatus;
  private static String reuseStatus;

  private Engines() {}

  /**
   * Makes DJL work fully offline from the Maven Central native jars with a fixed thread count:
   * {@code ai.djl.offline=true} (no network look-ups; without it DJL probes a cloud metadata
   * address at start-up), PyTorch intra/inter-op threads, and, for TensorFlow, a native library
   * marker folder so that the natives are extracted from {@code tensorflow-core-native} on the
   * classpath instead of being downloaded. Settings the user has already made (system properties)
   * are kept.
   *
   * @param threads PyTorch intra-op threads, at least 1
   * @throws IllegalArgumentException if threads is not positive
   */
  public static void configure(int threads) {
    checkArgument(threads >= 1, "threads must be at least 1: %s", threads);
    setIfAbsent("ai.djl.offline", "true");
    setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(threads));
    setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    useBundledTensorFlowNatives();
  }

  /**
   * What loading the PyTorch engine did about libtorch's allocations (class comment, "Zero-filled
   * allocations", "Huge pages" and "Reused blocks").
   *
   * @return {@code "zero-filled, huge pages, blocks reused (up to <n> MiB)"}, or why not; {@code
   *     "PyTorch not loaded yet"} before {@link #load} loaded it
   */
  public static synchronized String allocationStatus() {
    return allocationStatus == null
        ? "PyTorch not loaded yet"
        : allocationStatus + ", " + hugePagesStatus + ", " + reuseStatus;
  }

  /** Asks for huge pages once, before PyTorch is loaded ({@link TorchHugePages}). */
  private static synchronized void requestHugePages() {
    if (hugePagesStatus == null) {
      hugePagesStatus = TorchHugePages.request();
    }
  }

  /**
   * Switches zero-filling on once, after PyTorch has loaded, and then the reuse of freed blocks
   * ({@link TorchMemoryCache}); warns on standard error if it cannot zero-fill.
   */
  private static synchronized void zeroFillAllocations(long reuseMiB) {
    if (allocationStatus != null) {
      return;
    }
    allocationStatus = TorchAllocations.zeroFill();
    if (!allocationStatus.startsWith("zero-filled")) {
      System.err.println(
          "selftrain: warning: libtorch's allocations "
              + allocationStatus
              + "; libtorch 2.7.1's convolution backward can return NaN gradients on some CPUs");
      // A reused block would start with what its last tensor left, where a fresh one starts as
      // the kernel's zeros.
      reuseStatus = "blocks not reused (not zero-filled)";
      return;
    }
    reuseStatus = TorchMemoryCache.install(reuseMiB);
  }

  /**
   * Points DJL's TensorFlow engine at the natives inside {@code tensorflow-core-native} (instead of
   * a download) unless the user set {@code TENSORFLOW_LIBRARY_PATH}; {@link #configure} and {@link
   * #load} call it.
   */
  private static void useBundledTensorFlowNatives() {
    if (System.getenv("TENSORFLOW_LIBRARY_PATH") == null
        && System.getProperty("TENSORFLOW_LIBRARY_PATH") == null) {
      System.setProperty("TENSORFLOW_LIBRARY_PATH", tensorflowMarkerDir().toString());
    }
  }

  /**
   * Loads an engine by name with a message that names the missing dependency when it is absent.
   * TensorFlow's natives come from the {@code tensorflow-core-native} jar even if {@link
   * #configure} was not called.
   *
   * @param name {@link #PYTORCH} or {@link #TENSORFLOW} (or any DJL engine name)
   * @return the engine
   * @throws IllegalArgumentException if the engine is not on the classpath, the system property
   *     {@code selftrain.torch.hugePages} is neither true nor false, or {@code
   *     selftrain.torch.memoryCacheMiB} is not a whole number
   */
  public static Engine load(String name) {
    checkNotNull(name, "name");
    if (TENSORFLOW.equals(name)) {
      useBundledTensorFlowNatives();
    }
    if (!Engine.getAllEngines().contains(name)) {
      throw new IllegalArgumentException(
          "engine "
              + name
              + " is not on the classpath: "
              + Engine.getAllEngines()
              + "; "
              + dependencyHint(name));
    }
    try {
      // Read before PyTorch loads, so that a bad value fails before anything changes.
      long reuseMiB = PYTORCH.equals(name) ? TorchMemoryCache.configuredMiB() : 0;
      if (PYTORCH.equals(name)) {
        requestHugePages();
      }
      Engine engine = Engine.getEngine(name);
      if (PYTORCH.equals(name)) {
        zeroFillAllocations(reuseMiB);
      }
      return engine;
    } catch (EngineException e) {
      throw new IllegalArgumentException(
          "engine " + name + " failed to load: " + e.getMessage() + "; " + dependencyHint(name), e);
    }
  }

  /**
   * Loads an engine that can train (has a gradient collector).
   *
   * @param name the engine's name
   * @return the engine
   * @throws IllegalArgumentException if the engine is absent or cannot train
   */
  public static Engine loadForTraining(String name) {
    checkArgument(
        TRAINING_ENGINES.contains(name),
        "engine %s cannot train the student; add ai.djl.pytorch:pytorch-engine and use engine(\"PyTorch\")",
        name);
    return load(name);
  }

  private static String dependencyHint(String name) {
    if (PYTORCH.equals(name)) {
      return "add ai.djl.pytorch:pytorch-engine, ai.djl.pytorch:pytorch-native-cpu (classifier linux-x86_64)"
          + " and ai.djl.pytorch:pytorch-jni as runtime dependencies";
    }
    if (TENSORFLOW.equals(name)) {
      return "add ai.djl.tensorflow:tensorflow-engine and org.tensorflow:tensorflow-core-native"
          + " (classifier linux-x86_64) as runtime dependencies";
    }
    return "add the DJL engine artifact for " + name;
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /**
   * A folder holding an empty {@code libjnitensorflow.so}: DJL then skips its own download and lets
   * JavaCPP extract the natives from the {@code tensorflow-core-native} jar on the classpath.
   */
  private static Path tensorflowMarkerDir() {
    try {
      Path dir = Path.of(System.getProperty("java.io.tmpdir"), "selftrain-tensorflow-natives");
      Files.createDirectories(dir);
      Path marker = dir.resolve("libjnitensorflow.so");
      if (!Files.exists(marker)) {
        Files.createFile(marker);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the TensorFlow native marker folder", e);
    }
  }
}
