package io.selftrain.core;

import com.google.common.hash.Hashing;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.selftrain.internal.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A run's folder: every stage output is written to a temporary file, flushed to disk and renamed,
 * and recorded in {@code manifest.json} with its SHA-256 and a digest of the settings it was
 * computed from; a stage counts as complete only when the manifest lists it with the same settings
 * digest and its files still match their checksums. Changing a student setting therefore recomputes
 * the student but reuses the teacher (an ablation); the manifest also holds a digest of the data,
 * so a folder is never resumed on other data.
 */
final class WorkDirectory {
  static final String MANIFEST = "manifest.json";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  /** Writes a file's content. */
  interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /** The manifest's format; a folder written in another is refused, never guessed at. */
  static final int FORMAT = 1;

  private final Path root;
  private final JsonObject manifest;

  /** Stages whose files were written or checksum-verified by this process: not hashed again. */
  private final java.util.Set<String> verified = new java.util.HashSet<>();

  /** Stages already reported damaged by this process: reported once. */
  private final java.util.Set<String> reported = new java.util.HashSet<>();

  /** Where a damaged stage file is reported; the run points it at its listeners' warnings. */
  private java.util.function.Consumer<String> damage = message -> {};

  private WorkDirectory(Path root, JsonObject manifest) {
    this.root = root;
    this.manifest = manifest;
  }

  /**
   * Opens (creating if needed) a work directory for a run on this data.
   *
   * @throws IllegalStateException if the folder holds a run on other data
   */
  static WorkDirectory open(Path root, String fingerprint) throws IOException {
    WorkDirectory dir = load(root, fingerprint);
    // A run killed inside an atomic write leaves its temporary file; the stage is recomputed, the
    // file would stay forever.
    AtomicFiles.deleteInterruptedWrites(root);
    return dir;
  }

  /** {@link #open} without the clean-up, for a folder other processes may be writing into. */
  private static WorkDirectory load(Path root, String fingerprint) throws IOException {
    Files.createDirectories(root);
    Path manifestFile = root.resolve(MANIFEST);
    JsonObject manifest;
    if (Files.exists(manifestFile)) {
      try {
        manifest = JsonParser.parseString(Files.readString(manifestFile)).getAsJsonObject();
      } catch (JsonParseException | IllegalStateException e) {
        throw new IOException(
            "corrupt manifest "
                + manifestFile
                + " ("
                + e.getMessage()
                + "): the work directory cannot be trusted;"
                + " delete it or choose another workDir",
            e);
      }
      int format =
          manifest.has("format") && manifest.get("format").isJsonPrimitive()
              ? manifest.get("format").getAsInt()
              : -1;
      if (format != FORMAT) {
        throw new IllegalStateException(
            "workDir "
                + root
                + " was written in manifest format "
                + format
                + " ("
                + manifestFile
                + "); this version"
                + " reads format "
                + FORMAT
                + ": delete it or choose another workDir");
      }
      String previous =
          manifest.has("fingerprint") ? manifest.get("fingerprint").getAsString() : "";
      if (!previous.equals(fingerprint)) {
        throw new IllegalStateException(
            "workDir "
                + root
                + " holds a run on other data; use another workDir or delete it:"
                + " was ["
                + previous
                + "], now ["
                + fingerprint
                + "]");
      }
    } else {
      manifest = new JsonObject();
      manifest.addProperty("format", FORMAT);
      manifest.addProperty("fingerprint", fingerprint);
      manifest.add("stages", new JsonObject());
    }
    WorkDirectory dir = new WorkDirectory(root, manifest);
    dir.saveManifest();
    return dir;
  }

