package io.selftrain.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar examples/target/selftrain-examples.jar [--verbose] <command> [options]}, on
 * picocli: commands {@code classify} (see {@link ClassifyCommand}), {@code detect} ({@link
 * DetectCommand}), {@code segment} ({@link SegmentCommand}), {@code export-teacher} ({@link
 * ExportTeacherCommand}), {@code models} ({@link ModelsCommand}) and {@code augment} ({@link
 * AugmentCommand}); {@code --help}, {@code --version}.
 *
 * <p>Exit codes: 0 success, 1 the run failed (bad data, an unreadable or unwritable file, a
 * training error), 2 a usage error (an unknown command or option, a bad option value). Every error
 * is one line on stderr, {@code error: ...}, naming the option or the file; {@code --verbose} adds
 * the stack trace.
 */
@Command(
    name = "selftrain-examples",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Noisy Student self-training (Zoph et al. 2020) on real data.",
    subcommands = {
      Main.Classify.class,
      Main.Detect.class,
      Main.Segment.class,
      Main.ExportTeacher.class,
      Main.Models.class,
      Main.Augment.class
    })
public final class Main implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "print the stack trace of an error")
  boolean verbose;

  private Main() {}

  /** Without a command: the usage on stderr, exit code 2. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /**
   * Runs a command and exits with its code.
   *
   * @param args the command and its options
   */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command; returns its exit code instead of exiting. */
  static int execute(String... args) {
    Main main = new Main();
    CommandLine cli = new CommandLine(main);
    cli.setUnmatchedOptionsArePositionalParams(true);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          err.println("error: " + CliErrors.oneLine(e));
          if (main.verbose) {
            e.printStackTrace(err);
          }
          err.flush();
          return CliErrors.isUsage(e) ? 2 : 1;
        });
    cli.setParameterExceptionHandler(
        (e, args1) -> {
          PrintWriter err = e.getCommandLine().getErr();
          err.println("error: " + e.getMessage() + "; see --help");
          err.flush();
          return 2;
        });
    return cli.execute(args);
  }

  /** The project version, from a resource Maven fills in at build time. */
  static String version() {
    Properties properties = new Properties();
    try (InputStream in = Main.class.getResourceAsStream("/selftrain-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      properties.load(in);
    } catch (IOException e) {
      return "unknown";
    }
    return properties.getProperty("version", "unknown");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"selftrain " + version()};
    }
  }

  /** A command whose options its own class parses (and lists with {@code --help}). */
  private abstract static class Delegating implements Callable<Integer> {
    @Parameters(paramLabel = "OPTIONS", description = "the command's options; --help lists them")
    List<String> options = List.of();

    abstract void run(List<String> options) throws Exception;

    @Override
    public Integer call() throws Exception {
      run(options);
      return 0;
    }
  }

  @Command(
      name = "classify",
      description =
          "Noisy Student self-training on Fashion-MNIST or MNIST; ends with a teacher vs student table")
  static final class Classify extends Delegating {
    @Override
    void run(List<String> options) throws IOException {
      ClassifyCommand.run(options);
    }
  }

  @Command(
      name = "detect",
      description =
          "self-training for object detection (RetinaNet) on COCO data; teacher / student / control AP")
  static final class Detect extends Delegating {
    @Override
    void run(List<String> options) throws Exception {
      DetectCommand.run(options);
    }
  }

  @Command(
      name = "segment",
      description = "self-training for semantic segmentation (NAS-FPN) on images + PNG masks; mIoU")
  static final class Segment extends Delegating {
    @Override
    void run(List<String> options) throws Exception {
      SegmentCommand.run(options);
    }
  }

  @Command(
      name = "export-teacher",
      description =
          "trains classify's first teacher on PyTorch and writes it as a TensorFlow SavedModel")
  static final class ExportTeacher extends Delegating {
    @Override
    void run(List<String> options) throws Exception {
      ExportTeacherCommand.run(options);
    }
  }

  @Command(
      name = "models",
      description =
          "every registered model variant with task, input size and exact parameter count (--json)")
  static final class Models extends Delegating {
    @Override
    void run(List<String> options) throws Exception {
      ModelsCommand.run(options);
    }
  }

  @Command(
      name = "augment",
      description =
          "a PNG grid of originals and their augmentations under Augment-S1..S4, boxes or masks drawn")
  static final class Augment extends Delegating {
    @Override
    void run(List<String> options) throws Exception {
      AugmentCommand.run(options);
    }
  }
}
