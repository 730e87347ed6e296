package io.selftrain.augment;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.selftrain.Example;
import io.selftrain.Image;
import io.selftrain.MaskTarget;
import io.selftrain.Target;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The one implementation of {@link DeviceAugmenter}: resolves every draw with {@link Plan} on the
 * host, then runs the calls on the device in rounds, each round one kind of call over every example
 * whose next call is of that kind (the largest such group first; scale jitter only when every
 * example has reached it).
 */
final class DevicePipeline<T extends Target> implements DeviceAugmenter<T> {
  private final PolicyAugmenter<T> policy;

  DevicePipeline(PolicyAugmenter<T> policy) {
    this.policy = policy;
  }

  @Override
  public PolicyAugmenter<T> policy() {
    return policy;
  }

  @Override
  public DeviceBatch<T> augment(
      List<Example<T>> examples, List<SplittableRandom> generators, NDManager manager) {
    checkNotNull(examples, "examples");
    checkNotNull(generators, "generators");
    checkArgument(
        generators.size() == examples.size(),
        "generators must have one generator per example (%s): %s",
        examples.size(),
        generators.size());
    List<List<AugmentStep>> draws = new ArrayList<>(examples.size());
    for (int i = 0; i < examples.size(); i++) {
      draws.add(policy.sample(examples.get(i), checkNotNull(generators.get(i), "generator")));
    }
    return apply(examples, draws, manager);
  }

