#!/usr/bin/env bash
# Sourced by run.sh and test.sh: makes sure a JDK, Maven and Debian's Jupyter (notebook, nbconvert, nbclient,
# jupyter_client for /usr/bin/python3, jsonschema for the conformance suite) are installed, and with the argument
# "browser" (test.sh) also Chromium and Node with npm for the browser stage (playwright-core itself comes from npm,
# pinned in .ci/browser). Installs the missing Debian packages when root or sudo allows, otherwise says exactly what
# to install and fails.

circuitscope_missing_packages() {
    local missing=()
    if [ "${1:-}" = browser ]; then
        [ -x /usr/bin/chromium ] || missing+=(chromium)
        command -v node >/dev/null 2>&1 || missing+=(nodejs)
        command -v npm >/dev/null 2>&1 || missing+=(npm)
    fi
    command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
    command -v mvn >/dev/null 2>&1 || missing+=(maven)
    command -v jupyter >/dev/null 2>&1 && jupyter notebook --version >/dev/null 2>&1 || missing+=(jupyter-notebook)
    command -v jupyter >/dev/null 2>&1 && jupyter nbconvert --version >/dev/null 2>&1 || missing+=(jupyter-nbconvert)
    /usr/bin/python3 -c 'import nbclient' >/dev/null 2>&1 || missing+=(python3-nbclient)
    # Jupyter's kernel conformance suite (jupyter_kernel_test) validates messages with jsonschema
    /usr/bin/python3 -c 'import jsonschema' >/dev/null 2>&1 || missing+=(python3-jsonschema)
    { command -v jupyter-kernelspec >/dev/null 2>&1 && /usr/bin/python3 -c 'import jupyter_client' >/dev/null 2>&1; } \
        || missing+=(jupyter-client)
    echo "${missing[@]}"
}

circuitscope_ensure_tools() {
    local missing
    missing=$(circuitscope_missing_packages "${1:-}")
    if [ -z "$missing" ]; then
        return 0
    fi
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo="sudo"
        else
            echo "Missing tools. Install them with:" >&2
            echo "  sudo apt-get update && sudo apt-get install -y $missing" >&2
            return 1
        fi
    fi
    echo "Installing Debian packages: $missing"
    $sudo apt-get update -q || return 1
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing </dev/null || return 1
    missing=$(circuitscope_missing_packages "${1:-}")
    if [ -n "$missing" ]; then
        echo "Still missing after apt-get install: $missing" >&2
        return 1
    fi
}

# every JVM that may touch DJL: no engine downloads, no usage reporting
export OPT_OUT_TRACKING=true
