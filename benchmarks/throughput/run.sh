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
# what Spark needs opened on Java 17: the root pom's list (spark.opens)
opens="$(sed -n '/<spark.opens>/,/<\/spark.opens>/p' pom.xml | sed 's/<[^>]*>//g')"
# shellcheck disable=SC2086
java $opens -Dai.djl.offline=true -Dlog4j2.configurationFile="$here/log4j2.properties" -cp "$cp" org.circuitscope.bench.ThroughputBenchmark \
  "$onnx" "$images" "${1:-96}" "${2:-3}"
