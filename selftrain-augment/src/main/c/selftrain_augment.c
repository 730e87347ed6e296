/*
 * Native kernels of selftrain-augment, called through JNI by io.selftrain.augment.NativeKernels.
 *
 * Scale jitter's fixed-point bilinear resize-and-crop (Zoph et al. 2020, Augment-S1..S4; TF
 * resize_and_crop_image), the same integers as Warps.resizeCrop in Java, value for value:
 *   a row value   h = a (256 - wx) + b wx            (exact, at most 255 * 256, fits 16 bits)
 *   an output     (top (256 - wy) + bottom wy + 2^15) >> 16
 * Java computes every table (source columns, rows and weights, from float64 coordinates); this
 * file does integer work only, so no floating-point mode can make it differ.
 *
 * 3-channel rows are interpolated one pixel per SSE2 step: one 8-byte read holds the left pixel
 * (bytes 0-2) and the right one (bytes 3-5), widened to 16 bits, multiplied by
 * (g, g, g, f, f, f, 0, 0) and added to itself shifted by three lanes. Output rows are blended by
 * a loop the compiler vectorises, cloned for AVX2 and chosen when the CPU has it. SSE2 is part of
 * x86-64, so the library runs on every x86-64 CPU.
 *
 * It also makes libtorch zero-fill its CPU allocations when libtorch is loaded in the process
 * (io.selftrain.augment.TorchAllocations says why): a setting Java cannot reach, since DJL does not
 * expose it.
 *
 * torch_memory.c, in the same library, makes libtorch reuse its large CPU blocks
 * (io.selftrain.augment.TorchMemory).
 *
 * Built by selftrain-augment's pom (profile "native-kernels") with gcc; the jar falls back to the
 * Java loops where this library is absent.
 */
/* RTLD_NOLOAD is a GNU extension */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <jni.h>
#include <stdbool.h>
#include <emmintrin.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Checked by the Java loader: a library from another build of the jar is refused. */
#define ABI_VERSION 3

/* What "all of the second sample" weighs (Warps.WEIGHT_ONE). */
#define WEIGHT_ONE 256

/* The rounding constant of the output: 2^(2 * WEIGHT_BITS - 1). */
#define HALF (1u << 15)

/* One source row along x for any channel count. out[i] for i < n * channels. */
static void horizontal_any(const uint8_t *row, const int32_t *x0, const int32_t *x1,
                           const int32_t *wx, int n, int channels, uint16_t *out) {
  for (int x = 0, i = 0; x < n; x++) {
    uint32_t f = (uint32_t)wx[x];
    uint32_t g = WEIGHT_ONE - f;
    const uint8_t *a = row + x0[x];
    const uint8_t *b = row + x1[x];
    for (int k = 0; k < channels; k++, i++) {
      out[i] = (uint16_t)(a[k] * g + b[k] * f);
    }
  }
}

/*
 * One source row along x, 3 channels. `row` must have 8 readable bytes at every x0[x]; `out`
 * must have room for one value past 3 n (each step stores four lanes; the fourth is the next
 * pixel's first, written again by the next step). Columns whose right sample is not the next
 * pixel (the clamped last column) are recomputed by the scalar loop afterwards.
 */
static void horizontal3(const uint8_t *row, const int32_t *x0, const int32_t *x1,
                        const int32_t *wx, const __m128i *weights, int n, uint16_t *out) {
  const __m128i zero = _mm_setzero_si128();
  for (int x = 0; x < n; x++) {
    __m128i pixels = _mm_unpacklo_epi8(_mm_loadl_epi64((const __m128i *)(row + x0[x])), zero);
    __m128i products = _mm_mullo_epi16(pixels, _mm_loadu_si128(weights + x));
    __m128i sum = _mm_add_epi16(products, _mm_srli_si128(products, 6));
    _mm_storel_epi64((__m128i *)(out + 3 * x), sum);
  }
  for (int x = 0; x < n; x++) {
    if (x1[x] != x0[x] + 3) {
      horizontal_any(row, x0 + x, x1 + x, wx + x, 1, 3, out + 3 * x);
    }
  }
}

/* One output row: two interpolated rows blended with weight wy, rounded, narrowed to bytes. */
__attribute__((target_clones("avx2", "default")))
static void vertical(const uint16_t *upper, const uint16_t *lower, uint32_t wy, uint8_t *dst,
                     int n) {
  uint32_t g = WEIGHT_ONE - wy;
  for (int i = 0; i < n; i++) {
    dst[i] = (uint8_t)((upper[i] * g + lower[i] * wy + HALF) >> 16);
  }
}

JNIEXPORT jint JNICALL Java_io_selftrain_augment_NativeKernels_abiVersion(JNIEnv *env,
                                                                         jclass cls) {
  (void)env;
  (void)cls;
  return ABI_VERSION;
}

/*
 * Sets libtorch's flag FLAGS_caffe2_cpu_allocator_do_zero_fill in the libc10 already loaded in the
 * process, so that every CPU tensor libtorch allocates starts as zeros (found by its exported
 * symbol; nothing is loaded and nothing is linked). Returns 1 when it switched zero-filling on, 0
 * when it was on already, -1 when no libc10.so is loaded, -2 when that library lacks the flag.
 */
