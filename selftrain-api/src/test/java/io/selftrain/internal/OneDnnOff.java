package io.selftrain.internal;

import ai.djl.engine.Engine;
import java.lang.reflect.InvocationTargetException;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Switches libtorch's oneDNN convolutions off before the first test class of a test JVM, as
 * selftrain-core's {@code Engines} does for applications (see {@code
 * io.selftrain.augment.TorchConvolutions}: libtorch 2.7.1's oneDNN returns NaN gradients at random
 * on some CPUs), for the tests that start the PyTorch engine directly. Registered for every module
 * through this test jar's {@code META-INF/services} and the parent pom's {@code
 * junit.jupiter.extensions.autodetection.enabled}; does nothing where selftrain-augment or the
 * PyTorch engine is not on the test classpath.
 */
public final class OneDnnOff implements BeforeAllCallback {
  private static final String SWITCH = "io.selftrain.augment.TorchConvolutions";
  private static boolean done;

  @Override
  public void beforeAll(ExtensionContext context) throws ReflectiveOperationException {
    switchOff();
  }

  private static synchronized void switchOff() throws ReflectiveOperationException {
    if (done) {
      return;
    }
    done = true;
    Class<?> convolutions;
    try {
      convolutions = Class.forName(SWITCH);
    } catch (ClassNotFoundException e) {
      return;
    }
    if (!Engine.getAllEngines().contains("PyTorch")) {
      return;
    }
    Engine.getEngine("PyTorch");
    try {
      String status = (String) convolutions.getMethod("disableOneDnn").invoke(null);
      if (!status.startsWith("oneDNN off")) {
        System.err.println("OneDnnOff: " + status);
      }
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("switching oneDNN off failed", e.getCause());
    }
  }
}
