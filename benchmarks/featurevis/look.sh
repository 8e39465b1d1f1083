#!/usr/bin/env bash
# The look of feature visualisations against a Lucid-style reference: SqueezeNet units rendered by circuitscope
# (Fourier, Lucid's defaults, and MACO) and by lucid_reference.py (Lucid's defaults in PyTorch), each image measured
# for clipped colours (0 or 255), saturated ones (within 5 levels) and energy above half the Nyquist frequency.
# Environment: STEPS (512), SIZE (128), UNITS (eight fire2..fire9 channels), PARAMS (fft,maco), THREADS (1),
# CIRCUITSCOPE_SHARED. Needs Debian's python3-torch, python3-onnx and OpenBLAS (python-peer.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$here/../squeezenet-peer.sh"
units=${UNITS:-"fire2/concat:5 fire3/concat:40 fire4/concat:12 fire5/concat:100 fire6/concat:200 fire7/concat:33 fire8/concat:300 fire9/concat:411"}
export THREADS="${THREADS:-1}" OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
echo "== circuitscope"
# shellcheck disable=SC2086
java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 -DOPT_OUT_TRACKING=true \
  -cp "$cp" "$here/LookBenchmark.java" "$onnx" "${STEPS:-512}" "${SIZE:-128}" "${PARAMS:-fft,maco}" $units
echo "== Lucid-style reference (PyTorch)"
# shellcheck disable=SC2086
(cd "$here" && /usr/bin/python3 lucid_reference.py "$onnx" "${STEPS:-512}" "${SIZE:-128}" $units)
