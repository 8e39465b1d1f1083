#!/usr/bin/env bash
# Long-session memory soak (issue: flat native memory): 1000 load -> forward -> close cycles of the organism and
# SqueezeNet in one JVM, then 200 %featurevis cells in one kernel, printing RSS every 100 cycles / 20 cells.
# A benchmark, not a test: read the series. CYCLES and CELLS override the counts.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="${CIRCUITSCOPE_SHARED:-$root/../shared}"
cd "$root"
mvn -q -B -o package -DskipTests -pl circuits,benchmarks -am >/dev/null 2>&1 || mvn -q -B package -DskipTests -pl circuits,benchmarks -am
cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
export THP_MEM_ALLOC_ENABLE="${THP_MEM_ALLOC_ENABLE:-1}" OPT_OUT_TRACKING=true
models=(organism)
[ -f "$shared/models/squeezenet1.0/squeezenet1.0.onnx" ] && models+=("$shared/models/squeezenet1.0/squeezenet1.0.onnx")
java -Dai.djl.offline=true -cp "$cp" org.circuitscope.bench.SoakBenchmark "${CYCLES:-1000}" "${models[@]}"
# the kernel soak: our kernel installed into a scratch prefix
mvn -q -B -o package -DskipTests -pl kernel-extension -am >/dev/null 2>&1 || mvn -q -B package -DskipTests -pl kernel-extension -am
prefix="$root/target/soak-jupyter"
java -jar kernel-extension/target/circuitscope-kernel.jar install --prefix "$prefix" --no-cds >/dev/null
JUPYTER_PATH="$prefix/share/jupyter" /usr/bin/python3 "$here/soak_kernel.py" circuitscope "${CELLS:-200}"