  /**
   * Opens a work directory a run already started, on whatever data it holds (a cluster job adding
   * the stages it computed).
   *
   * @throws java.io.FileNotFoundException if the folder holds no manifest
   */
  static WorkDirectory openExisting(Path root) throws IOException {
    Path manifestFile = root.resolve(MANIFEST);
    if (!Files.exists(manifestFile)) {
      throw new java.io.FileNotFoundException("no run in " + root + ": " + MANIFEST + " not found");
    }
    String fingerprint;
    try {
      JsonObject manifest =
          JsonParser.parseString(Files.readString(manifestFile)).getAsJsonObject();
      fingerprint = manifest.get("fingerprint").getAsString();
    } catch (JsonParseException | IllegalStateException | NullPointerException e) {
      throw new IOException("corrupt manifest " + manifestFile + ": " + e.getMessage(), e);
    }
    // Not open: Spark executors may be writing shards into it right now.
    return load(root, fingerprint);
  }

  /** Sends every report of a damaged or missing stage file (once per stage) to {@code sink}. */
  synchronized void reportDamageTo(java.util.function.Consumer<String> sink) {
    this.damage = sink;
  }

  Path root() {
    return root;
  }

  Path resolve(String relative) {
    return root.resolve(relative);
  }

  /**
   * The stage's recorded metrics, if the stage is complete, was computed from the same inputs and
   * its files are intact.
   */
  synchronized Optional<JsonObject> completed(String stage, String inputs) {
    JsonObject stages = manifest.getAsJsonObject("stages");
    if (!stages.has(stage)) {
      return Optional.empty();
    }
    JsonObject entry = stages.getAsJsonObject(stage);
    if (!entry.has("inputs") || !entry.get("inputs").getAsString().equals(inputs)) {
      return Optional.empty();
    }
    if (verified.contains(stage)) {
      return Optional.of(entry.getAsJsonObject("metrics"));
    }
    for (Map.Entry<String, com.google.gson.JsonElement> file :
        entry.getAsJsonObject("files").entrySet()) {
      Path path = root.resolve(file.getKey());
      Optional<String> problem = damageOf(path, file.getValue().getAsString());
      if (problem.isPresent()) {
        if (reported.add(stage)) {
          damage.accept(
              "work directory "
                  + root
                  + ": "
                  + file.getKey()
                  + " "
                  + problem.get()
                  + "; stage "
                  + stage
                  + " is computed again");
        }
        return Optional.empty();
      }
    }
    verified.add(stage);
    return Optional.of(entry.getAsJsonObject("metrics"));
  }

  /**
   * The files recorded for a stage, in the order they were recorded; empty if the stage is not
   * recorded.
   */
  synchronized java.util.List<String> files(String stage) {
    JsonObject stages = manifest.getAsJsonObject("stages");
    if (!stages.has(stage)) {
      return java.util.List.of();
    }
    return java.util.List.copyOf(stages.getAsJsonObject(stage).getAsJsonObject("files").keySet());
  }

  /**
   * Replaces a complete stage's files and metrics in place, keeping its inputs and every stage
   * recorded after it (for a new evaluation of the same model: later stages did not consume the
   * metrics).
   */
  synchronized void updateEvaluation(String stage, Iterable<String> files, JsonObject metrics)
      throws IOException {
    JsonObject entry = manifest.getAsJsonObject("stages").getAsJsonObject(stage);
    JsonObject sums = new JsonObject();
    for (String file : files) {
      sums.addProperty(file, sha256(root.resolve(file)));
    }
    entry.add("files", sums);
    entry.add("metrics", metrics);
    verified.add(stage);
    saveManifest();
  }

  /**
   * Records a stage as complete with its inputs digest, the checksums of its files and its metrics.
   */
  synchronized void complete(
      String stage, String inputs, Iterable<String> files, JsonObject metrics) throws IOException {
    complete(stage, inputs, files, metrics, Set.of());
  }

