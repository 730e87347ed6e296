package io.selftrain.examples;

import io.selftrain.ClassTarget;
import io.selftrain.Teacher;
import io.selftrain.core.Engines;
import io.selftrain.core.Initialization;
import io.selftrain.core.TeacherFactory;
import io.selftrain.core.Teachers;
import io.selftrain.models.ConvNetConfig;
import io.selftrain.models.ConvNets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rebuilds the teachers of {@code classify} runs on cluster executors ({@code spark-submit ...
 * --factory io.selftrain.examples.ExampleTeachers}): the ConvNet's name ({@code
 * cnn28-w32-drop0.00-sd0.00}, with {@code -h<hidden>} when not the default) carries its whole
 * architecture; the pool is single-channel (Fashion-MNIST, MNIST).
 */
public final class ExampleTeachers implements TeacherFactory {
  private static final long serialVersionUID = 1L;

  private static final Pattern NAME =
      Pattern.compile("cnn(\\d+)-w(\\d+)(?:-h(\\d+))?-drop([0-9.]+)-sd([0-9.]+)(-cl)?");

  /** For {@code --factory}: no settings. */
  public ExampleTeachers() {}

  @Override
  public Teacher<ClassTarget> create(String model, Path parameters, int numClasses)
      throws IOException {
    Matcher m = NAME.matcher(model);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "ExampleTeachers builds the classify command's ConvNets (cnn<size>-w<width>...): %s",
              model));
    }
    ConvNetConfig config =
        ConvNetConfig.builder()
            .numClasses(numClasses)
            .inputSize(Integer.parseInt(m.group(1)))
            .width(Integer.parseInt(m.group(2)))
            .hidden(
                m.group(3) != null ? Integer.parseInt(m.group(3)) : ConvNetConfig.DEFAULT_HIDDEN)
            .dropout(Float.parseFloat(m.group(4)))
            .stochasticDepth(Float.parseFloat(m.group(5)))
            .channelsLast(m.group(6) != null)
            .build();
    return Teachers.trained(
        ConvNets.student(config), Initialization.checkpoint(parameters), Engines.PYTORCH);
  }
}
