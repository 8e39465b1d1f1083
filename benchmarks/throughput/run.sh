#!/usr/bin/env bash
# Dataset activations of SqueezeNet at batch 16, in images/s: the single-JVM path forced onto DJL and on its default
# (the ONNX Runtime executor), Spark local[1] and local[2], and
# ONNX Runtime (Java) on the same file, in one run (ThroughputBenchmark). Prints the load average before and after:
# compare figures only from a quiet machine (load below 0.5).
# usage: benchmarks/throughput/run.sh [images=96] [runs=3]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="${CIRCUITSCOPE_SHARED:-$root/../shared}"
onnx="$shared/models/squeezenet1.0/squeezenet1.0.onnx"
images="$shared/data/imagenet-samples"
[ -f "$onnx" ] || { echo "SqueezeNet not found at $onnx (set CIRCUITSCOPE_SHARED)"; exit 1; }
cd "$root"
# package, not install: the reactor builds circuits and spark for the benchmark without touching ~/.m2
mvn -q -B -o package -DskipTests -pl benchmarks -am >/dev/null 2>&1 || mvn -q -B package -DskipTests -pl benchmarks -am
cp="benchmarks/target/classes:spark/target/classes:circuits/target/classes:$(cat benchmarks/target/classpath.txt)"
export THP_MEM_ALLOC_ENABLE="${THP_MEM_ALLOC_ENABLE:-1}" OPT_OUT_TRACKING=true
opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
 --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
 --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
 --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
 --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
 --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED"
# shellcheck disable=SC2086
java $opens -Dai.djl.offline=true -Dlog4j2.configurationFile="$here/log4j2.properties" -cp "$cp" org.circuitscope.bench.ThroughputBenchmark \
  "$onnx" "$images" "${1:-96}" "${2:-3}"
