package io.selftrain.augment;

import ai.djl.ndarray.NDManager;
import io.selftrain.Example;
import io.selftrain.Target;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The device path of a {@link PolicyAugmenter}: replays the draws of a batch as batched NDArray
 * operations on the device of a given {@link NDManager} (a GPU when the engine has one), and
 * returns NCHW uint8 images with the moved targets. The draws are the CPU path's ({@link
 * PolicyAugmenter#sample}), so both paths apply the same Augment-S1..S4 policies (Zoph et al. 2020,
 * "Rethinking Pre-training and Self-training", Sec. 3.1) with the same random choices; on the same
 * draws they give the same pixels, boxes and masks (see "Agreement").
 *
 * <pre>{@code
 * PolicyAugmenter<BoxesTarget> s4 = Augmenters.policy(AugmentPolicy.S4, Task.DETECTION, 640, 640);
 * DeviceAugmenter<BoxesTarget> device = Augmenters.device(s4);
 * try (NDManager manager = NDManager.newBaseManager(Device.gpu());
 *     DeviceBatch<BoxesTarget> batch = device.augment(examples, generators, manager)) {
 *   NDArray x = batch.images().toType(DataType.FLOAT32, false).div(255f);   // (N, 3, 640, 640)
 *   List<BoxesTarget> boxes = batch.targets();
 * }
 * }</pre>
 *
 * <h2>How a batch runs</h2>
 *
 * Each example's draw is first resolved on the host, exactly as the CPU path resolves it:
 * consecutive geometric ops (flip, rotate, shear, translate) are composed into one affine map, the
 * Cutout centres and box-dependent choices are drawn, and boxes are moved with the CPU path's box
 * code. The resolved calls are then run on the device, grouped across examples: each round runs one
 * kind of call for every example whose next call is of that kind, with their parameters stacked as
 * tensors ({@code (k, 2, 3)}-style affine coefficients, {@code (k, 1, 1, 1)} factors, thresholds
 * and rectangles); the other examples are left as they are. Batched in this way: the affine warps
 * (one gather-based nearest-neighbour resample per fused run, fill 128, masks 255), scale jitter's
 * bilinear resize-and-crop, every colour op (Equalize through a sort and a binary search instead of
 * a histogram op), Cutout and BBox_Cutout (per-example rectangles). The {@code *_Only_BBoxes} ops
 * of the detection policies run per example and per box (a crop, the op on the crop, the crop
 * written back), since every box has its own size; they are still NDArray ops on the device. Scale
 * jitter is a barrier: every example of a batch must resize to the same output size at the same
 * point of its draw, which holds for draws of one policy.
 *
 * <h2>Agreement</h2>
 *
 * Every kernel repeats the CPU kernel's arithmetic operation by operation: sample coordinates in
 * float64, colour blends in float32, the bilinear resize in fixed point (8-bit weights; every
 * intermediate is an integer below 2^24, so float32 holds it exactly), integer steps exact. On an
 * engine with IEEE float32 and float64 arithmetic (DJL's PyTorch engine on CPU is tested), the
 * images, masks and boxes equal the CPU path's exactly. A device that contracts multiply-adds or
 * uses reduced-precision arithmetic could move a blended value across a rounding boundary: then a
 * pixel differs by at most one grey level (the resize, exact in integers, is not affected).
 *
 * <h2>Memory</h2>
 *
 * All intermediate arrays live in sub-managers that are closed before {@code apply} returns; the
 * result's images (and masks) are attached to the given manager and are the only arrays left on it.
 *
 * @param <T> the target type
 */
public sealed interface DeviceAugmenter<T extends Target> permits DevicePipeline {
  /**
   * @return the policy whose draws this augmenter replays
   */
  PolicyAugmenter<T> policy();

  /**
   * Applies one draw per example on the manager's device.
   *
   * @param examples the batch: same image size and channels; targets all masks or none
   * @param draws one draw per example, from {@link PolicyAugmenter#sample} on that example
   * @param manager where the result lives (its device is where the work runs)
   * @return the augmented batch
   * @throws IllegalArgumentException if the batch is empty, the sizes of {@code examples} and
   *     {@code draws} differ, the images differ in size or channels, a mask does not match its
   *     image, or the draws do not resize every example to the same size at the same point
   */
  DeviceBatch<T> apply(List<Example<T>> examples, List<List<AugmentStep>> draws, NDManager manager);

  /**
   * Draws each example's parameters on the host with the policy ({@link PolicyAugmenter#sample})
   * and applies them on the device.
   *
   * @param examples the batch
   * @param generators one generator per example
   * @param manager where the result lives
   * @return the augmented batch
   * @throws IllegalArgumentException as {@link #apply}, or if the number of generators differs from
   *     the number of examples
   */
  DeviceBatch<T> augment(
      List<Example<T>> examples, List<SplittableRandom> generators, NDManager manager);
}
