package io.selftrain.core;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The few calls of DJL's {@code ai.djl.pytorch.jni.JniUtils} that selftrain needs, found by name:
 * library modules do not depend on an engine, and the PyTorch engine is a runtime dependency.
 */
final class PyTorchJni {
  private static final Method GET_NUM_THREADS;
  private static final Method SET_NUM_THREADS;
  private static final Method IS_GRAD_MODE;
  private static final Method SET_GRAD_MODE;
  private static final Method BACKWARD;

  static {
    Method[] found = new Method[5];
    try {
      Class<?> jni = Class.forName("ai.djl.pytorch.jni.JniUtils");
      Class<?> array = Class.forName("ai.djl.pytorch.engine.PtNDArray");
      found[0] = jni.getMethod("getNumThreads");
      found[1] = jni.getMethod("setNumThreads", int.class);
      found[2] = jni.getMethod("isGradMode");
      found[3] = jni.getMethod("setGradMode", boolean.class);
      found[4] = jni.getMethod("backward", array, array, boolean.class, boolean.class);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      java.util.Arrays.fill(found, null);
    }
    GET_NUM_THREADS = found[0];
    SET_NUM_THREADS = found[1];
    IS_GRAD_MODE = found[2];
    SET_GRAD_MODE = found[3];
    BACKWARD = found[4];
  }

  private PyTorchJni() {}

  /**
   * @return whether these calls serve the engine of that name: it is PyTorch and on the classpath
   */
  static boolean serves(String engine) {
    return Engines.PYTORCH.equals(engine) && BACKWARD != null;
  }

  /**
   * @return the intra-op thread count; the engine must be loaded
   */
  static int numThreads() {
    return (Integer) call(GET_NUM_THREADS);
  }

  /**
   * Sets the intra-op thread count: for the calling thread now, for any other at its next first op.
   */
  static void setNumThreads(int threads) {
    call(SET_NUM_THREADS, threads);
  }

  /**
   * @return whether the calling thread records operations for autograd (a thread-local libtorch
   *     flag)
   */
  static boolean isGradMode() {
    return (Boolean) call(IS_GRAD_MODE);
  }

  /** Switches the calling thread's autograd recording on or off. */
  static void setGradMode(boolean enabled) {
    call(SET_GRAD_MODE, enabled);
  }

  /** Back-propagates {@code output} with incoming gradient {@code seed} (both PyTorch arrays). */
  static void backward(Object output, Object seed) {
    call(BACKWARD, output, seed, false, false);
  }

  private static Object call(Method method, Object... args) {
    if (method == null) {
      throw new UnsupportedOperationException(
          "the PyTorch engine (ai.djl.pytorch:pytorch-engine) is not on the classpath");
    }
    try {
      return method.invoke(null, args);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot call " + method, e);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new IllegalStateException(method + " failed", cause);
    }
  }
}