JNIEXPORT jint JNICALL Java_io_selftrain_augment_NativeKernels_zeroFillTorchAllocations(
    JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  void *c10 = dlopen("libc10.so", RTLD_NOW | RTLD_NOLOAD);
  if (c10 == NULL) {
    return -1;
  }
  bool *zeroFill = (bool *)dlsym(c10, "FLAGS_caffe2_cpu_allocator_do_zero_fill");
  jint status = -2;
  if (zeroFill != NULL) {
    status = *zeroFill ? 0 : 1;
    *zeroFill = true;
  }
  dlclose(c10); /* drops the reference NOLOAD took; libc10 stays loaded */
  return status;
}

/*
 * Warps.resizeCrop's loops. rows holds (lo, hi, wy) for each of the first insideH output rows;
 * output rows from insideH on, and columns from insideW on, are `fill`. Returns 0, or -1 when a
 * buffer could not be had (the caller throws OutOfMemoryError).
 */
JNIEXPORT jint JNICALL Java_io_selftrain_augment_NativeKernels_resizeCrop(
    JNIEnv *env, jclass cls, jbyteArray srcArray, jint width, jint channels, jintArray x0Array,
    jintArray x1Array, jintArray wxArray, jint insideW, jintArray rowsArray, jint insideH,
    jbyteArray dstArray, jint outW, jint outH, jbyte fill) {
  (void)cls;
  const size_t srcLength = (size_t)(*env)->GetArrayLength(env, srcArray);
  const size_t rowLength = (size_t)width * (size_t)channels;
  const size_t span = (size_t)insideW * (size_t)channels;
  const size_t outRow = (size_t)outW * (size_t)channels;
  const int simd = channels == 3 && insideW > 0;

  uint16_t *upper = malloc((span + 4) * sizeof(uint16_t));
  uint16_t *lower = malloc((span + 4) * sizeof(uint16_t));
  uint8_t *padded = malloc(rowLength + 8);
  __m128i *weights = simd ? malloc((size_t)insideW * sizeof(__m128i)) : NULL;
  if (upper == NULL || lower == NULL || padded == NULL || (simd && weights == NULL)) {
    free(upper);
    free(lower);
    free(padded);
    free(weights);
    return -1;
  }

  jint status = 0;
  uint8_t *src = (*env)->GetPrimitiveArrayCritical(env, srcArray, NULL);
  uint8_t *dst = (*env)->GetPrimitiveArrayCritical(env, dstArray, NULL);
  int32_t *x0 = (*env)->GetPrimitiveArrayCritical(env, x0Array, NULL);
  int32_t *x1 = (*env)->GetPrimitiveArrayCritical(env, x1Array, NULL);
  int32_t *wx = (*env)->GetPrimitiveArrayCritical(env, wxArray, NULL);
  int32_t *rows = (*env)->GetPrimitiveArrayCritical(env, rowsArray, NULL);
  if (src == NULL || dst == NULL || x0 == NULL || x1 == NULL || wx == NULL || rows == NULL) {
    status = -1;
    goto release;
  }

  if (simd) {
    for (int x = 0; x < insideW; x++) {
      short f = (short)wx[x];
      short g = (short)(WEIGHT_ONE - wx[x]);
      weights[x] = _mm_setr_epi16(g, g, g, f, f, f, 0, 0);
    }
  }
  memset(padded + rowLength, 0, 8);

  int upperRow = -1;
  int lowerRow = -1;
  for (int y = 0; y < outH; y++) {
    uint8_t *out = dst + (size_t)y * outRow;
    if (y >= insideH) {
      memset(out, (uint8_t)fill, outRow);
      continue;
    }
    int lo = rows[3 * y];
    int hi = rows[3 * y + 1];
    uint32_t wy = (uint32_t)rows[3 * y + 2];
    if (lo == lowerRow) {
      uint16_t *t = upper;
      upper = lower;
      lower = t;
      upperRow = lowerRow;
      lowerRow = -1;
    }
    for (int which = 0; which < 2; which++) {
      int source = which == 0 ? lo : hi;
      if (source == (which == 0 ? upperRow : lowerRow)) {
        continue;
      }
      uint16_t *target = which == 0 ? upper : lower;
      const uint8_t *row = src + (size_t)source * rowLength;
      if (simd) {
        // The 8-byte reads may run up to 5 bytes past the row: past the array on its last row.
        if ((size_t)source * rowLength + rowLength + 8 > srcLength) {
          memcpy(padded, row, rowLength);
          row = padded;
        }
        horizontal3(row, x0, x1, wx, weights, insideW, target);
      } else {
        horizontal_any(row, x0, x1, wx, insideW, channels, target);
      }
      if (which == 0) {
        upperRow = source;
      } else {
        lowerRow = source;
      }
    }
    vertical(upper, lower, wy, out, (int)span);
    memset(out + span, (uint8_t)fill, outRow - span);
  }

release:
  if (rows != NULL) (*env)->ReleasePrimitiveArrayCritical(env, rowsArray, rows, JNI_ABORT);
  if (wx != NULL) (*env)->ReleasePrimitiveArrayCritical(env, wxArray, wx, JNI_ABORT);
  if (x1 != NULL) (*env)->ReleasePrimitiveArrayCritical(env, x1Array, x1, JNI_ABORT);
  if (x0 != NULL) (*env)->ReleasePrimitiveArrayCritical(env, x0Array, x0, JNI_ABORT);
  if (dst != NULL) (*env)->ReleasePrimitiveArrayCritical(env, dstArray, dst, 0);
  if (src != NULL) (*env)->ReleasePrimitiveArrayCritical(env, srcArray, src, JNI_ABORT);
  free(upper);
  free(lower);
  free(padded);
  free(weights);
  return status;
}
