#!/usr/bin/env bash
# selftrain's models against PyTorch's own eager mode on this machine, one thread, batch 16, back to
# back: JMH ModelBenchmark (DJL's PyTorch engine), then benchmarks/model_peer.py, which prints
# images/s and the ratio selftrain / PyTorch for the forward pass and the training step of the
# classification student (cnn28-w48) and EfficientNet-B0. ROUNDS=n repeats the pair n times (this
# machine's timings drift by 10-20% from minute to minute; compare within a round).
#
#   PYTHON=/path/to/venv/bin/python ROUNDS=2 benchmarks/model_vs_pytorch.sh [extra JMH options]
#
# PYTHON needs torch (and torchvision for efficientnet_b0). Run it on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -f benchmarks/target/benchmarks.jar ] || mvn -B -q -pl benchmarks -am package -DskipTests
for round in $(seq "${ROUNDS:-1}"); do
  out=benchmarks/results/$(date +%Y-%m-%dT%H%M)-models-1t-round$round.json
  java -jar benchmarks/target/benchmarks.jar ModelBenchmark -p threads=1 \
    -p model=cnn28-w48,efficientnet-b0 -rf json -rff "$out" "$@"
  OMP_NUM_THREADS=1 "$PYTHON" benchmarks/model_peer.py --threads 1 --jmh "$out"
done