  /**
   * Records a stage as complete, forgetting the stages recorded after it (they consumed its old
   * output) except its siblings: stages made from the same inputs that do not consume its output
   * (round 1's student and the supervised control), so retraining one does not retrain the other.
   */
  synchronized void complete(
      String stage, String inputs, Iterable<String> files, JsonObject metrics, Set<String> siblings)
      throws IOException {
    JsonObject entry = entry(inputs, files, metrics);
    JsonObject stages = manifest.getAsJsonObject("stages");
    removeFrom(stage, siblings);
    stages.add(stage, entry);
    verified.add(stage);
    saveManifest();
  }

  /**
   * Records one of several independent parts of a stage (a shard of the pool's predictions), or a
   * stage no other stage consumes (the supervised control), as complete, replacing only its own
   * record: unlike {@link #complete}, the stages recorded after it stay (they do not consume it,
   * and the same inputs give the same content).
   */
  synchronized void completePart(
      String stage, String inputs, Iterable<String> files, JsonObject metrics) throws IOException {
    JsonObject entry = entry(inputs, files, metrics);
    manifest.getAsJsonObject("stages").add(stage, entry);
    verified.add(stage);
    saveManifest();
  }

  private JsonObject entry(String inputs, Iterable<String> files, JsonObject metrics)
      throws IOException {
    JsonObject entry = new JsonObject();
    entry.addProperty("inputs", inputs);
    JsonObject sums = new JsonObject();
    for (String file : files) {
      sums.addProperty(file, sha256(root.resolve(file)));
    }
    entry.add("files", sums);
    entry.add("metrics", metrics);
    entry.addProperty("completedAt", Instant.now().toString());
    return entry;
  }

  /**
   * Copies complete stages of another work directory on the same data into this one (a study's runs
   * that share a teacher share its training and its pseudo labels): each stage whose key {@code
   * keys} accepts, that this folder does not record, and whose files match their checksums there,
   * with its files and its manifest record (inputs digest included). Whether a run uses a copied
   * stage is decided as for its own: only if the stage's inputs digest equals the run's.
   *
   * @param source the other run's work directory (nothing is copied if it holds no run or a run on
   *     other data)
   * @param keys which stages to copy
   * @return the number of stages copied
   * @throws IOException if the other manifest is corrupt or a file cannot be copied
   */
  synchronized int copyStagesFrom(Path source, java.util.function.Predicate<String> keys)
      throws IOException {
    Path manifestFile = source.resolve(MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      return 0;
    }
    JsonObject other;
    try {
      other = JsonParser.parseString(Files.readString(manifestFile)).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new IOException("corrupt manifest " + manifestFile + ": " + e.getMessage(), e);
    }
    if (!other.has("fingerprint")
        || !other.get("fingerprint").equals(manifest.get("fingerprint"))
        || !other.has("stages")) {
      return 0;
    }
    JsonObject stages = manifest.getAsJsonObject("stages");
    int copied = 0;
    for (Map.Entry<String, com.google.gson.JsonElement> stage :
        other.getAsJsonObject("stages").entrySet()) {
      if (!keys.test(stage.getKey()) || stages.has(stage.getKey())) {
        continue;
      }
      JsonObject entry = stage.getValue().getAsJsonObject();
      Map<String, com.google.gson.JsonElement> files = entry.getAsJsonObject("files").asMap();
      boolean intact = true;
      for (Map.Entry<String, com.google.gson.JsonElement> file : files.entrySet()) {
        intact &= damageOf(source.resolve(file.getKey()), file.getValue().getAsString()).isEmpty();
      }
      if (!intact) {
        continue;
      }
      for (String file : files.keySet()) {
        Path from = source.resolve(file);
        AtomicFiles.write(root.resolve(file), out -> Files.copy(from, out));
      }
      stages.add(stage.getKey(), entry.deepCopy());
      verified.add(stage.getKey());
      copied++;
    }
    if (copied > 0) {
      saveManifest();
    }
    return copied;
  }

