package io.selftrain.benchmarks.augment;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.selftrain.BoxesTarget;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.augment.AugmentPolicy;
import io.selftrain.augment.Augmenters;
import io.selftrain.augment.DeviceAugmenter;
import io.selftrain.augment.DeviceBatch;
import io.selftrain.augment.Task;
import io.selftrain.core.Engines;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One batch of {@link BenchmarkImages} and a policy's {@link DeviceAugmenter} on a manager of the
 * chosen device: the work that {@link DeviceAugmentBenchmark} and {@link GpuAugmentBenchmark} time.
 */
final class DeviceAugmentCase implements AutoCloseable {
  private final int batch;
  private final boolean detection;
  private final NDManager manager;
  private final List<Example<ClassTarget>> classBatch;
  private final List<Example<BoxesTarget>> boxBatch;
  private final DeviceAugmenter<ClassTarget> classAugmenter;
  private final DeviceAugmenter<BoxesTarget> boxAugmenter;
  private final SplittableRandom rng = new SplittableRandom(7);

  /**
   * Opens the manager on the device and builds the batch and the policy.
   *
   * @param policy the policy
   * @param size image height and width, input and output
   * @param task {@code classification} or {@code detection}
   * @param device {@code cpu}, or {@code default} for the engine's default device
   * @param batch images per batch
   */
  DeviceAugmentCase(AugmentPolicy policy, int size, String task, String device, int batch) {
    Engine engine = Engines.load(Engines.PYTORCH);
    Device target = "cpu".equals(device) ? Device.cpu() : engine.defaultDevice();
    this.batch = batch;
    detection = "detection".equals(task);
    manager = engine.newBaseManager(target);
    classBatch = Collections.nCopies(batch, BenchmarkImages.classification(size));
    boxBatch = Collections.nCopies(batch, BenchmarkImages.detection(size));
    classAugmenter = Augmenters.device(Augmenters.policy(policy, Task.CLASSIFICATION, size, size));
    boxAugmenter = Augmenters.device(Augmenters.policy(policy, Task.DETECTION, size, size));
  }

  /**
   * Draws the batch's random streams, uploads the batch, augments it and reads one value back so
   * that the device has finished.
   *
   * @return the largest value of the augmented batch
   */
  byte augmentBatch() {
    List<SplittableRandom> generators = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      generators.add(rng.split());
    }
    try (DeviceBatch<?> out =
        detection
            ? boxAugmenter.augment(boxBatch, generators, manager)
            : classAugmenter.augment(classBatch, generators, manager)) {
      return out.images().max().toByteArray()[0];
    }
  }

  /** Closes the manager. */
  @Override
  public void close() {
    manager.close();
  }
}
