package io.selftrain.models.detection;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.selftrain.internal.FreedNativeMemory;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * RetinaNet's loss gives the same gradients whether or not the garbage collector runs between the
 * forward and the backward pass. Every number the loss multiplies, divides or compares a
 * differentiable array with is an operand that autograd keeps for the backward pass; DJL's {@code
 * mul(Number)} and its kin wrap the number in an array over a Java direct buffer and close it at
 * once, so a collection in between frees the memory that backward then reads. Found as a detection
 * teacher whose parameters differed in 1-3 of 40 fresh processes (with NaN gradients in 2 of about
 * 250): the collection in between here made it happen in 3 of 3 runs before the fix.
 */
class RetinaNetLossGradientAfterCollectionTest {
  private static final RetinaNetConfig CONFIG = RetinaNet.tiny64();
  private static final int BATCH = 2;
  private static final int ANCHORS = 64;

  @Test
  void perExample_collectionBeforeBackward_sameGradients() throws InterruptedException {
    float[][] quiet = gradients(false);
    float[][] collected = gradients(true);
    assertThat(collected[0]).as("class logits' gradient").containsExactly(quiet[0]);
    assertThat(collected[1]).as("box codes' gradient").containsExactly(quiet[1]);
    assertThat(quiet[1]).as("the box term takes part").isNotEqualTo(new float[quiet[1].length]);
  }

  /** The gradients of the summed loss with respect to the logits and the codes. */
  private static float[][] gradients(boolean collectBeforeBackward) throws InterruptedException {
    SplittableRandom random = new SplittableRandom(5);
    int classes = CONFIG.numClasses();
    float[] logits = new float[BATCH * ANCHORS * classes];
    float[] codes = new float[BATCH * ANCHORS * 4];
    float[] targets = new float[BATCH * ANCHORS * RetinaNetLabeler.COLUMNS];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < codes.length; i++) {
      codes[i] = (float) random.nextGaussian() * 0.3f;
    }
    for (int a = 0; a < BATCH * ANCHORS; a++) {
      int row = a * RetinaNetLabeler.COLUMNS;
      int kind = random.nextInt(4); // positive, negative, negative, ignored
      for (int c = 0; c < 4; c++) {
        targets[row + c] = kind == 0 ? (float) random.nextGaussian() * 0.3f : 0f;
      }
      targets[row + RetinaNetLabeler.LABEL] =
          kind == 0 ? random.nextInt(classes) : kind == 3 ? -2f : -1f;
      targets[row + RetinaNetLabeler.WEIGHT] = kind == 0 ? 0.5f + random.nextFloat() : 1f;
    }
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray z = manager.create(logits, new Shape(BATCH, ANCHORS, classes));
      NDArray t = manager.create(codes, new Shape(BATCH, ANCHORS, 4));
      z.setRequiresGradient(true);
      t.setRequiresGradient(true);
      try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
        NDArray loss =
            RetinaNetLoss.perExample(
                    CONFIG, z, t, manager.create(targets, new Shape(BATCH, ANCHORS, 6)))
                .sum();
        List<ByteBuffer> filler =
            collectBeforeBackward ? FreedNativeMemory.collectAndRefill() : List.of();
        collector.backward(loss);
        Reference.reachabilityFence(filler);
      }
      return new float[][] {z.getGradient().toFloatArray(), t.getGradient().toFloatArray()};
    }
  }
}
