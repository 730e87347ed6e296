package io.selftrain.examples;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar examples/target/selftrain-examples.jar <command> [options]}; commands: {@code
 * classify} (a Noisy Student run on Fashion-MNIST or MNIST; see {@link ClassifyCommand}), {@code
 * detect} ({@link DetectCommand}), {@code segment} ({@link SegmentCommand}), {@code study}
 * (pre-training vs self-training vs joint training; {@link StudyCommand}), {@code export-teacher}
 * (a SavedModel teacher; see {@link ExportTeacherCommand}), {@code models} (the model registry; see
 * {@link ModelsCommand}) and {@code augment} (a PNG grid of a policy's augmentations; see {@link
 * AugmentCommand}).
 *
 * <p>Exit codes: 0 success, 1 the run failed (bad data, a path that cannot be read or written), 2 a
 * usage error (an unknown option, a bad value). A failure prints one line {@code error: ...};
 * {@code --verbose} adds the stack trace.
 */
@Command(
    name = "selftrain-examples",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Noisy Student self-training (Zoph et al. 2020) on real data.",
    subcommands = {
      ClassifyCommand.class,
      SweepCommand.class,
      DetectCommand.class,
      SegmentCommand.class,
      StudyCommand.class,
      ExportTeacherCommand.class,
      ModelsCommand.class,
      AugmentCommand.class,
      // `generate-completion`: a bash/zsh completion script for every command and option, from
      // picocli
      picocli.AutoComplete.GenerateCompletion.class
    },
    footer = {
      "",
      "Exit codes: 0 success, 1 run failure, 2 usage error. '<command> --help' lists a command's options."
    })
public final class Main implements Runnable {
  static final int USAGE_ERROR = 2;
  static final int RUN_FAILURE = 1;

  @Option(
      names = "--verbose",
      scope = CommandLine.ScopeType.INHERIT,
      description = "print the stack trace of a failure")
  boolean verbose;

  private Main() {}

  /**
   * Runs a command and exits with its code.
   *
   * @param args the command and its options
   */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command without exiting. @return the exit code */
  static int execute(String... args) {
    return commandLine(Arrays.asList(args).contains("--verbose")).execute(args);
  }

  static CommandLine commandLine(boolean verbose) {
    CommandLine cli = new CommandLine(new Main());
    cli.setParameterExceptionHandler(
        (e, args) -> {
          PrintWriter err = e.getCommandLine().getErr();
          String name = e.getCommandLine().getCommandName();
          err.println(
              "error: "
                  + (name.equals("selftrain-examples") ? "" : name + ": ")
                  + e.getMessage()
                  + " (try '"
                  + e.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help')");
          err.flush();
          return USAGE_ERROR;
        });
    cli.setExecutionExceptionHandler(
        (e, command, parseResult) -> {
          PrintWriter err = command.getErr();
          Failure failure = Failure.of(e);
          err.println("error: " + failure.message());
          if (verbose) {
            e.printStackTrace(err);
          } else if (!failure.expected()) {
            err.println("(run with --verbose for the stack trace)");
          }
          err.flush();
          return failure.exitCode();
        });
    return cli;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** What a failure tells the user: one line and an exit code. */
  record Failure(String message, int exitCode, boolean expected) {
    static Failure of(Exception e) {
      if (e instanceof IllegalArgumentException) {
        return new Failure(e.getMessage(), USAGE_ERROR, true);
      }
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof IOException io) {
          return new Failure(describe(io), RUN_FAILURE, true);
        }
      }
      if (e instanceof IllegalStateException) {
        return new Failure(e.getMessage(), RUN_FAILURE, true);
      }
      return new Failure(String.valueOf(e), RUN_FAILURE, false);
    }

    private static String describe(IOException e) {
      if (e instanceof NoSuchFileException n) {
        return "file not found: " + n.getFile();
      }
      if (e instanceof AccessDeniedException a && a.getReason() == null) {
        return "permission denied: " + a.getFile();
      }
      if (e instanceof FileSystemException f && f.getFile() != null) {
        return f.getFile()
            + ": "
            + (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName());
      }
      if (e instanceof FileNotFoundException) {
        return e.getMessage();
      }
      return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
  }

  /** The project version, from the version.properties that Maven filters into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    static String projectVersion() {
      try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
        Properties p = new Properties();
        if (in != null) {
          p.load(in);
        }
        return p.getProperty("version", "unknown");
      } catch (IOException e) {
        return "unknown";
      }
    }

    @Override
    public String[] getVersion() {
      return new String[] {"selftrain-examples " + projectVersion()};
    }
  }
}
