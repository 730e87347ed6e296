package io.selftrain.core;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.Lists;
import com.google.common.hash.Hasher;
import com.google.gson.JsonObject;
import io.selftrain.ClassTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Metrics;
import io.selftrain.Prediction;
import io.selftrain.PseudoLabel;
import io.selftrain.Student;
import io.selftrain.Teacher;
import io.selftrain.core.label.PseudoLabelConfig;
import io.selftrain.core.label.PseudoLabelers;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Classification in a {@link SelfTrainingRun}: soft or hard pseudo labels with thresholds and class
 * balancing (Noisy Student), optionally over the teacher's mean of an image and its mirror; target
 * distributions with label smoothing, Mixup and CutMix on pseudo examples; top-1 accuracy.
 */
final class ClassificationSupport implements TaskSupport<ClassTarget> {
  private final PseudoLabelConfig pseudoLabels;
  private final double pseudoMixup;
  private final double pseudoCutMix;
  private final boolean teacherFlipAveraging;
  private final int numClasses;

  ClassificationSupport(
      PseudoLabelConfig pseudoLabels,
      double pseudoMixup,
      double pseudoCutMix,
      boolean teacherFlipAveraging,
      int numClasses) {
    this.pseudoLabels = pseudoLabels;
    this.pseudoMixup = pseudoMixup;
    this.pseudoCutMix = pseudoCutMix;
    this.teacherFlipAveraging = teacherFlipAveraging;
    this.numClasses = numClasses;
  }

  @Override
  public List<String> warningsBefore(RunConfig<ClassTarget> config) {
    return SettingsWarnings.fewHumanPasses(
            config.labeled().size(),
            config.unlabeled().size(),
            config.studentSchedule(),
            config.studentBatch())
        .stream()
        .toList();
  }

  @Override
  public String task() {
    return "classification";
  }

