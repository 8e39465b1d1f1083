#!/usr/bin/env bash
# Times SqueezeNet forward and forward+backward in circuitscope against Python PyTorch in the same run.
# Needs Debian's python3-torch, python3-onnx and OpenBLAS (installed here when missing and we are root; python-peer.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$here/../squeezenet-peer.sh"
cp="benchmarks/target/classes:$cp"
# as the kernel runs (its kernel.json sets it): libtorch's large arrays on transparent huge pages. The PyTorch child
# inherits it; Debian's torch 1.13 predates the setting.
export THP_MEM_ALLOC_ENABLE="${THP_MEM_ALLOC_ENABLE:-1}"
java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -cp "$cp" org.circuitscope.bench.ModelBenchmark \
  "$onnx" /usr/bin/python3 "$here/squeezenet_torch.py" "${RUNS:-10}"
