#!/usr/bin/env bash
# Measures selftrain's model step (ModelBenchmark at batch 16, GpuModelStepBenchmark at batches that
# fill the GPU), PyTorch's own eager mode on the same steps (model_peer.py --device cuda) and the
# device augmentation path (DeviceAugmentBenchmark at batch 32, GpuAugmentBenchmark at 256) on a
# CUDA GPU, from a folder made by prepare.sh, on a machine that needs only a CUDA PyTorch wheel
# (with torchvision), a C++ compiler and nvidia-smi: no Java, no network.
#
#   [PYTHON=python3] [JOBS=nproc] [JMH='-f 1 -wi 3 -w 1 -i 5 -r 1'] [PEER_SECONDS=4] \
#   [MODEL_CASES='efficientnet-b0:256 cnn28-w48:1024'] [POLICIES='S1 S2 S3 S4'] \
#   [DEADLINE_S=seconds] [DEVICE=cuda] ./run.sh RESULTS_DIR [models] [peer] [augment]
#
# MODEL_CASES names each model with its large batch (a divisor of 1024); each model is also run at
# ModelBenchmark's batch 16. DEVICE=cpu rehearses the whole recipe on a machine without a GPU (with
# a CPU wheel; use small cases there, the large batches take minutes per step on a CPU).
#
# 1. Builds DJL's JNI against the wheel's libtorch and points DJL's engine at that libtorch
#    (libtorch_wheel.sh). DJL finds the GPU through libcudart, so the libcudart that the wheel
#    loads is linked into a folder on jna.library.path.
# 2. EngineCheck: prints DJL's engine version, GPU count and default device; stops unless a GPU.
# 3. The sections named (default all three); each JMH call writes a JSON file, merged as it goes
#    into RESULTS_DIR/gpu-models.json and gpu-augment.json; the peer prints selftrain / PyTorch
#    ratios and writes gpu-models-vs-pytorch.json. Sections not started by DEADLINE_S seconds
#    after the start are skipped (JMH writes its JSON only when a call ends).
# Both sides run the same libtorch, so the ratios measure selftrain's and DJL's own overhead.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
results=$(cd "$1" && pwd)
shift
sections=${*:-models peer augment}
python=${PYTHON:-python3}
jmh_opts=${JMH:--f 1 -wi 3 -w 1 -i 5 -r 1}
deadline=${DEADLINE_S:-1000000}
work=$(mktemp -d)
cd "$work" || exit 1 # JVM crash reports (hs_err_pid*.log) land here and are printed on exit
crash_reports() {
  local f
  for f in "$work"/hs_err*.log; do
    [ -f "$f" ] || continue
    head -40 "$f"
    [ -f "$results/hs_err.log" ] || cp "$f" "$results/hs_err.log"
  done
}
trap crash_reports EXIT
java=java
if [ -x "$here/jre/bin/java" ]; then
  java=$here/jre/bin/java
elif [ -f "$here/jre.tar.xz" ]; then
  "$python" -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2], filter="tar")' \
    "$here/jre.tar.xz" "$work" || exit 1
  java=$work/jre/bin/java
fi

nvidia-smi 2>&1 | tee "$results/nvidia-smi.txt" | head -12
echo "tools: $(command -v "${CXX:-g++}" nvcc java | paste -sd' '); $(nproc) cores"
device=${DEVICE:-cuda}
"$python" - "$device" >"$work/torch.txt" <<'PY' || exit 1
import glob, os, sys, torch
if sys.argv[1] == "cuda":
    torch.zeros(1, device="cuda")  # loads libcudart
    cudart = next(line.split()[-1] for line in open("/proc/self/maps") if "libcudart" in line)
    flavor = "cu" + torch.version.cuda.replace(".", "")
    name = torch.cuda.get_device_name(0)
else:
    cudart, flavor, name = "-", "cpu", "cpu"
# The wheel's CUDA libraries (nvidia-* packages), for the dynamic linker as a fallback to RUNPATH.
site = os.path.dirname(os.path.dirname(torch.__file__))
nvidia = sorted({os.path.dirname(p) for p in glob.glob(f"{site}/nvidia/**/lib/*.so*", recursive=True)})
print(os.path.dirname(torch.__file__), torch.__version__, flavor, cudart, ":".join(nvidia) or "-", name)
PY
read -r torch_dir torch_version flavor cudart nvidia_libs gpu_name <"$work/torch.txt"
version=${torch_version%%+*}
djl=$(cat "$here/jni-src/DJL_VERSION")
cache=${DJL_CACHE_DIR:-$HOME/.djl.ai}
echo "torch $torch_version ($flavor) at $torch_dir; $gpu_name; DJL $djl; java $("$java" -version 2>&1 | head -1)"

