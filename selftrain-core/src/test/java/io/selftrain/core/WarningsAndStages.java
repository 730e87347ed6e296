package io.selftrain.core;

import io.selftrain.SelfTrainingListener;
import io.selftrain.Stage;
import java.util.ArrayList;
import java.util.List;

/** Records a run's warnings and its stages as {@code round:STAGE[:resumed]}, for assertions. */
final class WarningsAndStages implements SelfTrainingListener {
  final List<String> warnings = new ArrayList<>();
  final List<String> stages = new ArrayList<>();

  @Override
  public void onWarning(String message) {
    warnings.add(message);
  }

  @Override
  public void onStage(int round, Stage stage, boolean resumed) {
    stages.add(round + ":" + stage + (resumed ? ":resumed" : ""));
  }
}
