#!/usr/bin/env bash
# Sourced by run.sh and ../model_vs_pytorch.sh: points DJL's PyTorch engine at the libtorch of an
# installed PyTorch wheel instead of the libtorch DJL bundles.
#
#   libtorch_wheel TORCH_DIR TORCH_VERSION FLAVOR CACHE JNI_SRC PYTHON [JOBS]
#
# TORCH_DIR is the wheel's torch/ folder, FLAVOR cpu or cuXYZ, CACHE DJL's cache folder, JNI_SRC what
# jni_sources.sh collects, PYTHON an interpreter whose `import torch` is that wheel. DJL's prebuilt
# JNI only works with the libtorch it was built for, so the JNI is built for the wheel
# (build_jni.sh, JOBS parallel compiles) into CACHE, where DJL's engine looks first, unless it is
# there already. Then exports PYTORCH_LIBRARY_PATH, PYTORCH_VERSION, PYTORCH_FLAVOR, DJL_CACHE_DIR
# and PYTORCH_LIBRARY_EXCLUSION: DJL loads every library in the wheel's lib/ unless excluded, and
# all but libtorch's own and its CUDA parts are.
libtorch_wheel() {
  local torch_dir=$1 version=${2%%+*} flavor=$3 cache=$4 jni_src=$5 python=$6
  local jobs=${7:-$(nproc)} here start keep jni
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  jni=$cache/pytorch/$version-$flavor-linux-x86_64/$(cat "$jni_src/DJL_VERSION")-libdjl_torch.so
  if [ ! -f "$jni" ]; then
    start=$SECONDS
    "$here/build_jni.sh" "$jni_src" "$python" "$jni" "$jobs" || return 1
    echo "JNI built in $((SECONDS - start)) s"
  fi
  keep='^(libc10|libc10_cuda|libtorch|libtorch_cpu|libtorch_cuda|libcaffe2_nvrtc|libgomp.*)\.so'
  PYTORCH_LIBRARY_EXCLUSION=$(find "$torch_dir/lib" -name '*.so*' -printf '%f\n' | grep -Ev "$keep" | paste -sd,)
  export PYTORCH_LIBRARY_EXCLUSION PYTORCH_LIBRARY_PATH=$torch_dir/lib PYTORCH_VERSION=$version \
    PYTORCH_FLAVOR=$flavor DJL_CACHE_DIR=$cache
}
