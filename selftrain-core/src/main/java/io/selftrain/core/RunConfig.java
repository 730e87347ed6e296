package io.selftrain.core;

import io.selftrain.Augmenter;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.SelfTrainingListener;
import io.selftrain.Student;
import io.selftrain.Target;
import io.selftrain.Teacher;
import io.selftrain.core.data.StreamedExamples;
import io.selftrain.core.data.StreamedImages;
import io.selftrain.core.loss.LossNormalization;
import java.nio.file.Path;
import java.util.List;

/**
 * The settings of one run, snapshot by {@link RunBuilder#build()}: a builder changed afterwards
 * changes no run. Lists are immutable copies; {@code teacher} or {@code firstTeacher} is null
 * (exactly one is set), {@code jointTraining} is null without joint training, and {@code workDir}
 * is null for a new temporary folder.
 */
record RunConfig<T extends Target>(
    List<Example<T>> labeled,
    List<Image> unlabeled,
    List<Example<T>> validation,
    Student<T> teacher,
    Teacher<T> firstTeacher,
    Student<T> student,
    Initialization teacherInit,
    Initialization studentInit,
    Augmenter<T> augment,
    Augmenter<T> teacherAugment,
    LossNormalization lossNormalization,
    int pseudoRatio,
    boolean pseudoOnTop,
    double pseudoModelNoise,
    JointTraining jointTraining,
    boolean controlCurve,
    TrainingSchedule teacherSchedule,
    TrainingSchedule studentSchedule,
    int rounds,
    long seed,
    Path workDir,
    String engine,
    boolean control,
    int shardSize,
    boolean skipUnreadableImages,
    List<SelfTrainingListener> listeners) {
  RunConfig {
    // Streamed examples keep their images on disk; copying them would load every image.
    labeled = labeled instanceof StreamedExamples ? labeled : List.copyOf(labeled);
    // A streamed pool is immutable and read from disk; copying it would load it into memory.
    unlabeled = unlabeled instanceof StreamedImages ? unlabeled : List.copyOf(unlabeled);
    validation = List.copyOf(validation);
    listeners = List.copyOf(listeners);
  }

  /**
   * @return how a student batch divides into human and pseudo examples
   */
  StudentBatch studentBatch() {
    return StudentBatch.of(studentSchedule.batchSize(), pseudoRatio, pseudoOnTop);
  }

  /**
   * @return the model whose input shape every image must have
   */
  Student<T> shapeModel() {
    return teacher != null ? teacher : student;
  }
}
