#!/usr/bin/env bash
# SAE training throughput in circuitscope against the same loop in Python PyTorch, in one run.
# Needs Debian's python3-torch and OpenBLAS (installed here when missing and we are root; python-peer.sh). Arguments are passed on:
# [channels latents k batch steps threads] (defaults 128 512 16 1024 200 1).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$here/../python-peer.sh"
cd "$root"
# package, not install: the benchmark runs from the reactor's own jars
mvn -q -B -o package -DskipTests -pl circuits,benchmarks -am >/dev/null 2>&1 || mvn -q -B package -DskipTests -pl circuits,benchmarks -am
cp="benchmarks/target/classes:circuits/target/classes:$(cat benchmarks/target/classpath.txt)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -cp "$cp" org.circuitscope.bench.SaeBenchmark \
  /usr/bin/python3 "$here/sae_torch.py" "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
