package io.selftrain.core.label;

import io.selftrain.ClassTarget;
import io.selftrain.Prediction;
import io.selftrain.PseudoLabel;
import io.selftrain.PseudoLabeler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/** Threshold, hard/soft targets and Noisy Student class balancing for classification. */
final class ClassPseudoLabeler implements PseudoLabeler<ClassTarget> {
  private final PseudoLabelConfig config;

  ClassPseudoLabeler(PseudoLabelConfig config) {
    this.config = config;
  }

  @Override
  public List<PseudoLabel<ClassTarget>> select(
      List<Prediction<ClassTarget>> predictions, SplittableRandom rng) {
    Prediction<ClassTarget> first =
        predictions.stream().filter(Objects::nonNull).findFirst().orElse(null);
    if (first == null) {
      return List.of();
    }
    int numClasses = first.target().numClasses();
    List<List<PseudoLabel<ClassTarget>>> byClass = new ArrayList<>();
    for (int k = 0; k < numClasses; k++) {
      byClass.add(new ArrayList<>());
    }
    int kept = 0;
    for (int i = 0; i < predictions.size(); i++) {
      if (predictions.get(i) == null) {
        continue; // an unreadable image, skipped
      }
      ClassTarget teacher = predictions.get(i).target();
      float confidence = teacher.confidence();
      if (confidence < config.minConfidence()) {
        continue;
      }
      byClass.get(teacher.classIndex()).add(new PseudoLabel<>(i, target(teacher), confidence));
      kept++;
    }
    int perClass =
        config.perClass() == PseudoLabelConfig.AUTO_BALANCE
            ? Math.round((float) kept / numClasses)
            : config.perClass();
    List<PseudoLabel<ClassTarget>> out = new ArrayList<>();
    for (List<PseudoLabel<ClassTarget>> members : byClass) {
      out.addAll(perClass > 0 ? balance(members, perClass, rng) : members);
    }
    out.sort(Comparator.comparingInt(PseudoLabel::poolIndex));
    return out;
  }

  /**
   * Keeps the {@code n} most confident members, or duplicates all members {@code n / size} times
   * with the fractional remainder drawn at random (filter_unlabel.py's "include_copy").
   */
  static <T extends io.selftrain.Target> List<PseudoLabel<T>> balance(
      List<PseudoLabel<T>> members, int n, SplittableRandom rng) {
    if (members.isEmpty()) {
      return members;
    }
    if (members.size() >= n) {
      List<PseudoLabel<T>> sorted = new ArrayList<>(members);
      // Highest confidence first; ties keep pool order for determinism.
      sorted.sort(
          Comparator.comparingDouble((PseudoLabel<T> p) -> -p.confidence())
              .thenComparingInt(PseudoLabel::poolIndex));
      return sorted.subList(0, n);
    }
    double copies = (double) n / members.size();
    int whole = (int) Math.floor(copies);
    double fraction = copies - whole;
    List<PseudoLabel<T>> out = new ArrayList<>();
    for (PseudoLabel<T> member : members) {
      int times = whole + (rng.nextDouble() < fraction ? 1 : 0);
      for (int t = 0; t < times; t++) {
        out.add(member);
      }
    }
    return out;
  }

  private ClassTarget target(ClassTarget teacher) {
    if (config.mode() == PseudoLabelConfig.Mode.HARD) {
      return ClassTarget.index(teacher.classIndex(), teacher.numClasses());
    }
    float[] p = teacher.probabilities();
    if (config.temperature() == 1.0) {
      return ClassTarget.probabilities(p);
    }
    double inverse = 1.0 / config.temperature();
    double sum = 0;
    double[] scaled = new double[p.length];
    for (int k = 0; k < p.length; k++) {
      scaled[k] = Math.pow(p[k], inverse);
      sum += scaled[k];
    }
    for (int k = 0; k < p.length; k++) {
      p[k] = (float) (scaled[k] / sum);
    }
    return ClassTarget.probabilities(p);
  }

  @Override
  public String describe() {
    return config.describe();
  }
}
