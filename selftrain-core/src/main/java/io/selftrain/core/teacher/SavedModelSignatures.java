package io.selftrain.core.teacher;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tag sets and signatures of a TensorFlow SavedModel, read from its {@code saved_model.pb}
 * without loading the graph, so that a wrong tag, signature, input or output fails with the
 * available choices listed. DJL's TensorFlow engine instead logs a warning and silently serves
 * another signature.
 *
 * <p>Only the fields named here are read (TensorFlow's {@code saved_model.proto}, {@code
 * meta_graph.proto}, {@code tensor_shape.proto}); the graph itself is skipped. Field numbers:
 *
 * <ul>
 *   <li>SavedModel: 2 = repeated MetaGraphDef
 *   <li>MetaGraphDef: 1 = MetaInfoDef (4 = repeated string tags), 5 = map&lt;string,
 *       SignatureDef&gt;
 *   <li>SignatureDef: 1 = inputs, 2 = outputs (maps of string to TensorInfo)
 *   <li>TensorInfo: 1 = tensor name, 2 = DataType, 3 = TensorShapeProto (2 = repeated Dim with 1 =
 *       size, 3 = unknown_rank)
 * </ul>
 */
final class SavedModelSignatures {
  /** TensorFlow's {@code DataType} numbers of the types selftrain feeds or reads. */
  static final int DT_FLOAT = 1;

  static final int DT_UINT8 = 4;

  /**
   * One tensor of a signature: its dtype number and shape ({@code -1} for an unknown dimension).
   */
  record TensorSpec(int dtype, long[] shape, boolean unknownRank) {
    String describe() {
      if (unknownRank) {
        return dtypeName(dtype) + " of unknown rank";
      }
      StringBuilder s = new StringBuilder(dtypeName(dtype)).append(" (");
      for (int i = 0; i < shape.length; i++) {
        s.append(i == 0 ? "" : ", ").append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
      }
      return s.append(')').toString();
    }
  }

  /** A signature's named inputs and outputs, in the file's order. */
  record Signature(Map<String, TensorSpec> inputs, Map<String, TensorSpec> outputs) {}

  /** One meta graph: its tags and signatures by key. */
  record MetaGraph(Set<String> tags, Map<String, Signature> signatures) {}

  private final Path file;
  private final List<MetaGraph> metaGraphs;

  private SavedModelSignatures(Path file, List<MetaGraph> metaGraphs) {
    this.file = file;
    this.metaGraphs = metaGraphs;
  }

  /**
   * Reads {@code dir/saved_model.pb}.
   *
   * @param dir the SavedModel folder
   * @return its meta graphs
   * @throws IOException if the file cannot be read or is not a SavedModel protobuf (the message
   *     names it)
   */
  static SavedModelSignatures read(Path dir) throws IOException {
    Path file = dir.resolve("saved_model.pb");
    try (InputStream in = Files.newInputStream(file)) {
      CodedInputStream stream = CodedInputStream.newInstance(in);
      stream.setSizeLimit(Integer.MAX_VALUE);
      List<MetaGraph> graphs = new ArrayList<>();
      for (int tag = stream.readTag(); tag != 0; tag = stream.readTag()) {
        if (tag == lengthDelimited(2)) {
          graphs.add(readMetaGraph(stream));
        } else {
          stream.skipField(tag);
        }
      }
      if (graphs.isEmpty()) {
        throw new IOException(file + " holds no meta graph: not a TensorFlow SavedModel");
      }
      return new SavedModelSignatures(file, List.copyOf(graphs));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IOException(
          file + " is not a TensorFlow SavedModel protobuf: " + e.getMessage(), e);
    }
  }

  /**
   * @return every meta graph in the file
   */
  List<MetaGraph> metaGraphs() {
    return metaGraphs;
  }

  /**
   * The meta graph with exactly these tags.
   *
   * @throws IllegalArgumentException naming the tags found, if none matches
   */
  MetaGraph metaGraph(Set<String> tags) {
    for (MetaGraph graph : metaGraphs) {
      if (graph.tags().equals(tags)) {
        return graph;
      }
    }
    List<Set<String>> available = metaGraphs.stream().map(MetaGraph::tags).toList();
    throw new IllegalArgumentException(
        "tags " + tags + " match no meta graph in " + file + "; available tag sets: " + available);
  }

  /**
   * The signature with this key under these tags.
   *
   * @throws IllegalArgumentException naming the signatures found, if it is absent
   */
  Signature signature(Set<String> tags, String key) {
    MetaGraph graph = metaGraph(tags);
    Signature signature = graph.signatures().get(key);
    if (signature == null) {
      throw new IllegalArgumentException(
          "signature "
              + key
              + " is not in "
              + file
              + " (tags "
              + tags
              + "); available signatures: "
              + new TreeSet<>(graph.signatures().keySet()));
    }
    return signature;
  }

