package io.selftrain.core;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.hash.Hasher;
import com.google.gson.JsonObject;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.Metrics;
import io.selftrain.Prediction;
import io.selftrain.PseudoLabel;
import io.selftrain.Student;
import io.selftrain.Teacher;
import io.selftrain.core.data.MaskPngs;
import io.selftrain.core.eval.ConfusionMatrix;
import io.selftrain.core.label.MaskPseudoLabelConfig;
import io.selftrain.core.label.PseudoLabelers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Semantic segmentation in a {@link SelfTrainingRun} (Zoph et al. 2020, Sec. 3 and the PASCAL VOC
 * experiments): pseudo masks are the un-noised teacher's per-pixel argmax where its top probability
 * reaches a threshold, 255 (ignored) elsewhere, stored in the stage's pseudo-label file and as PNG
 * masks ({@code round-N/pseudo-masks/<pool index>.png}); a batch's masks, optionally CutMixed
 * between its pseudo examples ({@link CutMix}), go to the student's per-example cross entropy,
 * which skips 255; models are scored with mIoU over one confusion matrix of every validation pixel
 * ({@link ConfusionMatrix}), and each evaluation writes the predicted masks as PNG ({@code
 * <stage>-predictions/<name>.png}).
 */
final class SegmentationSupport implements TaskSupport<MaskTarget> {
  /** Images per teacher call. */
  static final int INFERENCE_BATCH = 64;

  /**
   * The value recorded for a class absent from both truth and prediction, whose IoU is undefined
   * (COCO's -1).
   */
  static final double ABSENT = -1;

  private final MaskPseudoLabelConfig rules;
  private final double pseudoCutMix;
  private final double priorCorrection;
  private final int numClasses;
  private final List<MaskTarget> poolTruth;
  private final List<String> validationNames;

  /**
   * @param rules the pseudo-mask rules
   * @param pseudoCutMix CutMix's Beta parameter between the pseudo examples of student batches; 0 =
   *     off
   * @param priorCorrection the strength of the pseudo rows' prior correction ({@link
   *     PseudoPriorCorrection}); 0 = off
   * @param numClasses the classes, background included
   * @param poolTruth the pool's true masks, or null
   * @param validationNames the PNG file name of each validation image's predicted mask
   */
  SegmentationSupport(
      MaskPseudoLabelConfig rules,
      double pseudoCutMix,
      double priorCorrection,
      int numClasses,
      List<MaskTarget> poolTruth,
      List<String> validationNames) {
    this.rules = rules;
    this.pseudoCutMix = pseudoCutMix;
    this.priorCorrection = priorCorrection;
    this.numClasses = numClasses;
    this.poolTruth = poolTruth;
    this.validationNames = validationNames;
  }

