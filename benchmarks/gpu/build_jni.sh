#!/usr/bin/env bash
# Builds DJL's PyTorch JNI library (libdjl_torch.so) against the libtorch of an installed PyTorch
# wheel, so that DJL's PyTorch engine can run on that wheel's libtorch (for example a CUDA build) where
# no matching prebuilt JNI exists. DJL's prebuilt JNI is compiled for one libtorch version (2.7.1 for
# DJL 0.36.0) and crashes against others (tensor layouts differ), so it must be rebuilt from DJL's
# sources of the same DJL version as the pytorch-engine jar on the classpath.
#
#   build_jni.sh SRC PYTHON OUT.so [JOBS]
#
# SRC holds what prepare.sh collects: native/*.cc|h (DJL engines/pytorch/pytorch-native/src/main/native),
# include/djl/utils.h (DJL api/src/main/native), include/ai_djl_pytorch_jni_PyTorchLibrary.h (javac -h of
# that version's PyTorchLibrary.java) and jdk-include/ (jni.h, linux/jni_md.h). PYTHON is an
# interpreter whose `import torch` is the wheel to build against (its include/ and lib/ are used). The
# build is DJL's CMake build written out as plain compiler calls: C++17, -O2, the wheel's C++ ABI flag,
# linked to libtorch, libtorch_cpu and libc10. It is built without DJL's USE_CUDA switch, which only
# adds torch.cuda.empty_cache and a separate CUDA stream for TorchScript inference; CUDA tensors and
# kernels work without it (the CUDA backend lives in the wheel's libtorch_cuda, which DJL loads itself).
set -euo pipefail
src=$1
python=$2
out=$3
jobs=${4:-$(nproc)}
read -r torch_dir abi < <("$python" -c 'import os, torch
print(os.path.dirname(torch.__file__), int(torch.compiled_with_cxx11_abi()))')
cxx=${CXX:-g++}
flags=(-std=c++17 -O2 -fPIC -DNDEBUG "-D_GLIBCXX_USE_CXX11_ABI=$abi" -w
  -I"$src/include" -I"$src/native" -I"$src/jdk-include" -I"$src/jdk-include/linux"
  -I"$torch_dir/include" -I"$torch_dir/include/torch/csrc/api/include")
objs=$(mktemp -d)
echo "building $(basename "$out") against $torch_dir (cxx11 abi $abi) with $jobs jobs"
printf '%s\n' "$src"/native/*.cc |
  xargs -P "$jobs" -I{} sh -c '"$0" "$@" -c {} -o "'"$objs"'/$(basename {} .cc).o" || exit 255' "$cxx" "${flags[@]}"
mkdir -p "$(dirname "$out")"
"$cxx" -shared -o "$out" "$objs"/*.o -L"$torch_dir/lib" -Wl,-rpath,"$torch_dir/lib" \
  -ltorch -ltorch_cpu -lc10
rm -rf "$objs"
echo "built $out"
