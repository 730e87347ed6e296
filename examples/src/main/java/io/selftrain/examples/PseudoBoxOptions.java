package io.selftrain.examples;

import io.selftrain.core.label.BoxPseudoLabelConfig;
import picocli.CommandLine.Option;

/**
 * The pseudo-box rules of the detection commands ({@code detect}, {@code study}): the score a
 * teacher's detection needs to become a pseudo box, the band below it that becomes ignored regions,
 * and what happens to images without a box. Defaults: the {@code detect} benchmark's rules, chosen
 * on its validation scenes (README, "Measured results (detection)").
 */
final class PseudoBoxOptions {
  @Option(
      names = "--score-threshold",
      paramLabel = "P",
      defaultValue = "0.3",
      description =
          "lowest score of a pseudo box; the paper's 0.5 suits confident teachers [${DEFAULT-VALUE}]")
  double scoreThreshold;

  @Option(
      names = "--ignore-score",
      paramLabel = "P",
      defaultValue = "0.1",
      description =
          "detections scoring in [P, --score-threshold) become ignored regions (neither object nor background); 0 = none [${DEFAULT-VALUE}]")
  double ignoreScore;

  @Option(
      names = "--keep-empty",
      description = "images without a pseudo box train as background (default: dropped)")
  boolean keepEmpty;

  @Option(
      names = "--no-cross-class-nms",
      description =
          "keep every class a teacher reports for one object (default: its best class only)")
  boolean noCrossClassNms;

  /**
   * The rules, checked here so that errors name the options.
   *
   * @param command the command's name, first in error messages
   */
  BoxPseudoLabelConfig config(String command) {
    if (!(scoreThreshold > 0 && scoreThreshold <= 1)) {
      throw new IllegalArgumentException(
          command + ": --score-threshold must be in (0, 1]: " + scoreThreshold);
    }
    if (!(ignoreScore >= 0 && ignoreScore <= scoreThreshold)) {
      throw new IllegalArgumentException(
          command
              + ": --ignore-score must be in [0, --score-threshold = "
              + scoreThreshold
              + "]: "
              + ignoreScore);
    }
    return BoxPseudoLabelConfig.paper()
        .withScoreThreshold(scoreThreshold)
        .withIgnoreScore(ignoreScore)
        .withKeepEmpty(keepEmpty)
        .withCrossClassNms(!noCrossClassNms);
  }
}