  @Override
  @SuppressWarnings("unchecked")
  public DeviceBatch<T> apply(
      List<Example<T>> examples, List<List<AugmentStep>> draws, NDManager manager) {
    checkNotNull(examples, "examples");
    checkNotNull(draws, "draws");
    checkNotNull(manager, "manager");
    int n = examples.size();
    checkArgument(n > 0, "examples must not be empty: %s", n);
    checkArgument(
        draws.size() == n, "draws must have one draw per example (%s): %s", n, draws.size());
    Image first = checkNotNull(examples.get(0), "example").image();
    boolean hasMasks = examples.get(0).target() instanceof MaskTarget;
    List<List<Kernel>> plans = new ArrayList<>(n);
    List<T> targets = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Example<T> e = checkNotNull(examples.get(i), "example");
      Image image = e.image();
      checkArgument(
          image.height() == first.height()
              && image.width() == first.width()
              && image.channels() == first.channels(),
          "examples must share one image size, %s; example %s is %s",
          first,
          i,
          image);
      checkArgument(
          (e.target() instanceof MaskTarget) == hasMasks,
          "examples must all have mask targets or none: example %s has %s",
          i,
          e.target());
      Work geometry = Work.geometryOf(e);
      plans.add(Plan.resolve(geometry, checkNotNull(draws.get(i), "draw"), true));
      targets.add(hasMasks ? null : (T) geometry.toTarget(e.target()));
    }
    checkResizes(plans);
    try (NDManager scope = manager.newSubManager()) {
      Batch batch =
          new Batch(
              scope,
              upload(scope, examples, false),
              hasMasks ? upload(scope, examples, true) : null);
      batch.run(plans);
      NDArray images = batch.images.toType(DataType.UINT8, false);
      images.attach(manager);
      NDArray masks = null;
      if (hasMasks) {
        masks = batch.masks.squeeze(1).toType(DataType.UINT8, false);
        masks.attach(manager);
      }
      return new DeviceBatch<>(images, masks, hasMasks ? null : List.copyOf(targets));
    }
  }

  /**
   * Every example must pass the same sequence of output sizes, so that the batch stays one array.
   */
  private static void checkResizes(List<List<Kernel>> plans) {
    List<String> reference = resizes(plans.get(0));
    for (int i = 1; i < plans.size(); i++) {
      List<String> sizes = resizes(plans.get(i));
      checkArgument(
          sizes.equals(reference),
          "draws must resize every example to the same sizes in the same order, %s; example %s resizes to %s",
          reference,
          i,
          sizes);
    }
  }

  private static List<String> resizes(List<Kernel> plan) {
    List<String> sizes = new ArrayList<>();
    for (Kernel kernel : plan) {
      if (kernel instanceof Kernel.Resize r) {
        sizes.add(r.step().outputHeight() + "x" + r.step().outputWidth());
      }
    }
    return sizes;
  }

  /** The images as float32 {@code (N, C, H, W)}, or the masks as float32 {@code (N, 1, H, W)}. */
  private static NDArray upload(
      NDManager scope, List<? extends Example<?>> examples, boolean masks) {
    Image first = examples.get(0).image();
    int h = first.height();
    int w = first.width();
    int c = masks ? 1 : first.channels();
    int plane = h * w * c;
    ByteBuffer buffer = scope.allocateDirect(plane * examples.size());
    for (Example<?> e : examples) {
      buffer.put(masks ? ((MaskTarget) e.target()).classes() : e.image().pixels());
    }
    buffer.rewind();
    try (NDManager temporary = scope.newSubManager()) {
      NDArray hwc = temporary.create(buffer, new Shape(examples.size(), h, w, c), DataType.UINT8);
      NDArray nchw = hwc.transpose(0, 3, 1, 2).toType(DataType.FLOAT32, false);
      nchw.attach(scope);
      return nchw;
    }
  }

  /**
   * The batch's device state: float32 images and masks, replaced or updated in place by each round.
   * Each round runs in its own sub-manager to which the state is temporarily attached, so
   * intermediates are freed when the round ends.
   */
  private static final class Batch {
    private final NDManager scope;
    private final int size;
    private NDArray images;
    private NDArray masks;

    Batch(NDManager scope, NDArray images, NDArray masks) {
      this.scope = scope;
      this.size = (int) images.getShape().get(0);
      this.images = images;
      this.masks = masks;
    }

    void run(List<List<Kernel>> plans) {
      int[] next = new int[size];
      while (true) {
        Map<Object, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
          if (next[i] < plans.get(i).size()) {
            groups.computeIfAbsent(key(plans.get(i).get(next[i])), x -> new ArrayList<>()).add(i);
          }
        }
        if (groups.isEmpty()) {
          return;
        }
        Object chosen = null;
        for (Map.Entry<Object, List<Integer>> g : groups.entrySet()) {
          boolean better = chosen == null || g.getValue().size() > groups.get(chosen).size();
          if (!g.getKey().equals(Kernel.Resize.class) && better) {
            chosen = g.getKey();
          }
        }
        if (chosen == null) {
          chosen = Kernel.Resize.class; // every unfinished example waits at scale jitter
        }
        List<Integer> rows = groups.get(chosen);
        List<Kernel> calls = new ArrayList<>(rows.size());
        for (int i : rows) {
          calls.add(plans.get(i).get(next[i]++));
        }
        round(rows, calls);
      }
    }

    /** Calls of one key run together: their class, or the op for colour ops. */
    private static Object key(Kernel kernel) {
      return kernel instanceof Kernel.Point p ? p.op() : kernel.getClass();
    }

    private void round(List<Integer> rows, List<Kernel> calls) {
      NDArray oldImages = images;
      NDArray oldMasks = masks;
      try (NDManager round = scope.newSubManager()) {
        images.tempAttach(round);
        if (masks != null) {
          masks.tempAttach(round);
        }
        Kernel kind = calls.get(0);
        if (kind instanceof Kernel.InBox) {
          for (int j = 0; j < rows.size(); j++) {
            inBox(rows.get(j), (Kernel.InBox) calls.get(j));
          }
          return;
        }
        boolean all = rows.size() == size;
        NDArray index =
            all ? null : round.create(rows.stream().mapToLong(Integer::longValue).toArray());
        NDArray x = all ? images : images.get(new NDIndex("{}", index));
        if (kind instanceof Kernel.Warp || kind instanceof Kernel.Resize) {
          NDArray m = masks == null ? null : all ? masks : masks.get(new NDIndex("{}", index));
          NDList out =
              kind instanceof Kernel.Warp
                  ? DeviceWarps.affine(
                      x, m, calls.stream().map(k -> ((Kernel.Warp) k).inverse()).toList())
                  : DeviceWarps.resizeCrop(
                      x, m, calls.stream().map(k -> ((Kernel.Resize) k).step()).toList());
          images = commit(images, index, out.get(0));
          if (m != null) {
            masks = commit(masks, index, out.get(1));
          }
        } else {
          images = commit(images, index, whole(x, calls));
        }
      }
      if (images != oldImages) {
        oldImages.close();
      }
      if (masks != oldMasks) {
        oldMasks.close();
      }
    }

    /** Writes the rows back in place, or (all rows) keeps the result as the new state. */
    private NDArray commit(NDArray state, NDArray index, NDArray result) {
      if (index == null) {
        result.attach(scope);
        return result;
      }
      state.set(new NDIndex("{}", index), result);
      return state;
    }

    /**
     * One {@code *_Only_BBoxes} edit: the box's crop of one image, the inner call on it, written
     * back.
     */
    private void inBox(int row, Kernel.InBox box) {
      NDIndex region =
          new NDIndex(
              "{}:{}, :, {}:{}, {}:{}",
              row,
              row + 1,
              box.y(),
              box.y() + box.height(),
              box.x(),
              box.x() + box.width());
      NDArray crop = images.get(region);
      images.set(region, whole(crop, List.of(box.inner())));
    }

    /**
     * Calls of one kind that touch pixels only: a warp, a colour op or a fill, one per image of
     * {@code x}.
     */
    private static NDArray whole(NDArray x, List<Kernel> calls) {
      Kernel kind = calls.get(0);
      if (kind instanceof Kernel.Warp) {
        return DeviceWarps.affine(
                x, null, calls.stream().map(k -> ((Kernel.Warp) k).inverse()).toList())
            .get(0);
      }
      if (kind instanceof Kernel.Fill) {
        int[] rects = new int[4 * calls.size()];
        for (int j = 0; j < calls.size(); j++) {
          Kernel.Fill f = (Kernel.Fill) calls.get(j);
          rects[4 * j] = f.y0();
          rects[4 * j + 1] = f.y1();
          rects[4 * j + 2] = f.x0();
          rects[4 * j + 3] = f.x1();
        }
        return DevicePointOps.fill(x, rects);
      }
      Kernel.Point point = (Kernel.Point) kind;
      double[] arguments = calls.stream().mapToDouble(k -> ((Kernel.Point) k).argument()).toArray();
      return DevicePointOps.apply(point.op(), x, arguments);
    }
  }

  @Override
  public String toString() {
    return "DeviceAugmenter[" + policy.describe() + "]";
  }
}