  private static MetaGraph readMetaGraph(CodedInputStream stream) throws IOException {
    int limit = stream.pushLimit(stream.readRawVarint32());
    Set<String> tags = new TreeSet<>();
    Map<String, Signature> signatures = new LinkedHashMap<>();
    for (int tag = stream.readTag(); tag != 0; tag = stream.readTag()) {
      if (tag == lengthDelimited(1)) {
        tags.addAll(readTags(stream));
      } else if (tag == lengthDelimited(5)) {
        readMapEntry(stream, SavedModelSignatures::readSignature, signatures);
      } else {
        stream.skipField(tag);
      }
    }
    stream.popLimit(limit);
    return new MetaGraph(Set.copyOf(tags), Map.copyOf(signatures));
  }

  /** Reads one value of a protobuf field. */
  private interface FieldReader<V> {
    V read(CodedInputStream stream) throws IOException;
  }

  /**
   * Reads one {@code map<string, V>} entry (1 = key, 2 = value, a length-delimited message) into
   * {@code into}.
   */
  private static <V> void readMapEntry(
      CodedInputStream stream, FieldReader<V> value, Map<String, V> into) throws IOException {
    int entry = stream.pushLimit(stream.readRawVarint32());
    String key = "";
    V read = null;
    for (int tag = stream.readTag(); tag != 0; tag = stream.readTag()) {
      if (tag == lengthDelimited(1)) {
        key = stream.readStringRequireUtf8();
      } else if (tag == lengthDelimited(2)) {
        read = value.read(stream);
      } else {
        stream.skipField(tag);
      }
    }
    stream.popLimit(entry);
    // An absent value is the message's default: read it from an empty (length 0) message.
    into.put(key, read != null ? read : value.read(CodedInputStream.newInstance(new byte[] {0})));
  }

  private static List<String> readTags(CodedInputStream stream) throws IOException {
    int limit = stream.pushLimit(stream.readRawVarint32());
    List<String> tags = new ArrayList<>();
    for (int tag = stream.readTag(); tag != 0; tag = stream.readTag()) {
      if (tag == lengthDelimited(4)) {
        tags.add(stream.readStringRequireUtf8());
      } else {
        stream.skipField(tag);
      }
    }
    stream.popLimit(limit);
    return tags;
  }

  private static Signature readSignature(CodedInputStream stream) throws IOException {
    int limit = stream.pushLimit(stream.readRawVarint32());
    Map<String, TensorSpec> inputs = new LinkedHashMap<>();
    Map<String, TensorSpec> outputs = new LinkedHashMap<>();
    for (int tag = stream.readTag(); tag != 0; tag = stream.readTag()) {
      if (tag == lengthDelimited(1) || tag == lengthDelimited(2)) {
        readMapEntry(
            stream,
            SavedModelSignatures::readTensorInfo,
            tag == lengthDelimited(1) ? inputs : outputs);
      } else {
        stream.skipField(tag);
      }
    }
    stream.popLimit(limit);
    return new Signature(
        java.util.Collections.unmodifiableMap(inputs),
        java.util.Collections.unmodifiableMap(outputs));
  }

  private static TensorSpec readTensorInfo(CodedInputStream stream) throws IOException {
    int limit = stream.pushLimit(stream.readRawVarint32());
    int dtype = 0;
    List<Long> dims = new ArrayList<>();
    boolean unknownRank = true;
    for (int tag = stream.readTag(); tag != 0; tag = stream.readTag()) {
      if (tag == varint(2)) {
        dtype = stream.readEnum();
      } else if (tag == lengthDelimited(3)) {
        unknownRank = readShape(stream, dims);
      } else {
        stream.skipField(tag);
      }
    }
    stream.popLimit(limit);
    return new TensorSpec(dtype, dims.stream().mapToLong(Long::longValue).toArray(), unknownRank);
  }

  /** Reads a TensorShapeProto into {@code dims}; returns whether its rank is unknown. */
  private static boolean readShape(CodedInputStream stream, List<Long> dims) throws IOException {
    int limit = stream.pushLimit(stream.readRawVarint32());
    boolean unknownRank = false;
    for (int tag = stream.readTag(); tag != 0; tag = stream.readTag()) {
      if (tag == lengthDelimited(2)) {
        int dim = stream.pushLimit(stream.readRawVarint32());
        long size = 0;
        for (int t = stream.readTag(); t != 0; t = stream.readTag()) {
          if (t == varint(1)) {
            size = stream.readInt64();
          } else {
            stream.skipField(t);
          }
        }
        stream.popLimit(dim);
        dims.add(size);
      } else if (tag == varint(3)) {
        unknownRank = stream.readBool();
      } else {
        stream.skipField(tag);
      }
    }
    stream.popLimit(limit);
    return unknownRank;
  }

  private static int lengthDelimited(int field) {
    return field << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  }

  private static int varint(int field) {
    return field << 3 | WireFormat.WIRETYPE_VARINT;
  }

  static String dtypeName(int dtype) {
    switch (dtype) {
      case DT_FLOAT:
        return "float32";
      case 2:
        return "float64";
      case 3:
        return "int32";
      case DT_UINT8:
        return "uint8";
      case 9:
        return "int64";
      default:
        return "dtype#" + dtype;
    }
  }
}
