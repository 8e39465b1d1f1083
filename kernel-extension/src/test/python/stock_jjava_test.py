#!/usr/bin/python3
"""The circuitscope extension on stock JJava kernels (1.0-a6 and 1.0-a7), as a user of another Java kernel adds it.

usage: /usr/bin/python3 stock_jjava_test.py [--shared DIR] [--work DIR] [--maven-repo URL]

Installs each stock kernelspec from DIR/kernels (default $CIRCUITSCOPE_SHARED or ../shared) into a scratch prefix
under --work (default target/stock-jjava; never the user's Jupyter folders), then on each kernel:
  - executes kernel-extension/src/test/notebooks/stock-jjava.ipynb, which adds the extension with
    %maven org.circuitscope:circuitscope-kernel:VERSION (resolved from ~/.m2, where `mvn install` put it, or from
    --maven-repo, added first with %mavenRepo) and runs magics, renderers and progress bars; every code cell must show
    the outputs its metadata `circuitscope.expect` lists, and no cell may show an error or write to stderr;
  - adds the built jar by path instead (%classpath kernel-extension/target/circuitscope-kernel.jar, whose manifest
    Class-Path brings the engine) and runs %model layers.
Without the kernels (a user's clone has no ../shared) it says SKIPPED and passes, except under CI=true, which must
run it. The last line is "N passed, N failed".
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile

import nbformat
from nbclient import NotebookClient

import shared_fixtures

REPO = shared_fixtures.REPO
NOTEBOOK = os.path.join(REPO, "kernel-extension", "src", "test", "notebooks", "stock-jjava.ipynb")
JAR = os.path.join(REPO, "kernel-extension", "target", "circuitscope-kernel.jar")
VERSIONS = ("1.0-a6", "1.0-a7")
CELL_TIMEOUT = 600


def project_version():
    with open(os.path.join(REPO, "pom.xml"), encoding="utf-8") as f:
        return re.search(r"<artifactId>circuitscope-parent</artifactId>\s*<version>([^<]+)</version>", f.read()).group(1)


def install_kernels(shared, work):
    """Unzips and installs each stock kernelspec into work/jupyter; returns {version: kernel name}."""
    prefix = os.path.join(work, "jupyter")
    names = {}
    for version in VERSIONS:
        spec = os.path.join(work, "kernelspec-" + version)
        shutil.rmtree(spec, ignore_errors=True)
        with zipfile.ZipFile(os.path.join(shared, "kernels", "jjava-%s-kernelspec.zip" % version)) as z:
            z.extractall(spec)
        name = "circuitscope-test-jjava-" + version.replace(".", "-")
        subprocess.run(["jupyter", "kernelspec", "install", spec, "--prefix", prefix, "--name", name],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        names[version] = name
    return os.path.join(prefix, "share", "jupyter")


def outputs_text(output):
    """(MIME type, text) for each representation of one notebook output."""
    if output.get("output_type") == "stream":
        return [("stream/" + output.get("name", ""), output.get("text", ""))]
    data = output.get("data", {})
    return [(mime, v if isinstance(v, str) else "".join(v) if isinstance(v, list) else str(v))
            for mime, v in data.items()]


def problems(nb):
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        outs = cell.get("outputs", [])
        for out in outs:
            if out.get("output_type") == "error":
                found.append("cell %d (%s): %s: %s" % (i, first_line(cell), out.get("ename"), out.get("evalue")))
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                found.append("cell %d (%s): stderr: %s" % (i, first_line(cell), out.get("text", "")[:300]))
        shown = [t for out in outs for t in outputs_text(out)]
        for mime, text in cell.metadata.get("circuitscope", {}).get("expect", []):
            if not any(m == mime and text in t for m, t in shown):
                found.append("cell %d (%s): no %s output containing %r; it showed %s" % (
                    i, first_line(cell), mime, text, sorted({m for m, _ in shown}) or "nothing"))
    return found


def first_line(cell):
    return cell.source.split("\n")[0][:60]


def execute(nb, kernel):
    started = time.time()
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name=kernel, allow_errors=True,
                            resources={"metadata": {"path": REPO}})
    try:
        client.execute()
        found = problems(nb)
    except Exception as e:  # the kernel died, a cell timed out
        found = ["execution failed: %r" % e]
    return found, time.time() - started


def report(label, found, seconds):
    print(("FAIL " if found else "PASS ") + "%s (%.1f s)" % (label, seconds))
    for p in found:
        print("  " + p)
    return not found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", default=shared_fixtures.root())
    parser.add_argument("--work", default=os.path.join(REPO, "target", "stock-jjava"))
    parser.add_argument("--maven-repo", default=None, help="extra repository URL for %%maven (e.g. file:///...)")
    args = parser.parse_args()

    shared = os.path.abspath(args.shared)
    if not all(os.path.isfile(os.path.join(shared, "kernels", "jjava-%s-kernelspec.zip" % v)) for v in VERSIONS):
        return shared_fixtures.absent("the stock JJava kernelspecs are not in %s/kernels" % shared)
    if not os.path.isfile(JAR):
        print("FAIL: no %s; build first (mvn -B package)" % JAR)
        print("0 passed, 1 failed")
        return 1

    version = project_version()
    os.makedirs(args.work, exist_ok=True)
    names = {}
    data = install_kernels(shared, args.work)
    os.environ["JUPYTER_PATH"] = data + os.pathsep + os.environ.get("JUPYTER_PATH", "")
    for v in VERSIONS:
        names[v] = "circuitscope-test-jjava-" + v.replace(".", "-")

    template = nbformat.read(NOTEBOOK, as_version=4)
    coordinate = "org.circuitscope:circuitscope-kernel:" + version
    if template.cells[1].source != "%maven " + coordinate:
        print("FAIL: the notebook's first code cell is %r, not %r (the project version changed?)"
              % (template.cells[1].source, "%maven " + coordinate))
        print("0 passed, 1 failed")
        return 1

    passed = failed = 0
    for v in VERSIONS:
        nb = nbformat.read(NOTEBOOK, as_version=4)
        if args.maven_repo:
            nb.cells.insert(1, nbformat.v4.new_code_cell("%mavenRepo circuitscope-build " + args.maven_repo))
        found, seconds = execute(nb, names[v])
        ok = report("JJava %s: notebook with %%maven %s" % (v, coordinate), found, seconds)
        passed, failed = passed + ok, failed + (not ok)

        by_path = nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_code_cell("%classpath " + JAR),
            nbformat.v4.new_code_cell("%model layers", metadata={"circuitscope": {"expect": [
                ["text/html", "organism layers"]]}}),
        ])
        found, seconds = execute(by_path, names[v])
        ok = report("JJava %s: %%classpath circuitscope-kernel.jar, %%model layers" % v, found, seconds)
        passed, failed = passed + ok, failed + (not ok)

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
