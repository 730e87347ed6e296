package io.selftrain.core.teacher;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A SHA-256 over every file of a model folder (relative names and contents, in name order). */
final class SavedModelDigest {
  private SavedModelDigest() {}

  static String of(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    Hasher hasher = Hashing.sha256().newHasher();
    for (Path file : files) {
      hasher.putString(dir.relativize(file).toString(), StandardCharsets.UTF_8).putByte((byte) 0);
      hasher.putBytes(
          com.google.common.io.Files.asByteSource(file.toFile()).hash(Hashing.sha256()).asBytes());
    }
    return hasher.hash().toString();
  }
}
