package io.selftrain.core;

import io.selftrain.SelfTrainingListener;
import io.selftrain.Stage;
import java.util.ArrayList;
import java.util.List;

/**
 * Records a run's warnings and its stages as {@code round:STAGE[:resumed]}, for assertions.
 * Warnings about the schedules (tiny test runs are short by design; {@link SettingsWarningsTest}
 * covers them) are kept apart from the others (damaged files, unreadable images).
 */
final class WarningsAndStages implements SelfTrainingListener {
  final List<String> warnings = new ArrayList<>();
  final List<String> scheduleWarnings = new ArrayList<>();
  final List<String> stages = new ArrayList<>();

  @Override
  public void onWarning(String message) {
    boolean schedule =
        message.startsWith("studentSchedule ") || message.startsWith("teacherSchedule ");
    (schedule ? scheduleWarnings : warnings).add(message);
  }

  @Override
  public void onStage(int round, Stage stage, boolean resumed) {
    stages.add(round + ":" + stage + (resumed ? ":resumed" : ""));
  }
}
