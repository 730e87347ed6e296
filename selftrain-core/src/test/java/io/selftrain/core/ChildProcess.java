package io.selftrain.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Starts {@link ChildRun} (or another main class) in a fresh JVM on the test classpath and reads
 * its lines; optionally kills it with SIGKILL as soon as a line matches.
 */
final class ChildProcess {
  /** What the child printed and how it ended. */
  record Outcome(List<String> lines, int exitCode, boolean killed) {
    /** The lines that start with {@code prefix}. */
    List<String> starting(String prefix) {
      return lines.stream().filter(l -> l.startsWith(prefix)).toList();
    }
  }

  private ChildProcess() {}

  /**
   * Runs the child to its end, or kills it with SIGKILL right after it prints a line {@code killAt}
   * accepts.
   *
   * @param jvmOptions extra JVM options (heap size)
   * @param args {@link ChildRun}'s arguments
   */
  static Outcome run(List<String> jvmOptions, List<String> args, Predicate<String> killAt)
      throws IOException, InterruptedException {
    return run(ChildRun.class, jvmOptions, args, killAt);
  }

  /**
   * Runs {@code main} to its end, or kills it with SIGKILL right after it prints a line {@code
   * killAt} accepts.
   *
   * @param main the class whose {@code main} the child runs
   * @param jvmOptions extra JVM options (heap size, system properties)
   * @param args the child's arguments
   */
  static Outcome run(
      Class<?> main, List<String> jvmOptions, List<String> args, Predicate<String> killAt)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    boolean killed = false;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
        if (killAt.test(line)) {
          process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no finally block runs
          killed = true;
          break; // killing closes the stream
        }
      }
    } finally {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    return new Outcome(lines, process.exitValue(), killed);
  }
}
