package io.selftrain.core.eval;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import io.selftrain.core.data.CorruptDataException;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads COCO JSON files as a stream of entries, so that large fields such as segmentations are
 * dropped entry by entry instead of being held for the whole file. Every problem is a {@link
 * CorruptDataException} that names the file and the entry, in the form {@code annotations[4].bbox
 * must be ...: <found>}.
 */
final class CocoJson {
  private static final TypeAdapter<JsonElement> ELEMENT = new Gson().getAdapter(JsonElement.class);

  /** Found values longer than this are cut in messages. */
  private static final int SHOWN = 80;

  private CocoJson() {}

  /** Reads a whole file with a {@link JsonReader}. */
  @FunctionalInterface
  interface Body {
    void read(JsonReader reader) throws IOException;
  }

  /** Takes one entry of an array. */
  @FunctionalInterface
  interface Entry {
    void read(int index, JsonElement element) throws IOException;
  }

  /**
   * Opens {@code file}, hands it to {@code body}, checks nothing follows, and turns JSON syntax
   * errors into {@link CorruptDataException}.
   *
   * @param what what the file should be, for the message of a missing file: "an existing COCO JSON
   *     file"
   */
  static void read(Path file, String parameter, String what, Body body) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new FileNotFoundException(parameter + " must be " + what + ": " + file);
    }
    try (JsonReader reader =
        new JsonReader(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
      body.read(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new CorruptDataException(file, "content must be a single JSON value: more follows");
      }
    } catch (MalformedJsonException | EOFException | JsonParseException | IllegalStateException e) {
      throw new CorruptDataException(file, "content must be valid JSON: " + e.getMessage(), e);
    }
  }

  /** Enters the object that comes next; {@code name} names it in messages. */
  static void beginObject(Path file, JsonReader reader, String name) throws IOException {
    if (reader.peek() != JsonToken.BEGIN_OBJECT) {
      throw new CorruptDataException(
          file, name + " must be a JSON object: " + describe(ELEMENT.read(reader)));
    }
    reader.beginObject();
  }

  /** Reads the array that comes next, one entry at a time; {@code name} names it in messages. */
  static void array(Path file, JsonReader reader, String name, Entry entry) throws IOException {
    if (reader.peek() != JsonToken.BEGIN_ARRAY) {
      throw new CorruptDataException(
          file, name + " must be a JSON array: " + describe(ELEMENT.read(reader)));
    }
    reader.beginArray();
    for (int i = 0; reader.hasNext(); i++) {
      entry.read(i, ELEMENT.read(reader));
    }
    reader.endArray();
  }

  static JsonObject object(Path file, JsonElement element, String where)
      throws CorruptDataException {
    if (element == null || !element.isJsonObject()) {
      throw new CorruptDataException(file, where + " must be a JSON object: " + describe(element));
    }
    return element.getAsJsonObject();
  }

  /** An integral number, such as an id ({@code 3} and {@code 3.0} both read as 3). */
  static long integer(Path file, JsonObject parent, String key, String where)
      throws CorruptDataException {
    JsonElement element = parent.get(key);
    Long value = exactLong(element);
    if (value == null) {
      throw new CorruptDataException(
          file, where + "." + key + " must be an integer: " + describe(element));
    }
    return value;
  }

  /** An integral number that fits an {@code int}, such as a category id. */
  static int smallInteger(Path file, JsonObject parent, String key, String where)
      throws CorruptDataException {
    long value = integer(file, parent, key, where);
    if (value != (int) value) {
      throw new CorruptDataException(
          file, where + "." + key + " must fit a 32-bit integer: " + value);
    }
    return (int) value;
  }

  /** A finite number, such as a score. */
  static double number(Path file, JsonObject parent, String key, String where)
      throws CorruptDataException {
    JsonElement element = parent.get(key);
    if (element instanceof JsonPrimitive p && p.isNumber()) {
      double value = p.getAsDouble();
      if (Double.isFinite(value)) {
        return value;
      }
    }
    throw new CorruptDataException(
        file, where + "." + key + " must be a finite number: " + describe(element));
  }

  /**
   * {@code bbox}: four finite numbers {@code [x, y, w, h]} with {@code w} and {@code h} at least 0.
   */
  static double[] bbox(Path file, JsonObject parent, String where) throws CorruptDataException {
    JsonElement element = parent.get("bbox");
    double[] bbox = new double[4];
    boolean ok = element != null && element.isJsonArray() && element.getAsJsonArray().size() == 4;
    for (int k = 0; ok && k < 4; k++) {
      ok = element.getAsJsonArray().get(k) instanceof JsonPrimitive p && p.isNumber();
      bbox[k] = ok ? element.getAsJsonArray().get(k).getAsDouble() : 0;
      ok &= Double.isFinite(bbox[k]);
    }
    if (!ok) {
      throw new CorruptDataException(
          file,
          where + ".bbox must be four finite numbers [x, y, width, height]: " + describe(element));
    }
    if (bbox[2] < 0 || bbox[3] < 0) {
      throw new CorruptDataException(
          file,
          where + ".bbox must have a width and height of at least 0: " + Arrays.toString(bbox));
    }
    return bbox;
  }

  /**
   * A found value for a message: its JSON text, cut after {@value #SHOWN} characters, or "missing".
   */
  static String describe(JsonElement element) {
    if (element == null) {
      return "missing";
    }
    String text = element.toString();
    return text.length() <= SHOWN ? text : text.substring(0, SHOWN) + "...";
  }

  private static Long exactLong(JsonElement element) {
    if (element instanceof JsonPrimitive p && p.isNumber()) {
      try {
        BigDecimal value = p.getAsBigDecimal();
        // Beyond 20 digits it cannot be a long; this also avoids expanding an exponent such as
        // 1e999999999.
        if (value.precision() - value.scale() <= 20) {
          return value.longValueExact();
        }
      } catch (ArithmeticException | NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
