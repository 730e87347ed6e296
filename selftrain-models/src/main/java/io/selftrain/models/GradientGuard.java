package io.selftrain.models;

import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.TrainingDivergedException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * Detects non-finite gradients after {@code backward} and before the optimizer step, so that a NaN
 * or infinity never reaches the weights silently (a finite loss does not imply finite gradients).
 *
 * <pre>{@code
 * try (GradientCollector gc = trainer.newGradientCollector()) {
 *   gc.backward(loss);
 * }
 * GradientGuard.checkFinite(model.getBlock(), step);
 * trainer.step();
 * }</pre>
 */
public final class GradientGuard {
  private GradientGuard() {}

  /**
   * The names of the trainable parameters whose gradient holds a NaN or an infinity.
   *
   * @param block an initialized block after a backward pass
   * @return parameter names in the block's order; empty when every gradient is finite
   */
  public static List<String> nonFiniteGradients(Block block) {
    checkNotNull(block, "block");
    List<String> bad = new ArrayList<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      Parameter parameter = p.getValue();
      if (!parameter.requiresGradient() || !parameter.isInitialized()) {
        continue;
      }
      NDArray array = parameter.getArray();
      if (!array.hasGradient()) {
        continue;
      }
      float value;
      // Every array made here (the gradient handle, |g|, the sum) belongs to the scope and is freed
      // with it.
      try (NDManager scope = array.getManager().newSubManager()) {
        NDArray gradient = array.getGradient();
        gradient.attach(scope);
        // One reduction per parameter: the sum of |g| is NaN or infinite when any element is (an
        // overflow of
        // a finite sum would also be reported, which is as unusable for a step).
        value = gradient.abs().sum().getFloat();
      }
      if (!Float.isFinite(value)) {
        bad.add(p.getKey());
      }
    }
    return bad;
  }

  /**
   * Throws when any gradient is not finite.
   *
   * @param block an initialized block after a backward pass
   * @param step the training step, for the message
   * @throws TrainingDivergedException naming the step and the first parameters with non-finite
   *     gradients
   */
  public static void checkFinite(Block block, long step) {
    List<String> bad = nonFiniteGradients(block);
    if (!bad.isEmpty()) {
      throw new TrainingDivergedException(
          "gradients must be finite: step "
              + step
              + ", "
              + bad.size()
              + " parameters with NaN or infinity, first "
              + bad.subList(0, Math.min(5, bad.size())));
    }
  }
}
