#!/usr/bin/env bash
# Feature-visualisation benchmark: per-step time of a Fourier-parameterised visualisation with the standard
# transforms on SqueezeNet at 224x224 and 128x128, in circuitscope and in Python PyTorch measured in the same run
# (ratio circuitscope/PyTorch at the peer's faster OpenMP wait policy, target <= 1.0), then the wall time of a
# 64-unit layer sheet at 128x128, 256 steps.
# Needs Debian's python3-torch, python3-onnx and OpenBLAS (installed when missing and we are root; python-peer.sh).
# Environment: STEPS (timed steps, 30), SHEET_STEPS (256; 0 skips the sheet), SHEET_CHANNELS (64),
# ROUNDS (3), THREADS (1), LAYER/CHANNEL (fire9/concat, 3), SHEET_LAYER (fire4/concat), SHEET_BATCH (64), CIRCUITSCOPE_SHARED.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# circuitscope runs as the kernel does (its kernel.json sets no OpenMP wait policy: libgomp's own, spin a while
# then sleep) unless OMP_WAIT_POLICY is given; the peer runs under PASSIVE and under libgomp's own, each round, and
# is compared at whichever is faster for it (FeatureVisBenchmark)
ours_policy="${OMP_WAIT_POLICY-}"
. "$here/setup.sh"
[ -n "$ours_policy" ] && [ "$ours_policy" != default ] || unset OMP_WAIT_POLICY
java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 -DOPT_OUT_TRACKING=true -cp "$cp" "$here/FeatureVisBenchmark.java" \
  "$onnx" /usr/bin/python3 "$here/featurevis_torch.py" "${STEPS:-30}" "${SHEET_STEPS:-256}" "${SHEET_CHANNELS:-64}"
