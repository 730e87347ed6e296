package io.selftrain.examples;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} and {@code --flag} options of one command, with errors that name the option. */
final class Args {
  private final String command;
  private final Map<String, String> values = new LinkedHashMap<>();

  private Args(String command) {
    this.command = command;
  }

  /**
   * Parses options; every option must be in {@code valued} or {@code flags}.
   *
   * @throws IllegalArgumentException for an unknown option or a missing value
   */
  static Args parse(String command, List<String> args, Set<String> valued, Set<String> flags) {
    Args parsed = new Args(command);
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException(command + ": unexpected argument: " + arg);
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (flags.contains(name)) {
        parsed.values.put(name, value == null ? "true" : value);
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(command + ": --" + name + " needs a value");
          }
          value = args.get(++i);
        }
        parsed.values.put(name, value);
      } else {
        throw new IllegalArgumentException(command + ": unknown option: --" + name + "; known: " + sorted(valued, flags));
      }
    }
    return parsed;
  }

  private static String sorted(Set<String> valued, Set<String> flags) {
    java.util.TreeSet<String> all = new java.util.TreeSet<>(valued);
    all.addAll(flags);
    return all.toString();
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  boolean flag(String name) {
    return Boolean.parseBoolean(values.getOrDefault(name, "false"));
  }

  Path path(String name) {
    String v = values.get(name);
    return v == null ? null : Path.of(v);
  }

  int integer(String name, int fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(command + ": --" + name + " must be an integer: " + v, e);
    }
  }

  long longValue(String name, long fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(command + ": --" + name + " must be an integer: " + v, e);
    }
  }

  double doubleValue(String name, double fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(command + ": --" + name + " must be a number: " + v, e);
    }
  }

  float number(String name, float fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Float.parseFloat(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(command + ": --" + name + " must be a number: " + v, e);
    }
  }

  /**
   * A positive integer option.
   *
   * @throws IllegalArgumentException naming the option if it is not a positive integer
   */
  int positive(String name, int fallback) {
    int v = integer(name, fallback);
    if (v < 1) {
      throw new IllegalArgumentException(command + ": --" + name + " must be positive: " + v);
    }
    return v;
  }

  /**
   * A path option that another option makes necessary.
   *
   * @param because why it is needed, such as {@code "with --train-json (a user's own COCO data)"}
   * @throws IllegalArgumentException naming the option if it is absent
   */
  Path required(String name, String because) {
    Path p = path(name);
    if (p == null) {
      throw new IllegalArgumentException(command + ": --" + name + " is needed " + because);
    }
    return p;
  }

  /** A folder option that another option makes necessary and that must exist. */
  Path requiredFolder(String name, String because) {
    return CliPaths.existingFolder(command, "--" + name, required(name, because));
  }

  /** A file option that another option makes necessary and that must exist. */
  Path requiredFile(String name, String because) {
    return CliPaths.existingFile(command, "--" + name, required(name, because));
  }

  /** @return {@code --work-dir}, or {@code runs/<name>} */
  Path workDir(String name) {
    Path given = CliPaths.folderOrAbsent(command, "--work-dir", path("work-dir"));
    return given != null ? given : Path.of("runs", name);
  }
}
