package io.selftrain.core;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.hash.Hasher;
import com.google.gson.JsonObject;
import io.selftrain.BoxesTarget;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Metrics;
import io.selftrain.Prediction;
import io.selftrain.PseudoLabel;
import io.selftrain.Student;
import io.selftrain.Teacher;
import io.selftrain.core.data.Letterbox;
import io.selftrain.core.eval.CocoDetection;
import io.selftrain.core.eval.CocoEvaluator;
import io.selftrain.core.eval.CocoGroundTruth;
import io.selftrain.core.label.BoxPseudoLabelConfig;
import io.selftrain.core.label.PseudoLabelers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Detection in a {@link SelfTrainingRun} (Zoph et al. 2020, Sec. 3): pseudo boxes are the un-noised
 * teacher's detections after per-class NMS scoring at least a threshold; a batch's boxes are
 * matched to the student's anchors on the training thread; models are scored with COCO AP exactly
 * as pycocotools' {@code COCOeval} ({@link CocoEvaluator}), and each evaluation writes the
 * validation set's detections in COCO results format beside the stage ({@code
 * <stage>-detections.json}), in the validation set's original pixels and ids.
 */
final class DetectionSupport implements TaskSupport<BoxesTarget> {
  /** Images per teacher call: a detector's outputs per image are large. */
  static final int INFERENCE_BATCH = 32;

  private final BoxPseudoLabelConfig rules;
  private final int numClasses;
  private final List<BoxesTarget> poolTruth;
  private final DetectionEvaluation evaluation;

  DetectionSupport(
      BoxPseudoLabelConfig rules,
      int numClasses,
      List<BoxesTarget> poolTruth,
      DetectionEvaluation evaluation) {
    this.rules = rules;
    this.numClasses = numClasses;
    this.poolTruth = poolTruth;
    this.evaluation = evaluation;
  }

  @Override
  public String task() {
    return "detection";
  }

