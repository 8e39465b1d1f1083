#!/usr/bin/env bash
# Runs binder/postBuild as mybinder.org would (repo root as working directory) with a scratch HOME, then checks
# that Jupyter lists the kernelspec it installed. The scratch HOME borrows ~/.m2 so nothing is downloaded again.
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
real_home="$HOME"
scratch="$(mktemp -d -t circuitscope-binder-XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home"
if [ -d "$real_home/.m2" ]; then
    ln -s "$real_home/.m2" "$scratch/home/.m2"
fi
cd "$repo" || exit 1
echo "binder: running binder/postBuild with HOME=$scratch/home"
if ! env -u JUPYTER_DATA_DIR -u JUPYTER_PATH -u XDG_DATA_HOME HOME="$scratch/home" bash binder/postBuild \
        > "$scratch/postBuild.log" 2>&1; then
    tail -40 "$scratch/postBuild.log"
    echo "binder: FAIL postBuild exited non-zero"
    echo "0 passed, 1 failed"
    exit 1
fi
listing=$(env -u JUPYTER_DATA_DIR -u JUPYTER_PATH -u XDG_DATA_HOME HOME="$scratch/home" jupyter kernelspec list 2>/dev/null)
echo "$listing"
if echo "$listing" | grep -E "^\s*circuitscope\s+$scratch/home/" >/dev/null; then
    spec="$scratch/home/.local/share/jupyter/kernels/circuitscope/kernel.json"
    if grep -q '"OPT_OUT_TRACKING": "true"' "$spec" && grep -q -- '-Dai.djl.offline=true' "$spec"; then
        echo "binder: PASS postBuild installed the circuitscope kernelspec in the scratch HOME"
        echo "1 passed, 0 failed"
        exit 0
    fi
    echo "binder: FAIL kernel.json lacks OPT_OUT_TRACKING or ai.djl.offline"
else
    echo "binder: FAIL jupyter kernelspec list does not show circuitscope under the scratch HOME"
fi
echo "0 passed, 1 failed"
exit 1