# shellcheck source=libtorch_wheel.sh
. "$here/libtorch_wheel.sh"
libtorch_wheel "$torch_dir" "$torch_version" "$flavor" "$cache" "$here/jni-src" "$python" "${JOBS:-}" || exit 1
mkdir -p "$cache/cudart"
[ "$cudart" = - ] || ln -sf "$cudart" "$cache/cudart/libcudart.so"
ld_path=$cache/cudart:$torch_dir/lib
[ "$nvidia_libs" = - ] || ld_path=$ld_path:$nvidia_libs
export LD_LIBRARY_PATH=$ld_path${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
jvm=(-Dai.djl.offline=true "-DDJL_CACHE_DIR=$cache" "-Djna.library.path=$cache/cudart")
cp=$here/lib/*
check=()
[ "$device" = cuda ] && check=(--require-gpu)
"$java" "${jvm[@]}" -cp "$cp" io.selftrain.benchmarks.models.EngineCheck "${check[@]}" || exit 1
read -r -a cases <<<"${MODEL_CASES:-efficientnet-b0:256 cnn28-w48:1024}"
models=$(printf '%s\n' "${cases[@]%%:*}" | paste -sd,)

merge() { # merge OUT PREFIX: concatenate the JMH JSON arrays $work/PREFIX-*.json into OUT
  "$python" -c 'import json, sys; json.dump([r for p in sys.argv[2:] for r in json.load(open(p))],
    open(sys.argv[1], "w"), indent=1)' "$1" $(ls "$work/$2"-*.json 2>/dev/null)
}
jmh() { # jmh NAME ARGS...: one JMH call into $work/NAME.json
  local name=$1
  shift
  if ((SECONDS > deadline)); then
    echo "skipped (deadline): $name"
    return
  fi
  echo "== JMH $name: $* $jmh_opts"
  # JMH's forks inherit the host JVM's options (jvm).
  # shellcheck disable=SC2086
  "$java" "${jvm[@]}" -cp "$cp" org.openjdk.jmh.Main "$@" $jmh_opts -rf json -rff "$work/$name.json" \
    2>&1 | tee -a "$results/jmh.log" |
    grep -E '^(Benchmark|[A-Z][A-Za-z]+Benchmark\.|# Parameters)|Exception|Error|WARN|failure|Caused|SIG'
}

if [[ " $sections " == *" models "* ]]; then
  jmh models-b16 '\.ModelBenchmark\.' -p model="$models" -p threads=1
  merge "$results/gpu-models.json" models
  for case in "${cases[@]}"; do
    jmh "models-${case/:/-}" GpuModelStepBenchmark -p model="${case%%:*}" -p batch="${case#*:}"
    merge "$results/gpu-models.json" models
  done
fi
if [[ " $sections " == *" peer "* ]] && ((SECONDS <= deadline)); then
  echo "== PyTorch eager peer on $device"
  scores=()
  [ -f "$results/gpu-models.json" ] && scores=(--jmh "$results/gpu-models.json")
  for case in "${cases[@]}"; do
    PYTHONUNBUFFERED=1 "$python" "$here/model_peer.py" --device "$device" --threads 1 \
      --seconds "${PEER_SECONDS:-4}" --models "${case%%:*}" --batch 16 "${case#*:}" \
      "${scores[@]}" --out "$work/peer-${case/:/-}.json" | tee -a "$results/gpu-models-vs-pytorch.txt"
  done
  "$python" -c 'import json, sys; json.dump([r for p in sys.argv[2:] for r in json.load(open(p))],
    open(sys.argv[1], "w"), indent=1)' "$results/gpu-models-vs-pytorch.json" "$work"/peer-*.json
fi
if [[ " $sections " == *" augment "* ]]; then
  for policy in ${POLICIES:-S1 S2 S3 S4}; do
    jmh "augment-b32-$policy" DeviceAugmentBenchmark -p policy=$policy -p size=224 -p device=default
    merge "$results/gpu-augment.json" augment
    jmh "augment-b256-$policy" GpuAugmentBenchmark -p policy=$policy -p size=224
    merge "$results/gpu-augment.json" augment
  done
fi
echo "done in $SECONDS s; results in $results"
