package io.selftrain.core.eval;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.gson.JsonObject;
import io.selftrain.internal.AtomicFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** Reads and writes the COCO results format for {@link CocoDetection}. */
final class CocoResults {
  private CocoResults() {}

  static List<CocoDetection> read(Path json) throws IOException {
    checkNotNull(json, "json");
    List<CocoDetection> detections = new ArrayList<>();
    CocoJson.read(
        json,
        "json",
        "an existing COCO results file",
        reader ->
            CocoJson.array(
                json,
                reader,
                "the top level",
                (i, element) -> {
                  String where = "[" + i + "]";
                  JsonObject entry = CocoJson.object(json, element, where);
                  long imageId = CocoJson.integer(json, entry, "image_id", where);
                  int categoryId = CocoJson.smallInteger(json, entry, "category_id", where);
                  double[] bbox = CocoJson.bbox(json, entry, where);
                  double score = CocoJson.number(json, entry, "score", where);
                  detections.add(
                      new CocoDetection(
                          imageId, categoryId, bbox[0], bbox[1], bbox[2], bbox[3], score));
                }));
    return Collections.unmodifiableList(detections);
  }

  static void write(Path json, Collection<CocoDetection> detections) throws IOException {
    checkNotNull(json, "json");
    checkNotNull(detections, "detections");
    List<CocoDetection> copy = List.copyOf(detections);
    AtomicFiles.write(
        json,
        out -> {
          Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          writer.write("[");
          for (int i = 0; i < copy.size(); i++) {
            CocoDetection d = copy.get(i);
            writer.write(i == 0 ? "\n  " : ",\n  ");
            // Double.toString is exact for a round trip and valid JSON for finite values (e.g.
            // 1.0E-5).
            writer.write(
                "{\"image_id\": "
                    + d.imageId()
                    + ", \"category_id\": "
                    + d.categoryId()
                    + ", \"bbox\": ["
                    + d.x()
                    + ", "
                    + d.y()
                    + ", "
                    + d.w()
                    + ", "
                    + d.h()
                    + "], \"score\": "
                    + d.score()
                    + "}");
          }
          writer.write(copy.isEmpty() ? "]\n" : "\n]\n");
          writer.flush();
        });
  }
}
