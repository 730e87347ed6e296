package io.selftrain.examples;

import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar examples/target/selftrain-examples.jar <command> [options]}; commands:
 * {@code classify} (a Noisy Student run on Fashion-MNIST or MNIST; see {@link ClassifyCommand}),
 * {@code export-teacher} (a SavedModel teacher; see {@link ExportTeacherCommand}), {@code models} (the model
 * registry; see {@link ModelsCommand}) and {@code augment} (a PNG grid of a policy's augmentations; see
 * {@link AugmentCommand}).
 */
public final class Main {
  private Main() {}

  /**
   * Runs a command.
   *
   * @param args the command and its options
   */
  public static void main(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      System.out.println(usage());
      return;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    try {
      switch (args[0]) {
        case "classify":
          ClassifyCommand.run(rest);
          break;
        case "detect":
          DetectCommand.run(rest);
          break;
        case "segment":
          SegmentCommand.run(rest);
          break;
        case "models":
          ModelsCommand.run(rest);
          break;
        case "export-teacher":
          ExportTeacherCommand.run(rest);
          break;
        case "augment":
          AugmentCommand.run(rest);
          break;
        default:
          throw new IllegalArgumentException(
              "unknown command: " + args[0] + "; known: [augment, classify, detect, export-teacher, models, segment]");
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println("error: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  static String usage() {
    return String.join(
        "\n",
        "usage: java -jar selftrain-examples.jar <command> [options]",
        "",
        "commands:",
        "  classify   Noisy Student self-training on Fashion-MNIST or MNIST; ends with a teacher vs student table",
        "  detect     self-training for object detection (RetinaNet) on COCO data; teacher / student / control AP table",
        "  segment    self-training for semantic segmentation (NAS-FPN) on images + PNG masks; teacher / student / control mIoU",
        "  export-teacher  trains classify's first teacher on PyTorch and writes it as a TensorFlow SavedModel",
        "  models     every registered model variant with task, input size and exact parameter count (--json)",
        "  augment    a PNG grid of originals and their augmentations under Augment-S1..S4, with boxes or masks drawn",
        "",
        ClassifyCommand.usage(),
        "",
        DetectCommand.usage(),
        "",
        SegmentCommand.usage(),
        "",
        ExportTeacherCommand.usage(),
        "",
        AugmentCommand.usage());
  }
}