  /** One PNG name per validation image: its index, zero-padded. */
  static List<String> indexNames(int count) {
    List<String> names = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      names.add(String.format(Locale.ROOT, "%06d.png", i));
    }
    return names;
  }

  @Override
  public String task() {
    return "segmentation";
  }

  @Override
  public String digestTag() {
    return "segmentation";
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public List<String> metricNames() {
    List<String> names = new ArrayList<>(List.of("miou", "pixelAccuracy"));
    for (int k = 0; k < numClasses; k++) {
      names.add("iou/" + k);
    }
    return names;
  }

  @Override
  public Evaluation evaluate(
      Teacher<MaskTarget> model,
      List<Example<MaskTarget>> validation,
      WorkDirectory dir,
      String stageKey)
      throws IOException {
    List<Image> images = new ArrayList<>(validation.size());
    validation.forEach(e -> images.add(e.image()));
    List<Prediction<MaskTarget>> predictions =
        Teachers.predictAll(model, images, INFERENCE_BATCH, (done, total) -> {});
    ConfusionMatrix matrix = new ConfusionMatrix(numClasses);
    List<String> files = new ArrayList<>(predictions.size());
    for (int i = 0; i < predictions.size(); i++) {
      MaskTarget predicted = predictions.get(i).target();
      matrix.add(validation.get(i).target(), predicted);
      String file = stageKey + "-predictions/" + validationNames.get(i);
      MaskPngs.write(dir.resolve(file), predicted);
      files.add(file);
    }
    Map<String, Double> values = new LinkedHashMap<>();
    matrix.scores().asMap().forEach((name, v) -> values.put(name, Double.isNaN(v) ? ABSENT : v));
    return new Evaluation(new Metrics("miou", values), files);
  }

  @Override
  public String evaluationKey() {
    return numClasses + " classes " + validationNames.hashCode();
  }

  @Override
  public List<Object> pseudoRules() {
    return List.of(rules.describe());
  }

  @Override
  public List<String> pseudoOnlyNoise() {
    List<String> parts = new ArrayList<>();
    if (pseudoCutMix > 0) {
      parts.add("pseudoCutMix=" + pseudoCutMix);
    }
    if (priorCorrection > 0) {
      parts.add("priorCorrection=" + priorCorrection);
    }
    return parts;
  }

  @Override
  public int inferenceBatch() {
    return INFERENCE_BATCH;
  }

  @Override
  public List<Prediction<MaskTarget>> predict(Teacher<MaskTarget> teacher, List<Image> images) {
    return Teachers.predictAll(teacher, images, INFERENCE_BATCH, (done, total) -> {});
  }

  @Override
  public String predictionKey() {
    return "";
  }

  @Override
  public TargetCodec<MaskTarget> predictionCodec() {
    return new MaskTargetCodec(numClasses, true);
  }

  @Override
  public Labeled<MaskTarget> select(
      List<Prediction<MaskTarget>> predictions, SplittableRandom rng) {
    List<PseudoLabel<MaskTarget>> labels =
        PseudoLabelers.segmentation(rules).select(predictions, rng);
    List<MaskTarget> masks = new ArrayList<>(predictions.size());
    predictions.forEach(p -> masks.add(p == null ? null : p.target()));
    return new Labeled<>(labels, PseudoMaskStatistics.of(masks, labels, poolTruth, numClasses));
  }

  @Override
  public List<String> writeLabelFiles(
      WorkDirectory dir, String stageKey, List<PseudoLabel<MaskTarget>> labels) throws IOException {
    List<String> files = new ArrayList<>(labels.size());
    for (PseudoLabel<MaskTarget> label : labels) {
      String file = String.format(Locale.ROOT, "%s-masks/%06d.png", stageKey, label.poolIndex());
      MaskPngs.write(dir.resolve(file), label.target());
      files.add(file);
    }
    return files;
  }

  @Override
  public TargetCodec<MaskTarget> codec() {
    return new MaskTargetCodec(numClasses);
  }

  @Override
  public PseudoSummary summaryFrom(JsonObject m) {
    return new PseudoMaskStats(
        m.get("pool").getAsInt(),
        m.get("kept").getAsInt(),
        m.get("labeledFraction").getAsDouble(),
        ResultJson.GSON.fromJson(m.get("classHistogram"), long[].class),
        m.get("meanConfidence").getAsDouble(),
        m.get("pixelAccuracy").getAsDouble());
  }

  @Override
  public BatchEncoder<MaskTarget> encoder(
      Student<MaskTarget> student,
      TrainingSchedule schedule,
      boolean pseudoNoise,
      List<Example<MaskTarget>> human,
      List<Example<MaskTarget>> pseudo) {
    double cutMix = pseudoNoise ? pseudoCutMix : 0;
    float[] offsets =
        pseudoNoise && priorCorrection > 0 && !pseudo.isEmpty()
            ? PseudoPriorCorrection.offsets(human, pseudo, numClasses, priorCorrection)
            : null;
    return (inputs, targets, humanCount, stageSeed, step) -> {
      List<MaskTarget> masks =
          cutMix > 0
              ? CutMix.mixPseudoMasks(
                  inputs,
                  targets,
                  humanCount,
                  targets.size() - humanCount,
                  cutMix,
                  new SplittableRandom(Seeds.mix(stageSeed, -4, step)))
              : List.copyOf(targets);
      return offsets == null
          ? new EncodedTargetBatch<>(student, masks)
          : new PriorCorrectedMaskBatch(student, masks, humanCount, offsets);
    };
  }

  @Override
  public void fingerprint(Hasher hasher, MaskTarget target) {
    hasher.putInt(target.height()).putInt(target.width()).putBytes(target.classes());
  }

  @Override
  public void check(RunConfig<MaskTarget> c) {
    checkMasks("labeled", c.labeled());
    checkMasks("validation", c.validation());
    checkArgument(
        poolTruth == null || poolTruth.size() == c.unlabeled().size(),
        "unlabeledTruth must hold one mask per unlabeled image (%s): %s",
        c.unlabeled().size(),
        poolTruth == null ? 0 : poolTruth.size());
    checkArgument(
        validationNames.size() == c.validation().size(),
        "the validation file names must name the %s validation images: %s",
        c.validation().size(),
        validationNames.size());
  }

  private void checkMasks(String name, List<Example<MaskTarget>> set) {
    for (int i = 0; i < set.size(); i++) {
      MaskTarget mask = set.get(i).target();
      Image image = set.get(i).image();
      checkArgument(
          mask.height() == image.height() && mask.width() == image.width(),
          "%s[%s] has a %sx%s mask for a %sx%s image",
          name,
          i,
          mask.height(),
          mask.width(),
          image.height(),
          image.width());
      byte[] classes = mask.classes();
      for (int p = 0; p < classes.length; p++) {
        int k = classes[p] & 0xFF;
        checkArgument(
            k < numClasses || k == MaskTarget.IGNORE,
            "%s[%s] has class %s at (x %s, y %s), but the run has %s classes (classes(...)); 255 is ignored",
            name,
            i,
            k,
            p % mask.width(),
            p / mask.width(),
            numClasses);
      }
    }
  }

  @Override
  public Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("pseudoLabels", rules.describe());
    s.put("classes", Integer.toString(numClasses));
    s.put("pseudoCutMix", Double.toString(pseudoCutMix));
    s.put("priorCorrection", Double.toString(priorCorrection));
    return s;
  }
}
