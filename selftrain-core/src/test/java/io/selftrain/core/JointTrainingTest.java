package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.selftrain.BoxesTarget;
import io.selftrain.ClassTarget;
import io.selftrain.EpochReport;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.Origin;
import io.selftrain.Prediction;
import io.selftrain.SelfTrainingListener;
import io.selftrain.Stage;
import io.selftrain.Student;
import io.selftrain.Teacher;
import io.selftrain.augment.AugmentPolicy;
import io.selftrain.core.data.Scene;
import io.selftrain.models.ConvNetConfig;
import io.selftrain.models.ConvNets;
import io.selftrain.models.detection.RetinaNet;
import io.selftrain.models.detection.RetinaNetConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Joint training (Zoph et al. 2020, Sec. 6): the block, the auxiliary batches and a run. */
class JointTrainingTest {
  private static final RetinaNetConfig DETECTOR = RetinaNet.tiny64().withNumClasses(10);
  private static List<Scene> labeled;
  private static List<Scene> pool;
  private static List<Scene> validation;

  @TempDir Path tmp;

  @BeforeAll
  static void scenes() {
    Engines.configure(1);
    List<Scene> all = TinyData.scenes(5, 24);
    labeled = all.subList(0, 8);
    pool = all.subList(8, 16);
    validation = all.subList(16, 24);
  }

