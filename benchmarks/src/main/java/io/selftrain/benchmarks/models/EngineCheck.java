package io.selftrain.benchmarks.models;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.selftrain.core.Engines;

/**
 * Prints what the benchmarks will run on: DJL's PyTorch engine, its libtorch version, the GPUs it
 * sees and its default device, and checks one matrix product there. With {@code --require-gpu} it
 * exits with status 1 when the default device is not a GPU, so that a GPU run fails fast instead of
 * timing the CPU.
 *
 * <pre>
 * java -cp 'lib/*' io.selftrain.benchmarks.models.EngineCheck --require-gpu
 * </pre>
 */
public final class EngineCheck {
  private EngineCheck() {}

  /**
   * Loads the engine and prints its devices.
   *
   * @param args {@code --require-gpu} to fail without a GPU
   */
  public static void main(String[] args) {
    Engine engine = Engines.load(Engines.PYTORCH);
    Device device = engine.defaultDevice();
    System.out.printf(
        "engine %s %s, GPUs %d, default device %s%n",
        engine.getEngineName(), engine.getVersion(), engine.getGpuCount(), device);
    try (NDManager manager = engine.newBaseManager(device)) {
      NDArray a = manager.ones(new Shape(256, 256));
      float value = a.matMul(a).getFloat(0, 0);
      System.out.printf("256x256 ones matMul on %s: %.1f (expected 256.0)%n", a.getDevice(), value);
      if (value != 256f) {
        System.exit(1);
      }
    }
    if (args.length > 0 && "--require-gpu".equals(args[0]) && !device.isGpu()) {
      System.err.println("no GPU: the engine's default device is " + device);
      System.exit(1);
    }
  }
}
