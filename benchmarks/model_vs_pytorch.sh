#!/usr/bin/env bash
# selftrain's models against PyTorch's own eager mode on this machine, one thread, batch 16, back to
# back: JMH ModelBenchmark (DJL's PyTorch engine), then benchmarks/model_peer.py, which prints
# images/s and the ratio selftrain / PyTorch for the forward pass and the training step of the
# classification student (cnn28-w48) and EfficientNet-B0, each also channels-last (-cl: selftrain's
# channelsLast() configs against torch.channels_last), once with PyTorch's defaults and once
# with libtorch's huge pages switched on (THP_MEM_ALLOC_ENABLE=1, which selftrain's Engines sets in
# its own process). selftrain's EfficientNet also runs with its fused operations (-fused:
# EfficientNetConfig.fusedOps(), swish as silu and the squeeze as one pool, as torchvision's model
# computes them), compared with the same PyTorch model. MODELS=a,b,... picks ModelBenchmark's models.
# ROUNDS=n repeats it all n times (this machine's timings drift by 10-20% from
# minute to minute; compare within a round).
#
#   PYTHON=/path/to/venv/bin/python ROUNDS=2 [DJL_SRC=/path/to/djl] benchmarks/model_vs_pytorch.sh [extra JMH options]
#
# PYTHON needs torch (and torchvision for efficientnet_b0). Run it on an idle machine.
#
# DJL_SRC (a clone of DJL, github.com/deepjavalibrary/djl) splits the ratio in two: each round also
# runs ModelBenchmark on the libtorch of PYTHON's own torch wheel, the one the peer runs on, and the
# peer prints one column per libtorch. DJL's prebuilt JNI only works with the libtorch it was built
# for (2.7.1 for DJL 0.36.0), so the JNI is built for the wheel once, from DJL_SRC's sources of the
# DJL version in the jar (gpu/jni_sources.sh, then gpu/libtorch_wheel.sh, which builds it with
# gpu/build_jni.sh: about 3 minutes on 2 cores, needs g++) into benchmarks/target/djl-wheel, and DJL
# is pointed at the wheel's libtorch for that run only. On the same libtorch, the ratio is
# selftrain's and DJL's own overhead; on DJL's bundled libtorch it adds the libtorch version's.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || mvn -B -q -pl benchmarks -am package -DskipTests
bundled=$(unzip -p "$jar" native/lib/pytorch.properties | sed -n 's/^version=//p')
wheel=
if [ -n "${DJL_SRC:-}" ]; then
  djl_version=$(unzip -p "$jar" jnilib/pytorch.properties | sed -n 's/^jni_version=.*-//p')
  read -r torch_dir torch_version < <("$PYTHON" -c 'import os, torch
print(os.path.dirname(torch.__file__), torch.__version__)')
  wheel=${torch_version%%+*}
  jni_src=benchmarks/target/djl-jni-src
  if [ "$(cat "$jni_src/DJL_VERSION" 2>/dev/null)" != "$djl_version" ]; then
    benchmarks/gpu/jni_sources.sh "$DJL_SRC" "$djl_version" "$jar" "$jni_src"
  fi
  # shellcheck source=gpu/libtorch_wheel.sh
  . benchmarks/gpu/libtorch_wheel.sh
fi
models=${MODELS:-cnn28-w48,cnn28-w48-cl,efficientnet-b0,efficientnet-b0-cl,efficientnet-b0-fused,efficientnet-b0-fused-cl}
# REUSE_OFF_MODELS (default cnn28-w48,efficientnet-b0; empty: none) also run with libtorch's freed
# blocks not reused (-Dselftrain.torch.memoryCacheMiB=0), one more column.
reuse_off_models=${REUSE_OFF_MODELS-cnn28-w48,efficientnet-b0}
# The peer measures each model once; selftrain's -fused rows are compared with its plain model's.
peer_models=$(tr , '\n' <<<"$models" | sed 's/-fused//' | awk '!seen[$0]++' | tr '\n' ' ')
for round in $(seq "${ROUNDS:-1}"); do
  out=benchmarks/results/$(date +%Y-%m-%dT%H%M)-models-1t-round$round.json
  java -jar "$jar" ModelBenchmark -p threads=1 -p model="$models" -rf json -rff "$out" "$@"
  runs=("libtorch-$bundled=$out")
  if [ -n "$wheel" ]; then
    on_wheel=${out%.json}-libtorch-$wheel.json
    (
      libtorch_wheel "$torch_dir" "$torch_version" cpu "$PWD/benchmarks/target/djl-wheel" "$jni_src" "$PYTHON" &&
        LD_LIBRARY_PATH=$torch_dir/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} java -jar "$jar" ModelBenchmark \
          -p threads=1 -p model="$models" -rf json -rff "$on_wheel" "$@"
    )
    runs+=("libtorch-$wheel=$on_wheel")
  fi
  if [ -n "$reuse_off_models" ]; then
    # The same JVM setup with libtorch's freed blocks not reused (Engines, TorchMemoryCache).
    reuse_off=${out%.json}-reuse-off.json
    java -jar "$jar" ModelBenchmark -jvmArgsAppend -Dselftrain.torch.memoryCacheMiB=0 \
      -p threads=1 -p model="$reuse_off_models" -rf json -rff "$reuse_off" "$@"
    runs+=("libtorch-$bundled-reuse-off=$reuse_off")
  fi
  echo "== PyTorch eager, its defaults"
  OMP_NUM_THREADS=1 "$PYTHON" benchmarks/model_peer.py --threads 1 --models $peer_models --jmh "${runs[@]}"
  # selftrain asks libtorch for huge pages (Engines, TorchHugePages); PyTorch can be asked too.
  echo "== PyTorch eager, THP_MEM_ALLOC_ENABLE=1 (huge pages, as selftrain asks libtorch)"
  THP_MEM_ALLOC_ENABLE=1 OMP_NUM_THREADS=1 "$PYTHON" benchmarks/model_peer.py --threads 1 --models $peer_models --jmh "${runs[@]}"
done