  @Override
  public String digestTag() {
    return "detection";
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public List<String> metricNames() {
    return List.of(
        "ap",
        "ap50",
        "ap75",
        "apSmall",
        "apMedium",
        "apLarge",
        "ar1",
        "ar10",
        "ar100",
        "arSmall",
        "arMedium",
        "arLarge");
  }

  @Override
  public Evaluation evaluate(
      Teacher<BoxesTarget> model,
      List<Example<BoxesTarget>> validation,
      WorkDirectory dir,
      String stageKey)
      throws IOException {
    List<Image> images = new ArrayList<>(validation.size());
    validation.forEach(e -> images.add(e.image()));
    List<Prediction<BoxesTarget>> predictions =
        Teachers.predictAll(model, images, INFERENCE_BATCH, (done, total) -> {});
    List<CocoDetection> detections = evaluation.detections(predictions);
    String file = stageKey + "-detections.json";
    CocoDetection.write(dir.resolve(file), detections);
    Map<String, Double> values = CocoEvaluator.evaluate(evaluation.truth(), detections).asMap();
    return new Evaluation(new Metrics("ap", values), List.of(file));
  }

  @Override
  public String evaluationKey() {
    return evaluation.key();
  }

  @Override
  public List<Object> pseudoRules() {
    return List.of(rules.describe());
  }

  @Override
  public List<String> pseudoOnlyNoise() {
    return List.of();
  }

  @Override
  public int inferenceBatch() {
    return INFERENCE_BATCH;
  }

  @Override
  public List<Prediction<BoxesTarget>> predict(Teacher<BoxesTarget> teacher, List<Image> images) {
    return Teachers.predictAll(teacher, images, INFERENCE_BATCH, (done, total) -> {});
  }

  @Override
  public String predictionKey() {
    return "";
  }

  @Override
  public TargetCodec<BoxesTarget> predictionCodec() {
    return codec();
  }

  @Override
  public Labeled<BoxesTarget> select(
      List<Prediction<BoxesTarget>> predictions, SplittableRandom rng) {
    List<PseudoLabel<BoxesTarget>> labels =
        PseudoLabelers.detection(rules).select(predictions, rng);
    return new Labeled<>(
        labels, PseudoBoxStatistics.of(predictions, labels, poolTruth, numClasses));
  }

  @Override
  public TargetCodec<BoxesTarget> codec() {
    return new BoxesTargetCodec(numClasses);
  }

  @Override
  public PseudoSummary summaryFrom(JsonObject m) {
    return new PseudoBoxStats(
        m.get("pool").getAsInt(),
        m.get("kept").getAsInt(),
        m.get("images").getAsInt(),
        m.get("boxes").getAsInt(),
        m.get("ignored").getAsInt(),
        ResultJson.GSON.fromJson(m.get("perClass"), int[].class),
        ResultJson.GSON.fromJson(m.get("scoreHistogram"), int[].class),
        m.get("meanScore").getAsDouble(),
        m.get("precision50").getAsDouble(),
        m.get("recall50").getAsDouble());
  }

  @Override
  public BatchEncoder<BoxesTarget> encoder(
      Student<BoxesTarget> student,
      TrainingSchedule schedule,
      boolean pseudoNoise,
      List<Example<BoxesTarget>> human,
      List<Example<BoxesTarget>> pseudo) {
    return (inputs, targets, humanCount, stageSeed, step) ->
        new EncodedTargetBatch<>(student, List.copyOf(targets));
  }

  @Override
  public void fingerprint(Hasher hasher, BoxesTarget target) {
    for (float v : target.boxes()) {
      hasher.putFloat(v);
    }
    for (int k : target.classes()) {
      hasher.putInt(k);
    }
  }

  @Override
  public void check(RunConfig<BoxesTarget> c) {
    checkClasses("labeled", c.labeled());
    checkClasses("validation", c.validation());
    checkArgument(
        poolTruth == null || poolTruth.size() == c.unlabeled().size(),
        "unlabeledTruth must hold one target per unlabeled image (%s): %s",
        c.unlabeled().size(),
        poolTruth == null ? 0 : poolTruth.size());
    checkArgument(
        evaluation.size() == c.validation().size(),
        "the validation ground truth must describe the %s validation images: %s",
        c.validation().size(),
        evaluation.size());
  }

  private void checkClasses(String name, List<Example<BoxesTarget>> set) {
    for (int i = 0; i < set.size(); i++) {
      for (int k : set.get(i).target().classes()) {
        checkArgument(
            k < numClasses,
            "%s[%s] has a box of class %s, but the run has %s classes (categoryIds)",
            name,
            i,
            k,
            numClasses);
      }
    }
  }

  @Override
  public Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("pseudoLabels", rules.describe());
    s.put("classes", Integer.toString(numClasses));
    return s;
  }

  /**
   * What validation predictions are scored against: the COCO ground truth, each validation image's
   * COCO id, the class-to-category map and, for letterboxed images, how boxes map back to original
   * pixels.
   *
   * @param truth the ground truth, in original pixels, with crowd regions
   * @param imageIds one id per validation image, in order
   * @param categoryIds the category id of each class
   * @param letterboxes one per validation image, or null when images are at their original size
   */
  record DetectionEvaluation(
      CocoGroundTruth truth, long[] imageIds, int[] categoryIds, List<Letterbox> letterboxes) {
    int size() {
      return imageIds.length;
    }

    /**
     * What the score depends on beyond the examples: image and category ids, letterboxes, the
     * truth.
     */
    String key() {
      return java.util.Arrays.toString(imageIds)
          + java.util.Arrays.toString(categoryIds)
          + letterboxes
          + truth.annotations().size()
          + truth.annotations().hashCode();
    }

    /** Predictions (in model-input pixels) as COCO detections in original pixels. */
    List<CocoDetection> detections(List<Prediction<BoxesTarget>> predictions) {
      List<CocoDetection> out = new ArrayList<>();
      for (int i = 0; i < predictions.size(); i++) {
        BoxesTarget t = predictions.get(i).target();
        float[] boxes = letterboxes == null ? t.boxes() : letterboxes.get(i).toOriginal(t.boxes());
        int[] classes = t.classes();
        float[] scores = t.scores();
        for (int j = 0; j < classes.length; j++) {
          double x1 = boxes[4 * j];
          double y1 = boxes[4 * j + 1];
          out.add(
              new CocoDetection(
                  imageIds[i],
                  categoryIds[classes[j]],
                  x1,
                  y1,
                  boxes[4 * j + 2] - x1,
                  boxes[4 * j + 3] - y1,
                  scores[j]));
        }
      }
      return out;
    }
  }
}
