package io.selftrain.core;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;

/**
 * Records one training step's forward pass for back-propagation. On PyTorch it switches on the
 * calling thread's gradient mode (thread-local in libtorch) and back-propagates through {@link
 * PyTorchJni}, because DJL's PyTorch {@code GradientCollector} allows only one collector in the
 * whole process, which would stop two stages from training side by side. On other engines it is the
 * engine's own {@link GradientCollector}.
 */
abstract class GradientRecording implements AutoCloseable {
  /** Starts recording on the calling thread for {@code trainer}'s model. */
  static GradientRecording start(Trainer trainer) {
    if (PyTorchJni.serves(trainer.getManager().getEngine().getEngineName())) {
      return new ThreadLocalPyTorch();
    }
    return new EngineCollector(trainer.newGradientCollector());
  }

  /** Back-propagates {@code loss} (a scalar) into the gradients of the parameters it depends on. */
  abstract void backward(NDArray loss);

  /** Stops recording. */
  @Override
  public abstract void close();

  private static final class EngineCollector extends GradientRecording {
    private final GradientCollector collector;

    EngineCollector(GradientCollector collector) {
      this.collector = collector;
    }

    @Override
    void backward(NDArray loss) {
      collector.backward(loss);
    }

    @Override
    public void close() {
      collector.close();
    }
  }

  private static final class ThreadLocalPyTorch extends GradientRecording {
    private final boolean wasRecording;

    ThreadLocalPyTorch() {
      wasRecording = PyTorchJni.isGradMode();
      PyTorchJni.setGradMode(true);
    }

    @Override
    void backward(NDArray loss) {
      PyTorchJni.backward(loss, loss.onesLike());
    }

    @Override
    public void close() {
      if (!wasRecording) {
        PyTorchJni.setGradMode(false);
      }
    }
  }
}
