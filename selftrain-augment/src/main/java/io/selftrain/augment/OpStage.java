package io.selftrain.augment;

import java.util.List;
import java.util.SplittableRandom;

/** A single op with a probability (box-only ops always run, with a third of it per box). */
final class OpStage implements Stage {
  private final OpSpec spec;
  private final OpConstants constants;

  OpStage(OpSpec spec, OpConstants constants) {
    this.spec = spec;
    this.constants = constants;
  }

  @Override
  public void sample(int[] size, SplittableRandom rng, List<AugmentStep> out) {
    if (spec.op().isBoxesOnly() || rng.nextDouble() < spec.probability()) {
      out.add(spec.op().sample(spec.level(), spec.probability(), constants, rng));
    }
  }

  @Override
  public String describe() {
    return spec.op().tfName() + "(p=" + spec.probability() + ",level=" + spec.level() + ")";
  }
}