  @Override
  public String digestTag() {
    return null;
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public List<String> metricNames() {
    return List.of("top1");
  }

  @Override
  public Evaluation evaluate(
      Teacher<ClassTarget> model,
      List<Example<ClassTarget>> validation,
      WorkDirectory dir,
      String stageKey) {
    return new Evaluation(Metrics.of("top1", Teachers.top1(model, validation)), List.of());
  }

  @Override
  public String evaluationKey() {
    return "";
  }

  @Override
  public List<Object> pseudoRules() {
    return List.of(pseudoLabels.describe(), teacherFlipAveraging ? "flip-averaged" : "single view");
  }

  @Override
  public List<String> pseudoOnlyNoise() {
    List<String> parts = new ArrayList<>();
    if (pseudoMixup > 0) {
      parts.add("pseudoMixup=" + pseudoMixup);
    }
    if (pseudoCutMix > 0) {
      parts.add("pseudoCutMix=" + pseudoCutMix);
    }
    return parts;
  }

  @Override
  public int inferenceBatch() {
    return Teachers.INFERENCE_BATCH;
  }

  @Override
  public List<Prediction<ClassTarget>> predict(Teacher<ClassTarget> teacher, List<Image> images) {
    List<Prediction<ClassTarget>> predictions =
        Teachers.predictAll(teacher, images, (done, total) -> {});
    if (!teacherFlipAveraging) {
      return predictions;
    }
    List<Prediction<ClassTarget>> mirrored =
        Teachers.predictAll(
            teacher, Lists.transform(images, ClassificationSupport::mirror), (done, total) -> {});
    return average(predictions, mirrored);
  }

  @Override
  public String predictionKey() {
    return teacherFlipAveraging ? "flip-averaged" : "single view";
  }

  @Override
  public TargetCodec<ClassTarget> predictionCodec() {
    return codec();
  }

  @Override
  public Labeled<ClassTarget> select(
      List<Prediction<ClassTarget>> predictions, SplittableRandom rng) {
    List<PseudoLabel<ClassTarget>> labels =
        PseudoLabelers.classification(pseudoLabels).select(predictions, rng);
    return new Labeled<>(labels, stats(predictions, labels));
  }

  private PseudoLabelStats stats(
      List<Prediction<ClassTarget>> predictions, List<PseudoLabel<ClassTarget>> labels) {
    int[] perClass = new int[numClasses];
    double confidence = 0;
    BitSet unique = new BitSet(predictions.size());
    for (PseudoLabel<ClassTarget> label : labels) {
      perClass[label.target().classIndex()]++;
      confidence += label.confidence();
      unique.set(label.poolIndex());
    }
    double teacherConfidence = 0;
    int predicted = 0;
    for (Prediction<ClassTarget> p : predictions) {
      if (p != null) {
        teacherConfidence += p.confidence();
        predicted++;
      }
    }
    return new PseudoLabelStats(
        predictions.size(),
        labels.size(),
        unique.cardinality(),
        perClass,
        labels.isEmpty() ? 0 : confidence / labels.size(),
        predicted == 0 ? 0 : teacherConfidence / predicted);
  }

  @Override
  public TargetCodec<ClassTarget> codec() {
    return new ClassTargetCodec(numClasses);
  }

  @Override
  public PseudoSummary summaryFrom(JsonObject m) {
    return new PseudoLabelStats(
        m.get("pool").getAsInt(),
        m.get("kept").getAsInt(),
        m.get("unique").getAsInt(),
        ResultJson.GSON.fromJson(m.get("perClass"), int[].class),
        m.get("meanConfidence").getAsDouble(),
        m.get("teacherMeanConfidence").getAsDouble());
  }

  @Override
  public BatchEncoder<ClassTarget> encoder(
      Student<ClassTarget> student,
      TrainingSchedule schedule,
      boolean pseudoNoise,
      List<Example<ClassTarget>> human,
      List<Example<ClassTarget>> pseudo) {
    return new ClassTargetEncoder(
        schedule.labelSmoothing(),
        pseudoNoise ? pseudoMixup : 0,
        pseudoNoise ? pseudoCutMix : 0,
        human.get(0).image(),
        numClasses);
  }

  @Override
  public void fingerprint(Hasher hasher, ClassTarget target) {
    hasher.putInt(target.classIndex());
  }

  @Override
  public void check(RunConfig<ClassTarget> c) {
    for (List<Example<ClassTarget>> set : List.of(c.labeled(), c.validation())) {
      for (Example<ClassTarget> e : set) {
        checkArgument(
            e.target().numClasses() == numClasses,
            "every target must have %s classes: %s",
            numClasses,
            e.target().numClasses());
      }
    }
    int[] perClass = new int[numClasses];
    c.labeled().forEach(e -> perClass[e.target().classIndex()]++);
    for (int k = 0; k < numClasses; k++) {
      checkArgument(
          perClass[k] > 0, "labeled must hold every class; class %s has no example: %s", k, 0);
    }
    if (c.firstTeacher() != null) {
      int classes =
          c.firstTeacher()
              .predict(List.of(c.validation().get(0).image()))
              .get(0)
              .target()
              .numClasses();
      checkArgument(
          classes == numClasses,
          "firstTeacher predicts %s classes, the labels have %s: %s",
          classes,
          numClasses,
          c.firstTeacher().describe());
    }
  }

  @Override
  public Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put(
        "pseudoLabels",
        pseudoLabels.describe() + (teacherFlipAveraging ? " teacher=flip-averaged" : ""));
    s.put("pseudoMixup", Double.toString(pseudoMixup));
    s.put("pseudoCutMix", Double.toString(pseudoCutMix));
    return s;
  }

  /** The image mirrored left-right. */
  static Image mirror(Image image) {
    int w = image.width();
    int c = image.channels();
    byte[] src = image.pixels();
    byte[] dst = new byte[src.length];
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < w; x++) {
        System.arraycopy(src, (y * w + x) * c, dst, (y * w + (w - 1 - x)) * c, c);
      }
    }
    return Image.of(image.height(), w, c, dst);
  }

  /** The mean of two views' class probabilities, per image. */
  static List<Prediction<ClassTarget>> average(
      List<Prediction<ClassTarget>> a, List<Prediction<ClassTarget>> b) {
    List<Prediction<ClassTarget>> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      float[] p = a.get(i).target().probabilities();
      float[] q = b.get(i).target().probabilities();
      double sum = 0;
      for (int k = 0; k < p.length; k++) {
        p[k] = 0.5f * (p[k] + q[k]);
        sum += p[k];
      }
      for (int k = 0; k < p.length; k++) {
        p[k] = (float) (p[k] / sum);
      }
      ClassTarget target = ClassTarget.probabilities(p);
      out.add(new Prediction<>(target, target.confidence()));
    }
    return out;
  }
}
