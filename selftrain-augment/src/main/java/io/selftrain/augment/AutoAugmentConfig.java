package io.selftrain.augment;

import static com.google.common.base.Preconditions.checkState;

import java.util.List;
import org.immutables.value.Value;

/**
 * An AutoAugment policy as data (Cubuk et al. 2019; Zoph et al. 2019 for detection): per example
 * one sub-policy is chosen uniformly, and its ops run in order, each with its probability. Box-only
 * ops always run and change each box with a third of the op's probability (TF detection semantics).
 * Build one from a published table with {@link #of(AutoAugmentPolicy)} or write your own.
 */
@Value.Immutable
public interface AutoAugmentConfig {
  /**
   * @return the sub-policies; each is a list of ops applied in order
   */
  List<List<OpSpec>> subPolicies();

  /**
   * @return the pixel constants of the level-to-argument mapping
   */
  @Value.Default
  default OpConstants constants() {
    return OpConstants.imageNet();
  }

  /** Checks that there is at least one non-empty sub-policy. */
  @Value.Check
  default void check() {
    checkState(!subPolicies().isEmpty(), "subPolicies must not be empty: %s", subPolicies());
    for (List<OpSpec> sub : subPolicies()) {
      checkState(
          !sub.isEmpty(), "subPolicies must not contain an empty sub-policy: %s", subPolicies());
    }
  }

  /**
   * @return a new builder
   */
  static ImmutableAutoAugmentConfig.Builder builder() {
    return ImmutableAutoAugmentConfig.builder();
  }

  /**
   * @param policy a published policy
   * @return its table with its constants
   */
  static AutoAugmentConfig of(AutoAugmentPolicy policy) {
    return builder().addAllSubPolicies(policy.subPolicies()).constants(policy.constants()).build();
  }
}
