# Sourced by the benchmarks that set circuitscope against a Python PyTorch peer on SqueezeNet (they set $here and
# $root): SqueezeNet from the shared fixtures ($onnx), the peer (python-peer.sh), the reactor built, and the
# benchmark module's dependency classpath ($cp), from the project's root.
shared="${CIRCUITSCOPE_SHARED:-$root/../shared}"
onnx="$shared/models/squeezenet1.0/squeezenet1.0.onnx"
[ -f "$onnx" ] || { echo "SqueezeNet not found at $onnx (set CIRCUITSCOPE_SHARED)"; exit 1; }
. "$root/benchmarks/python-peer.sh"
cd "$root"
mvn -q -B -o package -DskipTests -pl circuits,benchmarks -am >/dev/null 2>&1 || mvn -q -B package -DskipTests -pl circuits,benchmarks -am
cp="$(cat benchmarks/target/classpath.txt)"
