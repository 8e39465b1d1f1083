#!/usr/bin/env bash
# Where a feature-visualisation step spends its time: libtorch's profile of circuitscope's step and PyTorch's
# profile of the same loop (featurevis_torch.py), as self time per op and step, side by side.
# Environment: SIZE (128), STEPS (30), THREADS (1), LAYER/CHANNEL (fire9/concat, 3), OMP_WAIT_POLICY (PASSIVE;
# "default" leaves libgomp's own), CIRCUITSCOPE_SHARED. Profiles of a busy machine are not comparable.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$here/setup.sh"
size="${SIZE:-128}" steps="${STEPS:-30}" layer="${LAYER:-fire9/concat}" channel="${CHANNEL:-3}"
out="$root/benchmarks/target/profile"
mkdir -p "$out"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $size px, $THREADS thread(s), $steps steps"
java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
  -DOPT_OUT_TRACKING=true -cp "circuits/target/classes:$cp" "$here/ProfileStep.java" \
  "$onnx" "$layer" "$channel" "$size" "$steps" "$out/circuitscope.json" 2>&1 | grep -v WARN
/usr/bin/python3 "$here/profile_torch.py" "$onnx" "$layer" "$channel" "$size" "$steps" "$out/pytorch.json"
/usr/bin/python3 "$here/profile_table.py" "$steps" "$out/circuitscope.json" "$out/pytorch.json" "${ROWS:-30}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); traces in $out (chrome://tracing)"
