package io.selftrain.internal;

import ai.djl.engine.Engine;
import java.lang.reflect.InvocationTargetException;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes libtorch zero-fill its CPU allocations before the first test class of a test JVM, as
 * selftrain-core's {@code Engines} does for applications (see {@code
 * io.selftrain.augment.TorchAllocations}: libtorch 2.7.1's convolution backward reads memory it
 * never wrote on some CPUs), for the tests that start the PyTorch engine directly. Registered for
 * every module through this test jar's {@code META-INF/services} and the parent pom's {@code
 * junit.jupiter.extensions.autodetection.enabled}; does nothing where selftrain-augment or the
 * PyTorch engine is not on the test classpath.
 */
public final class TorchZeroFill implements BeforeAllCallback {
  private static final String SWITCH = "io.selftrain.augment.TorchAllocations";
  private static boolean done;

  @Override
  public void beforeAll(ExtensionContext context) throws ReflectiveOperationException {
    zeroFill();
  }

  private static synchronized void zeroFill() throws ReflectiveOperationException {
    if (done) {
      return;
    }
    done = true;
    Class<?> allocations;
    try {
      allocations = Class.forName(SWITCH);
    } catch (ClassNotFoundException e) {
      return;
    }
    if (!Engine.getAllEngines().contains("PyTorch")) {
      return;
    }
    Engine.getEngine("PyTorch");
    try {
      String status = (String) allocations.getMethod("zeroFill").invoke(null);
      if (!status.startsWith("zero-filled")) {
        System.err.println("TorchZeroFill: " + status);
      }
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("zero-filling libtorch's allocations failed", e.getCause());
    }
  }
}
