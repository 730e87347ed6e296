package io.selftrain.examples;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.selftrain.models.ConvNetConfig;
import io.selftrain.models.ConvNets;
import io.selftrain.models.EfficientNet;
import io.selftrain.models.EfficientNetConfig;
import io.selftrain.models.detection.RetinaNet;
import io.selftrain.models.detection.RetinaNetConfig;
import io.selftrain.models.segmentation.Segmentation;
import io.selftrain.models.segmentation.SegmentationConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code models}: every registered model variant with its task, input size and exact parameter
 * count (1000-class heads for EfficientNet, as in Tan and Le 2019, Table 1; 10 classes for the
 * 28x28 CNNs; 80 classes for the RetinaNets on EfficientNet-B0..B7 with the FPN or the NAS-FPN
 * neck, 2 for retinanet-tiny64; 21 classes for the NAS-FPN segmentation models on
 * EfficientNet-B0..B7 and L2, 2 for nasfpn-seg-tiny64).
 */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "every registered model variant with task, input size and exact parameter count")
final class ModelsCommand implements Runnable {
  @Option(names = "--json", description = "print the rows as a JSON array")
  boolean json;

  ModelsCommand() {}

  /** One row of the listing. */
  record Row(String name, String task, int inputSize, int inputChannels, long parameters) {}

  static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (int width : new int[] {32, 40, 48}) {
      ConvNetConfig c = ConvNetConfig.builder().width(width).build();
      rows.add(
          new Row(
              "cnn28-w" + width,
              "classification",
              c.inputSize(),
              c.inputChannels(),
              ConvNets.parameterCount(c)));
    }
    for (EfficientNet.Variant v : EfficientNet.Variant.values()) {
      rows.add(efficientNet(v.config()));
    }
    rows.add(efficientNet(EfficientNet.tiny28()));
    rows.add(efficientNet(EfficientNet.tiny64()));
    for (RetinaNet.Variant v : RetinaNet.Variant.values()) {
      rows.add(retinaNet(v.config()));
    }
    rows.add(retinaNet(RetinaNet.tiny64()));
    for (RetinaNet.Variant v : RetinaNet.Variant.values()) {
      rows.add(retinaNet(v.nasFpnConfig()));
    }
    for (Segmentation.Variant v : Segmentation.Variant.values()) {
      rows.add(segmentation(v.config()));
    }
    rows.add(segmentation(Segmentation.tiny64()));
    return rows;
  }

  private static Row efficientNet(EfficientNetConfig c) {
    return new Row(
        c.name(),
        "classification",
        c.resolution(),
        c.inputChannels(),
        EfficientNet.parameterCount(c));
  }

  private static Row retinaNet(RetinaNetConfig c) {
    return new Row(
        c.name(),
        "detection",
        c.inputSize(),
        c.backbone().inputChannels(),
        RetinaNet.parameterCount(c));
  }

  private static Row segmentation(SegmentationConfig c) {
    return new Row(
        c.name(),
        "segmentation",
        c.inputSize(),
        c.backbone().inputChannels(),
        Segmentation.parameterCount(c));
  }

  @Override
  public void run() {
    List<Row> rows = rows();
    if (json) {
      JsonArray array = new JsonArray();
      for (Row r : rows) {
        JsonObject o = new JsonObject();
        o.addProperty("name", r.name());
        o.addProperty("task", r.task());
        o.addProperty("inputSize", r.inputSize());
        o.addProperty("inputChannels", r.inputChannels());
        o.addProperty("parameters", r.parameters());
        array.add(o);
      }
      System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(array));
      return;
    }
    System.out.printf(
        Locale.ROOT, "%-22s %-15s %-10s %15s%n", "model", "task", "input", "parameters");
    for (Row r : rows) {
      System.out.printf(
          Locale.ROOT,
          "%-22s %-15s %-10s %,15d%n",
          r.name(),
          r.task(),
          r.inputSize() + "x" + r.inputSize() + "x" + r.inputChannels(),
          r.parameters());
    }
  }
}