  /**
   * Forgets a stage that is about to be recomputed, and every stage completed after it (they
   * consumed its old output). Stages that will be recomputed side by side are forgotten first, so
   * that the one finishing last does not take the other's fresh record for a consumer of its old
   * output.
   */
  synchronized void invalidate(String stage) throws IOException {
    if (removeFrom(stage, Set.of())) {
      saveManifest();
    }
  }

  /**
   * Removes {@code stage} and every stage recorded after it but {@code siblings}; returns whether
   * {@code stage} was recorded.
   */
  private boolean removeFrom(String stage, Set<String> siblings) {
    JsonObject stages = manifest.getAsJsonObject("stages");
    if (!stages.has(stage)) {
      return false;
    }
    boolean after = false;
    for (String key : new java.util.ArrayList<>(stages.keySet())) {
      after |= key.equals(stage);
      if (after && !siblings.contains(key)) {
        stages.remove(key);
        verified.remove(key);
      }
    }
    return true;
  }

  /** Writes a file atomically: temporary file, flush, fsync, rename ({@link AtomicFiles}). */
  void writeAtomically(String relative, Writer writer) throws IOException {
    AtomicFiles.write(root.resolve(relative), writer::write);
  }

  void writeJson(String relative, Object value) throws IOException {
    writeAtomically(
        relative, out -> out.write(GSON.toJson(value).getBytes(StandardCharsets.UTF_8)));
  }

  private void saveManifest() throws IOException {
    writeJson(MANIFEST, manifest);
  }

  /**
   * The parameter file of the last round's student of a finished or unfinished run in {@code root},
   * checked against its recorded SHA-256.
   *
   * @throws IllegalArgumentException if the folder holds no manifest or no completed student stage
   * @throws IOException if the manifest or the file cannot be read, or the file does not match its
   *     checksum
   */
  static Path lastStudent(Path root) throws IOException {
    Path manifestFile = root.resolve(MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      throw new IllegalArgumentException(
          "no selftrain run in " + root + ": " + MANIFEST + " is missing");
    }
    JsonObject stages;
    try {
      stages =
          JsonParser.parseString(Files.readString(manifestFile))
              .getAsJsonObject()
              .getAsJsonObject("stages");
    } catch (JsonParseException | IllegalStateException | ClassCastException e) {
      throw new IOException("corrupt manifest " + manifestFile + ": " + e.getMessage(), e);
    }
    int last = 0;
    for (String key : stages.keySet()) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("round-(\\d+)/student").matcher(key);
      if (m.matches()) {
        last = Math.max(last, Integer.parseInt(m.group(1)));
      }
    }
    if (last == 0) {
      throw new IllegalArgumentException(
          "the run in " + root + " has no completed student stage yet: " + stages.keySet());
    }
    JsonObject files =
        stages.getAsJsonObject("round-" + last + "/student").getAsJsonObject("files");
    Map.Entry<String, com.google.gson.JsonElement> file = files.entrySet().iterator().next();
    Path path = root.resolve(file.getKey());
    if (!Files.isRegularFile(path) || !sha256(path).equals(file.getValue().getAsString())) {
      throw new IOException(
          "student parameters "
              + path
              + " are missing or do not match their checksum in "
              + manifestFile);
    }
    return path;
  }

  /**
   * What is wrong with a recorded stage file, if anything: missing, unreadable or not its checksum.
   */
  private static Optional<String> damageOf(Path file, String recordedSha256) {
    if (!Files.exists(file)) {
      return Optional.of("is missing");
    }
    try {
      return sha256(file).equals(recordedSha256)
          ? Optional.empty()
          : Optional.of("failed its SHA-256 check (damaged or changed since it was written)");
    } catch (IOException e) {
      return Optional.of("cannot be read (" + e.getMessage() + ")");
    }
  }

  static String sha256(Path file) throws IOException {
    return com.google.common.io.Files.asByteSource(file.toFile()).hash(Hashing.sha256()).toString();
  }
}
