package io.selftrain.augment;

import java.util.List;
import java.util.SplittableRandom;

/**
 * AutoAugment's draw (TF {@code select_and_apply_random_policy}): one sub-policy uniformly, then
 * each op with its probability; box-only ops always run with a per-box probability of a third of
 * theirs (TF detection {@code _apply_func_with_prob} forcing 1.0 for {@code *_Only_BBoxes}).
 */
final class AutoAugmentStage implements Stage {
  private final AutoAugmentConfig config;
  private final String name;

  AutoAugmentStage(AutoAugmentConfig config, String name) {
    this.config = config;
    this.name = name;
  }

  @Override
  public void sample(int[] size, SplittableRandom rng, List<AugmentStep> out) {
    List<List<OpSpec>> subs = config.subPolicies();
    List<OpSpec> sub = subs.get(rng.nextInt(subs.size()));
    for (OpSpec spec : sub) {
      boolean run = spec.op().isBoxesOnly() || rng.nextDouble() < spec.probability();
      if (run) {
        out.add(spec.op().sample(spec.level(), spec.probability(), config.constants(), rng));
      }
    }
  }

  @Override
  public String describe() {
    return "autoaugment(" + name + " " + config.constants().describe() + ")";
  }
}
