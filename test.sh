#!/usr/bin/env bash
# ./test.sh: every test. Maven unit tests of all modules, then the installed kernel driven through jupyter_client
# (protocol test), every notebook in notebooks/ executed in real Jupyter, what those notebooks show in a real browser
# (their HTML exports, the executed notebooks opened "Not Trusted", and the tour run live), and binder's postBuild in
# a scratch HOME.
# Runs all stages, reports each, exits non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")"
source .ci/ensure-tools.sh
circuitscope_ensure_tools browser || exit 1

failed=()
stage() {
    local name="$1"; shift
    echo
    echo "=== $name"
    local start=$SECONDS
    if "$@"; then
        echo "=== $name: ok ($((SECONDS - start)) s)"
    else
        echo "=== $name: FAILED ($((SECONDS - start)) s)"
        failed+=("$name")
    fi
}

stage "maven build and unit tests" mvn -B -ntp install
# The kernel under test goes into a scratch prefix inside target/, never into the user's own Jupyter folders;
# JUPYTER_PATH puts it first for every stage below.
scratch_jupyter="$(pwd)/target/jupyter"
export JUPYTER_PATH="$scratch_jupyter/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
if [ ${#failed[@]} -eq 0 ]; then
    stage "kernelspec install" java -jar kernel-extension/target/circuitscope-kernel.jar install --prefix "$scratch_jupyter"
    stage "kernel protocol test" /usr/bin/python3 kernel-extension/src/test/python/kernel_protocol_test.py circuitscope
    stage "kernel conformance (jupyter_kernel_test)" /usr/bin/python3 kernel-extension/src/test/python/conformance_test.py circuitscope
    stage "stock JJava kernels (extension)" /usr/bin/python3 kernel-extension/src/test/python/stock_jjava_test.py
    stage "kernel interrupts on each JDK" /usr/bin/python3 kernel-extension/src/test/python/interrupt_test.py --prefix "$scratch_jupyter"
    stage "notebooks" /usr/bin/python3 .ci/execute_notebooks.py --html-dir target/notebooks notebooks/*.ipynb
    stage "browser" /usr/bin/python3 .ci/browser_test.py --notebooks target/notebooks --screenshots target/screenshots
    stage "binder postBuild" bash .ci/binder_test.sh
else
    echo "The build failed; the kernel, notebook and binder stages need it and were not run."
fi

echo
if [ ${#failed[@]} -eq 0 ]; then
    echo "All test stages passed."
    exit 0
fi
echo "Failed stages: ${failed[*]}"
exit 1
