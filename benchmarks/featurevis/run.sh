#!/usr/bin/env bash
# Feature-visualisation benchmark: per-step time of a Fourier-parameterised visualisation with the standard
# transforms on SqueezeNet at 224x224 and 128x128, in circuitscope and in Python PyTorch measured in the same run
# (ratio circuitscope/PyTorch, target <= 1.0), then the wall time of a 64-unit layer sheet at 128x128, 256 steps.
# Needs Debian's python3-torch, python3-onnx and OpenBLAS (installed when missing and we are root; python-peer.sh).
# Environment: STEPS (timed steps, 30), SHEET_STEPS (256; 0 skips the sheet), SHEET_CHANNELS (64),
# ROUNDS (3), THREADS (1), LAYER/CHANNEL (fire9/concat, 3), SHEET_LAYER (fire4/concat), SHEET_BATCH (64), CIRCUITSCOPE_SHARED.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="${CIRCUITSCOPE_SHARED:-$root/../shared}"
onnx="$shared/models/squeezenet1.0/squeezenet1.0.onnx"
[ -f "$onnx" ] || { echo "SqueezeNet not found at $onnx (set CIRCUITSCOPE_SHARED)"; exit 1; }
. "$here/../python-peer.sh"
cd "$root"
mvn -q -B -o package -DskipTests -pl circuits,benchmarks -am >/dev/null 2>&1 || mvn -q -B package -DskipTests -pl circuits,benchmarks -am
cp="$(cat benchmarks/target/classpath.txt)"
# the same number of intra-op threads on both sides (THREADS, default 1: the machine is shared), and OpenMP
# threads that sleep instead of spinning when they wait (spinning threads collapse on a busy machine)
export THREADS="${THREADS:-1}"
# OMP_WAIT_POLICY=default leaves libgomp's own policy (spin a while, then sleep), which is what the kernel runs with
if [ "${OMP_WAIT_POLICY:-PASSIVE}" = default ]; then unset OMP_WAIT_POLICY; else
  export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"; fi
# as the kernel runs (its kernel.json sets it): libtorch's large arrays on transparent huge pages
export THP_MEM_ALLOC_ENABLE="${THP_MEM_ALLOC_ENABLE:-1}"
java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 -DOPT_OUT_TRACKING=true -cp "$cp" "$here/FeatureVisBenchmark.java" \
  "$onnx" /usr/bin/python3 "$here/featurevis_torch.py" "${STEPS:-30}" "${SHEET_STEPS:-256}" "${SHEET_CHANNELS:-64}"
