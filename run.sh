#!/usr/bin/env bash
# ./run.sh             install what is missing, build, install the kernel, open Jupyter Notebook on notebooks/
# ./run.sh --headless  the same, but execute notebooks/00-tour.ipynb to HTML and print its path
set -euo pipefail
cd "$(dirname "$0")"
source .ci/ensure-tools.sh
headless=false
case "${1:-}" in
    --headless) headless=true ;;
    "") ;;
    *) echo "usage: ./run.sh [--headless]" >&2; exit 2 ;;
esac

circuitscope_ensure_tools
echo "Building with Maven (tests run with ./test.sh)..."
mvn -B -q -ntp -DskipTests install
java -jar kernel-extension/target/circuitscope-kernel.jar install --user

if $headless; then
    out="$(pwd)/target/notebooks"
    mkdir -p "$out"
    jupyter nbconvert --to html --execute --ExecutePreprocessor.timeout=900 \
        --output-dir "$out" notebooks/00-tour.ipynb
    echo "Executed tour: $out/00-tour.html"
else
    args=(--notebook-dir=notebooks)
    [ "$(id -u)" = 0 ] && args+=(--allow-root)
    [ -z "${DISPLAY:-}" ] && args+=(--no-browser)
    exec jupyter notebook "${args[@]}"
fi
