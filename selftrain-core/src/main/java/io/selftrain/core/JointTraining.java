package io.selftrain.core;

import static com.google.common.base.Preconditions.checkState;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import java.util.List;
import java.util.Locale;
import org.immutables.value.Value;

/**
 * Joint training (Zoph et al. 2020, Sec. 6): the student trains at once on its own task (human and
 * pseudo labels, combined by the run's loss normalization) and on an auxiliary labeled
 * classification dataset, through its shared backbone and a classification head of its own (global
 * average pooling of the backbone's last feature map, then one fully connected layer). Every step
 * adds one batch of auxiliary examples; their mean cross-entropy, times {@link #weight()}, is added
 * to the task loss. The paper trains COCO detection jointly with ImageNet classification and finds
 * it beats pre-training on the same ImageNet data (+2.9 AP vs +2.6 AP), and that pre-training,
 * joint training and self-training add up (+3.3 AP).
 *
 * <pre>{@code
 * .jointTraining(JointTraining.builder()
 * .addAllAuxiliary(fashionMnistTrain) // Example<ClassTarget>, any size, the student's channels
 *     .numClasses(10)
 *     .weight(1.0)
 *     .batchSize(32)
 *     .build())
 * }</pre>
 *
 * <p>Batch normalization keeps the task's running statistics: the auxiliary batch passes the
 * backbone as in inference (normalized by those statistics, no dropout or stochastic depth), with
 * its gradients recorded, so it never moves the running averages the task's inference uses (the
 * auxiliary images come from another distribution).
 *
 * <p>It applies to the students and to the supervised control (whose recipe is the students'), so
 * the control isolates what the pseudo labels add; the first teacher trains on the task alone. The
 * auxiliary images are flipped at random (the paper's ImageNet pipeline starts with a flip) and
 * otherwise used as given; they need the student's input channels but not its size (the backbone is
 * fully convolutional). Only students with a {@code backbone} block qualify (RetinaNet, NAS-FPN
 * segmentation); {@code build()} says so otherwise. The head's parameters are not saved: a joint
 * student's parameter file fits the plain student.
 */
@Value.Immutable
public interface JointTraining {
  /**
   * @return the auxiliary labeled examples, at least one, all with the same image shape
   */
  List<Example<ClassTarget>> auxiliary();

  /**
   * @return the auxiliary dataset's classes (the auxiliary head's outputs), at least 2
   */
  int numClasses();

  /**
   * @return the auxiliary loss's weight, positive (default 1)
   */
  @Value.Default
  default double weight() {
    return 1.0;
  }

  /**
   * @return auxiliary examples per step, at least 2 (default 32)
   */
  @Value.Default
  default int batchSize() {
    return 32;
  }

  /** Checks ranges and that every auxiliary example fits. */
  @Value.Check
  default void check() {
    checkState(!auxiliary().isEmpty(), "jointTraining auxiliary must not be empty");
    checkState(numClasses() >= 2, "jointTraining numClasses must be at least 2: %s", numClasses());
    checkState(
        weight() > 0 && Double.isFinite(weight()),
        "jointTraining weight must be positive: %s",
        weight());
    checkState(batchSize() >= 2, "jointTraining batchSize must be at least 2: %s", batchSize());
    Image first = auxiliary().get(0).image();
    for (int i = 0; i < auxiliary().size(); i++) {
      Example<ClassTarget> e = auxiliary().get(i);
      Image image = e.image();
      checkState(
          image.height() == first.height()
              && image.width() == first.width()
              && image.channels() == first.channels(),
          "jointTraining auxiliary example %s is %sx%sx%s, the first is %sx%sx%s",
          i,
          image.height(),
          image.width(),
          image.channels(),
          first.height(),
          first.width(),
          first.channels());
      checkState(
          e.target().numClasses() == numClasses(),
          "jointTraining auxiliary example %s has %s classes, numClasses is %s",
          i,
          e.target().numClasses(),
          numClasses());
    }
  }

  /**
   * @return a description for reports and fingerprints: sizes, weight, batch and a SHA-256 of the
   *     auxiliary images and labels (computed once)
   */
  @Value.Lazy
  default String describe() {
    Hasher h = Hashing.sha256().newHasher();
    for (Example<ClassTarget> e : auxiliary()) {
      h.putBytes(e.image().pixels());
      for (float p : e.target().probabilities()) {
        h.putFloat(p);
      }
    }
    Image first = auxiliary().get(0).image();
    return String.format(
        Locale.ROOT,
        "joint(aux=%d %dx%dx%d classes=%d weight=%s batch=%d sha256=%s bn=task-statistics)",
        auxiliary().size(),
        first.height(),
        first.width(),
        first.channels(),
        numClasses(),
        weight(),
        batchSize(),
        h.hash());
  }

  /**
   * @return a builder
   */
  static ImmutableJointTraining.Builder builder() {
    return ImmutableJointTraining.builder();
  }

  /**
   * @param value the weight
   * @return a copy with another auxiliary loss weight
   */
  JointTraining withWeight(double value);
}
