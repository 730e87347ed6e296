package io.selftrain.core;

import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The auxiliary batches of {@link JointTraining}, one per optimizer step, as a pure function of
 * (stage seed, step): examples in reshuffled passes over the auxiliary dataset, each flipped left
 * to right with probability 1/2 by its own generator, so a batch is the same on any thread and
 * after a resume.
 */
final class AuxiliaryBatches {
  /** One batch: images (NCHW, [0, 1]) and class probabilities (batch x classes). */
  record Batch(float[] inputs, float[] targets, int size) {}

  private final List<Example<ClassTarget>> examples;
  private final int batchSize;
  private final int numClasses;
  private final long seed;
  private final int channels;
  private final int height;
  private final int width;
  private final Map<Long, int[]> orders = new HashMap<>();

  AuxiliaryBatches(JointTraining joint, long stageSeed) {
    this.examples = joint.auxiliary();
    this.batchSize = joint.batchSize();
    this.numClasses = joint.numClasses();
    this.seed = Seeds.derive(stageSeed, "auxiliary");
    Image first = examples.get(0).image();
    this.channels = first.channels();
    this.height = first.height();
    this.width = first.width();
  }

  /**
   * @return the shape of one batch's images, (batch, channels, height, width)
   */
  long[] shape() {
    return new long[] {batchSize, channels, height, width};
  }

  /**
   * @return auxiliary classes
   */
  int numClasses() {
    return numClasses;
  }

  /**
   * @param step the stage's step, counted over all epochs from 0
   * @return the batch for that step
   */
  Batch batch(long step) {
    int imageSize = channels * height * width;
    float[] inputs = new float[batchSize * imageSize];
    float[] targets = new float[batchSize * numClasses];
    int n = examples.size();
    for (int j = 0; j < batchSize; j++) {
      long position = step * batchSize + j;
      int index = order(position / n)[(int) (position % n)];
      Example<ClassTarget> example = examples.get(index);
      example.image().copyChwTo(inputs, j * imageSize);
      if (new SplittableRandom(Seeds.mix(seed, step, j)).nextBoolean()) {
        flipRows(inputs, j * imageSize);
      }
      example.target().copyProbabilitiesTo(targets, j * numClasses);
    }
    return new Batch(inputs, targets, batchSize);
  }

  private void flipRows(float[] image, int offset) {
    for (int row = 0; row < channels * height; row++) {
      int left = offset + row * width;
      for (int a = left, b = left + width - 1; a < b; a++, b--) {
        float t = image[a];
        image[a] = image[b];
        image[b] = t;
      }
    }
  }

  private synchronized int[] order(long pass) {
    if (orders.size() > 64) {
      orders.clear();
    }
    return orders.computeIfAbsent(
        pass, p -> MixedBatches.permutation(examples.size(), Seeds.mix(seed, -3, p)));
  }
}