  /**
   * An easy auxiliary task on RGB 16 x 16 images: class 0 dark, class 1 bright, with a little
   * per-image variation.
   */
  private static List<Example<ClassTarget>> brightness(int n) {
    List<Example<ClassTarget>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int label = i % 2;
      byte[] pixels = new byte[16 * 16 * 3];
      for (int p = 0; p < pixels.length; p++) {
        pixels[p] = (byte) ((label == 0 ? 20 : 220) + (p * 7 + i * 13) % 30);
      }
      out.add(
          new Example<>(Image.of(16, 16, 3, pixels), ClassTarget.index(label, 2), Origin.HUMAN));
    }
    return out;
  }

  private static JointTraining joint(List<Example<ClassTarget>> auxiliary) {
    return JointTraining.builder().addAllAuxiliary(auxiliary).numClasses(2).batchSize(4).build();
  }

  @Test
  void block_oneInputIsTheTaskNetwork_twoAddTheHeadOnTheBackbonesLastMap_fileFitsThePlainStudent()
      throws Exception {
    Student<BoxesTarget> student = RetinaNet.student(DETECTOR);
    Shape input = new Shape(2).addAll(student.inputShape());
    try (Model jointModel = Model.newInstance("joint", Engines.PYTORCH);
        Model plainModel = Model.newInstance("plain", Engines.PYTORCH)) {
      Block task = student.newBlock();
      JointBlock joint = new JointBlock(task, 3);
      jointModel.setBlock(joint);
      joint.initialize(jointModel.getNDManager(), DataType.FLOAT32, input);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      joint.saveParameters(new DataOutputStream(bytes));
      Block plain = student.newBlock();
      plainModel.setBlock(plain);
      plain.initialize(plainModel.getNDManager(), DataType.FLOAT32, input);
      plain.loadParameters(
          plainModel.getNDManager(),
          new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

      NDManager manager = jointModel.getNDManager();
      NDArray images = manager.randomUniform(0, 1, input);
      NDList fromJoint =
          joint.forward(new ParameterStore(manager, false), new NDList(images), false);
      NDArray onPlain = images.duplicate();
      plainModel.getNDManager().tempAttachAll(onPlain);
      NDList fromPlain =
          plain.forward(
              new ParameterStore(plainModel.getNDManager(), false), new NDList(onPlain), false);
      assertThat(fromJoint).hasSize(2);
      for (int i = 0; i < 2; i++) {
        assertThat(fromJoint.get(i).toFloatArray()).isEqualTo(fromPlain.get(i).toFloatArray());
      }

      // Two inputs: the task outputs, then logits = W * mean(backbone's last map) + b, computed
      // here from the arrays.
      NDArray auxiliary = manager.randomUniform(0, 1, new Shape(2, 3, 32, 32));
      NDList both =
          joint.forward(new ParameterStore(manager, false), new NDList(images, auxiliary), false);
      assertThat(both).hasSize(3);
      assertThat(both.get(0).toFloatArray()).isEqualTo(fromJoint.get(0).toFloatArray());
      NDList features =
          JointBlock.backboneOf(task)
              .orElseThrow()
              .forward(new ParameterStore(manager, false), new NDList(auxiliary), false);
      NDArray last = features.get(features.size() - 1);
      int channels = (int) last.getShape().get(1);
      int plane = (int) (last.getShape().get(2) * last.getShape().get(3));
      float[] map = last.toFloatArray();
      float[] weight = null;
      float[] bias = null;
      for (Pair<String, Parameter> p : joint.getParameters()) {
        if (p.getKey().contains("auxiliaryHead") && p.getKey().endsWith("weight")) {
          weight = p.getValue().getArray().toFloatArray();
        } else if (p.getKey().contains("auxiliaryHead") && p.getKey().endsWith("bias")) {
          bias = p.getValue().getArray().toFloatArray();
        }
      }
      assertThat(weight).hasSize(3 * channels);
      float[] logits = both.get(2).toFloatArray();
      assertThat(both.get(2).getShape()).isEqualTo(new Shape(2, 3));
      for (int b = 0; b < 2; b++) {
        for (int k = 0; k < 3; k++) {
          double expected = bias[k];
          for (int c = 0; c < channels; c++) {
            double mean = 0;
            for (int i = 0; i < plane; i++) {
              mean += map[(b * channels + c) * plane + i];
            }
            expected += weight[k * channels + c] * mean / plane;
          }
          assertThat((double) logits[b * 3 + k]).isCloseTo(expected, within(1e-4));
        }
      }
    }
  }

  @Test
  void block_auxiliaryBatchInTraining_leavesTheBackbonesRunningStatisticsAsTheTaskBatchLeftThem()
      throws Exception {
    Student<BoxesTarget> student = RetinaNet.student(DETECTOR);
    Shape input = new Shape(2).addAll(student.inputShape());
    try (Model model = Model.newInstance("joint", Engines.PYTORCH)) {
      JointBlock joint = new JointBlock(student.newBlock(), 3);
      model.setBlock(joint);
      joint.initialize(model.getNDManager(), DataType.FLOAT32, input);
      NDManager manager = model.getNDManager();
      NDArray images = manager.randomUniform(0, 1, input);
      NDArray auxiliary = manager.randomUniform(0, 0.2f, new Shape(4, 3, 32, 32));
      List<Parameter> statistics = new ArrayList<>();
      for (Pair<String, Parameter> p : joint.getParameters()) {
        if (p.getValue().getType() == Parameter.Type.RUNNING_MEAN
            || p.getValue().getType() == Parameter.Type.RUNNING_VAR) {
          statistics.add(p.getValue());
        }
      }
      assertThat(statistics).isNotEmpty();
      List<float[]> before = statistics.stream().map(p -> p.getArray().toFloatArray()).toList();

      // The task batch alone, in training mode: the statistics move.
      // Stochastic depth draws from the same stream in both passes.
      try (io.selftrain.TrainingNoise.Binding noise = io.selftrain.TrainingNoise.bind(7)) {
        joint.forward(new ParameterStore(manager, false), new NDList(images), true);
      }
      List<float[]> taskOnly = statistics.stream().map(p -> p.getArray().toFloatArray()).toList();
      assertThat(taskOnly.get(0)).isNotEqualTo(before.get(0));
      // Restore, then the task and the auxiliary batch: the same statistics as the task alone.
      for (int i = 0; i < statistics.size(); i++) {
        statistics.get(i).getArray().set(java.nio.FloatBuffer.wrap(before.get(i)));
      }
      try (io.selftrain.TrainingNoise.Binding noise = io.selftrain.TrainingNoise.bind(7)) {
        joint.forward(new ParameterStore(manager, false), new NDList(images, auxiliary), true);
      }
      for (int i = 0; i < statistics.size(); i++) {
        assertThat(statistics.get(i).getArray().toFloatArray()).isEqualTo(taskOnly.get(i));
      }
      // Without that care the auxiliary batch would move them: through the backbone alone.
      JointBlock.backboneOf(joint.getChildren().get(0).getValue())
          .orElseThrow()
          .forward(new ParameterStore(manager, false), new NDList(auxiliary), true);
      assertThat(statistics.get(0).getArray().toFloatArray()).isNotEqualTo(taskOnly.get(0));
    }
  }

  @Test
  void auxiliaryBatches_eachPassVisitsEveryExampleOnce_halfFlipped_sameForTheSameSeed() {
    List<Example<ClassTarget>> examples = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      byte[] pixels = new byte[2 * 3];
      for (int p = 0; p < pixels.length; p++) {
        pixels[p] = (byte) (i * 10 + p);
      }
      examples.add(
          new Example<>(Image.of(2, 3, 1, pixels), ClassTarget.index(i % 4, 4), Origin.HUMAN));
    }
    JointTraining settings =
        JointTraining.builder().addAllAuxiliary(examples).numClasses(4).batchSize(4).build();
    AuxiliaryBatches batches = new AuxiliaryBatches(settings, 11);
    int flipped = 0;
    for (int pass = 0; pass < 25; pass++) {
      boolean[] seen = new boolean[8];
      for (int step = 2 * pass; step < 2 * pass + 2; step++) {
        AuxiliaryBatches.Batch batch = batches.batch(step);
        assertThat(batch.inputs())
            .isEqualTo(new AuxiliaryBatches(settings, 11).batch(step).inputs());
        for (int j = 0; j < 4; j++) {
          float[] image = Arrays.copyOfRange(batch.inputs(), j * 6, j * 6 + 6);
          int index = Math.round(Math.min(image[0], image[2]) * 255f) / 10;
          assertThat(seen[index]).as("example %s twice in pass %s", index, pass).isFalse();
          seen[index] = true;
          float[] original = new float[6];
          examples.get(index).image().copyChwTo(original, 0);
          float[] mirrored = {
            original[2], original[1], original[0], original[5], original[4], original[3]
          };
          if (Arrays.equals(image, mirrored)) {
            flipped++;
          } else {
            assertThat(image).isEqualTo(original);
          }
          assertThat(Arrays.copyOfRange(batch.targets(), j * 4, j * 4 + 4))
              .isEqualTo(examples.get(index).target().probabilities());
        }
      }
      assertThat(seen).doesNotContain(false);
    }
    // 200 draws of a fair coin: 100 +- 5 standard deviations.
    assertThat(flipped).isBetween(65, 135);
    assertThat(new AuxiliaryBatches(settings, 12).batch(0).inputs())
        .isNotEqualTo(batches.batch(0).inputs());
  }

  /** Knows every scene's true boxes. */
  private static Teacher<BoxesTarget> oracle() {
    Map<Image, BoxesTarget> truth = new IdentityHashMap<>();
    for (List<Scene> set : List.of(labeled, pool, validation)) {
      set.forEach(s -> truth.put(s.image(), s.boxes()));
    }
    return new Teacher<>() {
      @Override
      public List<Prediction<BoxesTarget>> predict(List<Image> images) {
        return images.stream()
            .map(
                i ->
                    new Prediction<>(
                        truth.getOrDefault(i, BoxesTarget.of(new float[0], new int[0])), 1f))
            .toList();
      }

      @Override
      public String describe() {
        return "oracle";
      }
    };
  }

  private static DetectionRun.Builder run(Path dir, Teacher<BoxesTarget> teacher) {
    return SelfTraining.detection()
        .labeled(labeled.stream().map(Scene::detection).toList())
        .unlabeled(pool.stream().map(Scene::image).toList())
        .validation(validation.stream().map(Scene::detection).toList())
        .firstTeacher(teacher)
        .student(RetinaNet.student(DETECTOR))
        .augment(AugmentPolicy.S1)
        .pseudoRatio(1)
        .studentSchedule(TrainingSchedule.builder().epochs(3).batchSize(4).build())
        .rounds(1)
        .control(true)
        .seed(6)
        .workDir(dir);
  }

  @Test
  void run_studentAndControlLearnTheAuxiliaryTask_resumes_andRetrainsWhenJointTrainingChanges()
      throws Exception {
    Teacher<BoxesTarget> teacher = oracle();
    JointTraining settings = joint(brightness(16));
    Path dir = tmp.resolve("joint");
    SelfTrainingResult first;
    List<EpochReport> epochs = new ArrayList<>();
    SelfTrainingListener recorder =
        new SelfTrainingListener() {
          @Override
          public void onEpoch(EpochReport r) {
            epochs.add(r);
          }
        };
    try (DetectionRun run =
        run(dir, teacher).jointTraining(settings).addListener(recorder).build()) {
      first = run.fit();
    }
    assertThat(first.settings().get("jointTraining")).isEqualTo(settings.describe());
    for (Stage stage : List.of(Stage.STUDENT_TRAINING, Stage.SUPERVISED_CONTROL)) {
      List<EpochReport> reports = epochs.stream().filter(e -> e.stage() == stage).toList();
      assertThat(reports).hasSize(3);
      assertThat(reports).allMatch(e -> Double.isFinite(e.auxiliaryLoss()));
      // Dark against bright: the auxiliary head learns it within three epochs.
      assertThat(reports.get(2).auxiliaryLoss())
          .as("%s auxiliary loss by epoch", stage)
          .isLessThan(reports.get(0).auxiliaryLoss());
    }
    assertThat(EpochLog.read(dir).epochs())
        .filteredOn(e -> e.stage() == Stage.STUDENT_TRAINING)
        .extracting(EpochReport::auxiliaryLoss)
        .containsExactlyElementsOf(
            epochs.stream()
                .filter(e -> e.stage() == Stage.STUDENT_TRAINING)
                .map(EpochReport::auxiliaryLoss)
                .toList());
    byte[] jointStudent = Files.readAllBytes(dir.resolve("round-1/student.params"));

    // Same settings: every stage resumes, nothing changes.
    List<String> stages = new ArrayList<>();
    SelfTrainingListener stageRecorder =
        new SelfTrainingListener() {
          @Override
          public void onStage(int round, Stage stage, boolean resumed) {
            stages.add(stage + (resumed ? ":resumed" : ""));
          }
        };
    try (DetectionRun run =
        run(dir, teacher).jointTraining(settings).addListener(stageRecorder).build()) {
      assertThat(run.fit().rounds()).isEqualTo(first.rounds());
    }
    assertThat(stages).allMatch(s -> s.endsWith(":resumed"));

    // Another weight: the student and the control train again (the pseudo labels stay), to other
    // parameters of the same layout as a plain student's.
    stages.clear();
    try (DetectionRun run =
        run(dir, teacher)
            .jointTraining(settings.withWeight(0.5))
            .addListener(stageRecorder)
            .build()) {
      run.fit();
    }
    assertThat(stages)
        .contains("PSEUDO_LABELING:resumed", "STUDENT_TRAINING", "SUPERVISED_CONTROL");
    byte[] reweighted = Files.readAllBytes(dir.resolve("round-1/student.params"));
    assertThat(reweighted).isNotEqualTo(jointStudent);
    try (DetectionRun run = run(tmp.resolve("plain"), teacher).build()) {
      run.fit();
    }
    byte[] plain = Files.readAllBytes(tmp.resolve("plain/round-1/student.params"));
    assertThat(plain).hasSameSizeAs(jointStudent).isNotEqualTo(jointStudent);
  }

  @Test
  void build_rejectsAStudentWithoutBackbone_otherChannels_andLabelsOfAnotherSize() {
    List<Example<ClassTarget>> grey = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      grey.add(
          new Example<>(
              Image.filled(28, 28, 1, 10 * i), ClassTarget.index(i % 2, 2), Origin.HUMAN));
    }
    assertThatThrownBy(
            () ->
                SelfTraining.classification()
                    .labeled(TinyData.labeled())
                    .unlabeled(TinyData.unlabeled())
                    .validation(TinyData.validation())
                    .teacher(ConvNets.student(ConvNetConfig.builder().build()))
                    .jointTraining(joint(grey))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jointTraining needs a student with a backbone block")
        .hasMessageContaining("cnn");
    assertThatThrownBy(() -> run(tmp.resolve("grey"), oracle()).jointTraining(joint(grey)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "jointTraining auxiliary images must have the student's 3 channels: they have 1");
    List<Example<ClassTarget>> mixed = new ArrayList<>(brightness(4));
    mixed.add(new Example<>(Image.filled(16, 16, 3, 0), ClassTarget.index(0, 3), Origin.HUMAN));
    assertThatThrownBy(() -> joint(mixed))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("jointTraining auxiliary example 4 has 3 classes, numClasses is 2");
  }
}
