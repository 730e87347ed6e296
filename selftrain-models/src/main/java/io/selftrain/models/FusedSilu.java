package io.selftrain.models;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * PyTorch's fused {@code torch.silu} (swish, {@code x * sigmoid(x)}), reached through a
 * parameter-free TorchScript module, because DJL 0.36's PyTorch engine has {@code sigmoid} and
 * {@code mul} but no {@code silu}.
 *
 * <p>Why: as {@code x.mul(sigmoid(x))} swish takes two kernels forward and four backward and keeps
 * two more full-size tensors for the backward pass; {@code torch.silu} takes one kernel each way
 * and keeps only its input. Swish follows every convolution of EfficientNet (Tan &amp; Le 2019,
 * Sec. 4), so this is a large part of a training step's memory traffic.
 *
 * <p>The module is written here as a TorchScript archive (the zip that {@code torch.jit.save}
 * writes: the class's source, its pickled state, an empty constants table and the format version),
 * loaded once per process on the first call, and called with autograd following the caller's
 * gradient mode, like any other engine operation. It holds no parameters and no arrays; its outputs
 * are attached to the input's manager.
 */
final class FusedSilu {
  /** The archive's root folder; TorchScript takes any name. */
  private static final String ROOT = "silu/";

  /** The module's class, as TorchScript's serializer writes a {@code Module} subclass. */
  static final String SOURCE =
      "class Silu(Module):\n"
          + "  __parameters__ = []\n"
          + "  __buffers__ = []\n"
          + "  training : bool\n"
          + "  def forward(self: __torch__.Silu,\n"
          + "    x: Tensor) -> Tensor:\n"
          + "    return torch.silu(x)\n";

  // Pickle protocol 2 opcodes (Python's pickletools), the subset TorchScript's unpickler reads.
  private static final byte PROTO = (byte) 0x80;
  private static final byte GLOBAL = 'c';
  private static final byte EMPTY_TUPLE = ')';
  private static final byte NEWOBJ = (byte) 0x81;
  private static final byte EMPTY_DICT = '}';
  private static final byte MARK = '(';
  private static final byte BINUNICODE = 'X';
  private static final byte NEWTRUE = (byte) 0x88;
  private static final byte SETITEMS = 'u';
  private static final byte BUILD = 'b';
  private static final byte STOP = '.';

  private FusedSilu() {}

  /**
   * {@code torch.silu(x)}.
   *
   * @param x an array of a PyTorch engine's manager
   * @return swish of {@code x}, attached to {@code x}'s manager
   */
  static NDArray apply(NDArray x) {
    NDList out =
        Holder.MODULE.forward(new ParameterStore(x.getManager(), false), new NDList(x), true);
    return out.singletonOrThrow();
  }

  /**
   * The loaded module, created on first use (class initialisation is thread-safe). The model is
   * held as long as the process lives: its manager owns the module, and the module is shared by
   * every run.
   */
  private static final class Holder {
    static final Model MODEL = load();
    static final Block MODULE = MODEL.getBlock();
  }

  private static Model load() {
    Model model = Model.newInstance("selftrain-silu", Device.cpu(), "PyTorch");
    try {
      model.load(new ByteArrayInputStream(archive()), null);
    } catch (IOException | MalformedModelException e) {
      throw new IllegalStateException("PyTorch could not load selftrain's silu module: " + e, e);
    }
    Block block = model.getBlock();
    // The first call records the module's input and output descriptions under a lock; make it here,
    // so that concurrent callers (a control beside a student) never race on the module's mode.
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      block.forward(
          new ParameterStore(manager, false), new NDList(manager.zeros(new Shape(1))), true);
    }
    return model;
  }

  /**
   * The TorchScript archive of the module: stored (uncompressed) zip entries, as {@code
   * torch.jit.save} writes them.
   *
   * @return the archive's bytes
   */
  static byte[] archive() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      stored(zip, "version", "3\n".getBytes(StandardCharsets.US_ASCII));
      stored(zip, "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
      stored(zip, "constants.pkl", new byte[] {PROTO, 2, EMPTY_TUPLE, STOP});
      stored(zip, "data.pkl", state());
      stored(zip, "code/__torch__.py", SOURCE.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * The module object as {@code torch.jit.save} pickles it: {@code __torch__.Silu()} built with the
   * state {@code {"training": True}}.
   */
  private static byte[] state() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(PROTO);
    out.write(2);
    out.write(GLOBAL);
    out.writeBytes("__torch__\nSilu\n".getBytes(StandardCharsets.US_ASCII));
    out.write(EMPTY_TUPLE);
    out.write(NEWOBJ);
    out.write(EMPTY_DICT);
    out.write(MARK);
    byte[] key = "training".getBytes(StandardCharsets.UTF_8);
    out.write(BINUNICODE);
    out.writeBytes(new byte[] {(byte) key.length, 0, 0, 0}); // little-endian length
    out.writeBytes(key);
    out.write(NEWTRUE);
    out.write(SETITEMS);
    out.write(BUILD);
    out.write(STOP);
    return out.toByteArray();
  }

  private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry entry = new ZipEntry(ROOT + name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(data.length);
    entry.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    entry.setCrc(crc.getValue());
    entry.setTime(315532800000L); // 1980-01-01: the same bytes every time
    zip.putNextEntry(entry);
    zip.write(data);
    zip.closeEntry();
  }
}
