package io.selftrain.augment;

import java.util.List;
import java.util.SplittableRandom;

/** RandAugment's draw: N ops, each uniform over the configured ops, always applied at level M. */
final class RandAugmentStage implements Stage {
  private final RandAugmentConfig config;

  RandAugmentStage(RandAugmentConfig config) {
    this.config = config;
  }

  @Override
  public void sample(int[] size, SplittableRandom rng, List<AugmentStep> out) {
    List<AugmentOp> ops = config.ops();
    for (int i = 0; i < config.numLayers(); i++) {
      AugmentOp op = ops.get(rng.nextInt(ops.size()));
      out.add(op.sample(config.magnitude(), 1.0, config.constants(), rng));
    }
  }

  @Override
  public String describe() {
    return "randaugment(" + config.spec() + " " + config.constants().describe() + ")";
  }
}
