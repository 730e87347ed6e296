package io.selftrain.core;

import io.selftrain.Augmenter;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.SelfTrainingListener;
import io.selftrain.Student;
import io.selftrain.Target;
import io.selftrain.Teacher;
import io.selftrain.core.loss.LossNormalization;
import java.nio.file.Path;
import java.util.List;

/**
 * The settings of one run, snapshot by {@link RunBuilder#build()}: a builder changed afterwards changes no
 * run. Lists are immutable copies; {@code teacher} or {@code firstTeacher} is null (exactly one is set),
 * {@code workDir} is null for a new temporary folder, and {@code validationFingerprint} identifies the
 * validation examples (recorded with every evaluation, so a stage resumed on another set is scored again).
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
    double pseudoModelNoise,
    TrainingSchedule teacherSchedule,
    TrainingSchedule studentSchedule,
    int rounds,
    long seed,
    Path workDir,
    String engine,
    boolean control,
    List<SelfTrainingListener> listeners,
    String validationFingerprint) {
  RunConfig {
    labeled = List.copyOf(labeled);
    unlabeled = List.copyOf(unlabeled);
    validation = List.copyOf(validation);
    listeners = List.copyOf(listeners);
  }

  /** @return a copy with this validation fingerprint */
  RunConfig<T> withValidationFingerprint(String fingerprint) {
    return new RunConfig<>(
        labeled, unlabeled, validation, teacher, firstTeacher, student, teacherInit, studentInit, augment, teacherAugment,
        lossNormalization, pseudoRatio, pseudoModelNoise, teacherSchedule, studentSchedule, rounds, seed, workDir, engine, control,
        listeners, fingerprint);
  }

  /** @return the model whose input shape every image must have */
  Student<T> shapeModel() {
    return teacher != null ? teacher : student;
  }
}
