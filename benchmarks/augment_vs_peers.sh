#!/usr/bin/env bash
# selftrain's Augment-S1..S4 against torchvision (and OpenCV's kernels) on this machine, one thread,
# back to back: JMH AugmentPolicyBenchmark on a plain JVM, then benchmarks/torchvision_peer.py, which
# prints images/s and the ratio selftrain / peer per policy and size, with and without boxes.
#
#   PYTHON=/path/to/venv/bin/python benchmarks/augment_vs_peers.sh [extra JMH options]
#
# PYTHON needs torch, torchvision and (for the OpenCV rows) opencv-python-headless; the README's
# "Augmentation speed" section says how its figures were made. Run it on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
out=benchmarks/results/$(date +%Y-%m-%d)-policies-1t.json
[ -f benchmarks/target/benchmarks.jar ] || mvn -B -q -pl benchmarks -am package -DskipTests
java -jar benchmarks/target/benchmarks.jar AugmentPolicyBenchmark -t 1 -rf json -rff "$out" "$@"
OMP_NUM_THREADS=1 "$PYTHON" benchmarks/torchvision_peer.py --threads 1 --jmh "$out"
