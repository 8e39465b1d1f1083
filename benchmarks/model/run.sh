#!/usr/bin/env bash
# Times SqueezeNet forward and forward+backward in circuitscope against Python PyTorch in the same run.
# Needs Debian's python3-torch, python3-onnx and OpenBLAS (installed here when missing and we are root; python-peer.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="${CIRCUITSCOPE_SHARED:-$root/../shared}"
onnx="$shared/models/squeezenet1.0/squeezenet1.0.onnx"
[ -f "$onnx" ] || { echo "SqueezeNet not found at $onnx (set CIRCUITSCOPE_SHARED)"; exit 1; }
. "$here/../python-peer.sh"
cd "$root"
mvn -q -B -o package -DskipTests -pl circuits,benchmarks -am >/dev/null 2>&1 || mvn -q -B package -DskipTests -pl circuits,benchmarks -am
cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
# as the kernel runs (its kernel.json sets it): libtorch's large arrays on transparent huge pages. The PyTorch child
# inherits it; Debian's torch 1.13 predates the setting.
export THP_MEM_ALLOC_ENABLE="${THP_MEM_ALLOC_ENABLE:-1}"
java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -cp "$cp" org.circuitscope.bench.ModelBenchmark \
  "$onnx" /usr/bin/python3 "$here/squeezenet_torch.py" "${RUNS:-10}"
