package io.selftrain.augment;

import static com.google.common.base.Preconditions.checkNotNull;

import io.selftrain.Example;
import io.selftrain.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The one implementation of {@link PolicyAugmenter}: a list of stages sampled in order, and an
 * executor that fuses each run of consecutive geometric ops into one nearest-neighbour warp.
 */
final class PolicyPipeline<T extends Target> implements PolicyAugmenter<T> {
  private final List<Stage> stages;
  private final String description;

  PolicyPipeline(List<Stage> stages, String description) {
    this.stages = List.copyOf(stages);
    this.description = description;
  }

  PolicyPipeline(List<Stage> stages) {
    this(stages, stages.stream().map(Stage::describe).collect(Collectors.joining("+")));
  }

  List<Stage> stages() {
    return stages;
  }

  @Override
  public List<AugmentStep> sample(Example<T> example, SplittableRandom rng) {
    checkNotNull(example, "example");
    checkNotNull(rng, "rng");
    int[] size = {example.image().height(), example.image().width()};
    List<AugmentStep> out = new ArrayList<>();
    for (Stage stage : stages) {
      stage.sample(size, rng, out);
    }
    return List.copyOf(out);
  }

  @Override
  public Example<T> apply(Example<T> example, List<AugmentStep> draw) {
    checkNotNull(example, "example");
    checkNotNull(draw, "draw");
    Work work = Work.of(example);
    execute(work, draw, true);
    return work.toExample(example);
  }

  /**
   * Runs the steps: {@link Plan} resolves them and moves size and boxes, {@link OpKernels} moves
   * pixels and mask; with {@code fuse}, consecutive geometric ops are composed and resampled once.
   */
  static void execute(Work work, List<AugmentStep> draw, boolean fuse) {
    int height = work.height;
    int width = work.width;
    OpKernels.run(work, height, width, Plan.resolve(work, draw, fuse));
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public String toString() {
    return "PolicyAugmenter[" + description + "]";
  }
}
