/**
 * Augmentation for self-training: seeded, per-example operations that move targets with pixels
 * (Zoph et al. 2020, "Rethinking Pre-training and Self-training", Sec. 3.1, Augment-S1..S4).
 *
 * <p>Start at {@link io.selftrain.augment.Augmenters}: {@code Augmenters.policy(AugmentPolicy.S4,
 * Task.DETECTION, 640, 640)} returns a {@link io.selftrain.augment.PolicyAugmenter}, whose draw
 * ({@code sample}) is separate from applying it ({@code apply}) so a draw can be recorded and
 * replayed. {@code Augmenters.device(policy)} returns a {@link
 * io.selftrain.augment.DeviceAugmenter} that replays the same draws on a whole batch as NDArray
 * operations on the engine's device, returning a {@link io.selftrain.augment.DeviceBatch}.
 *
 * <p>Public surface: the op registry {@link io.selftrain.augment.AugmentOp} with its sampled {@link
 * io.selftrain.augment.OpParams}; the draw steps {@link io.selftrain.augment.AugmentStep} and
 * {@link io.selftrain.augment.ResizeCrop}; the policies as data ({@link
 * io.selftrain.augment.AugmentPolicy}, {@link io.selftrain.augment.AutoAugmentPolicy}, {@link
 * io.selftrain.augment.AutoAugmentConfig}, {@link io.selftrain.augment.RandAugmentConfig}, {@link
 * io.selftrain.augment.ScaleJitterConfig}, {@link io.selftrain.augment.OpSpec}, {@link
 * io.selftrain.augment.OpConstants}); the typed {@link io.selftrain.augment.Task}; the
 * classification flip-crop of {@link io.selftrain.augment.FlipCropConfig}; and the device path
 * ({@code DeviceAugmenter}, {@code DeviceBatch}), which needs only {@code ai.djl:api} (any engine
 * at run time). Kernels (colour lookup tables, nearest and bilinear warps, box geometry, their
 * batched NDArray versions) and policy stages are package-private.
 *
 * <p>Speed: on Linux x86-64 the bilinear resize of scale jitter runs in a C kernel the jar carries
 * (JNI, SSE2 and AVX2; about 3.5x the plain Java loops on Augment-S1, no JVM flag). Elsewhere the
 * Java loops run, on JDK 17's Vector API when the JVM has {@code --add-modules
 * jdk.incubator.vector}. All give the same pixels; {@code Augmenters.resizeKernels()} says which
 * runs.
 */
@io.selftrain.internal.ValueStyle
package io.selftrain.augment;
