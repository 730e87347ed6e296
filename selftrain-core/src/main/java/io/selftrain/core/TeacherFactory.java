package io.selftrain.core;

import io.selftrain.Target;
import io.selftrain.Teacher;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Rebuilds a run's teacher in another process, such as a Spark executor, from the portable
 * description a {@link PoolLabeling} plan holds: the architecture's name ({@code Student#name()})
 * and the parameter file the run trained. Serializable, because a cluster ships it to its workers;
 * an implementation needs a public no-argument constructor to be named on a command line.
 */
@FunctionalInterface
public interface TeacherFactory extends Serializable {
  /**
   * Builds the un-noised teacher.
   *
   * @param model the architecture's name, as the run recorded it
   * @param parameters the parameter file
   * @param numClasses the number of classes it predicts
   * @return the teacher; the caller closes it
   * @throws IOException if the parameters cannot be read
   * @throws IllegalArgumentException naming the model if this factory does not build it
   */
  Teacher<? extends Target> create(String model, Path parameters, int numClasses)
      throws IOException;
}
