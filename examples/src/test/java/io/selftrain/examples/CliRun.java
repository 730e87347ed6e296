package io.selftrain.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** One {@link Main#execute} call with its exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {
  /**
   * The options of the tests' tiny MNIST classify runs: 300 unlabeled images, width-8 teacher and
   * student, one thread, batches of 32 (seconds on two cores).
   */
  static final List<String> TINY_MNIST =
      List.of(
          "--dataset",
          "mnist",
          "--unlabeled",
          "300",
          "--width",
          "8",
          "--teacher-width",
          "8",
          "--threads",
          "1",
          "--batch",
          "32");

  /**
   * Runs a command with the given options followed by {@link #TINY_MNIST}.
   *
   * @param args the command and its own options
   * @return the outcome
   */
  static CliRun tinyMnist(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(TINY_MNIST);
    return of(all.toArray(String[]::new));
  }

  static synchronized CliRun of(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      return new CliRun(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** The lines on stderr that start with {@code error:}. */
  long errorLines() {
    return err.lines().filter(l -> l.startsWith("error:")).count();
  }

  boolean hasStackTrace() {
    return err.lines().anyMatch(l -> l.startsWith("\tat "));
  }
}
