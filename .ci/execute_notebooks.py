#!/usr/bin/python3
"""Executes notebooks top to bottom with nbclient against their kernel; fails on any error output.

usage: /usr/bin/python3 .ci/execute_notebooks.py [--kernel NAME] [--html-dir DIR] NOTEBOOK...

A notebook fails when a cell raises, an output is an error or a stderr stream, a value shows only as Java's default
toString ("java.io.PrintStream@1b2c3d", what a cell ending in System.out.printf(...) displays), or a cell names a
path on this machine ("/work/...", "/home/...", "/root/...") instead of finding it. With --html-dir, each executed
notebook is also written there as HTML and as .ipynb (for the browser stage), and timings.json records how long each
took. The last line is "N passed, N failed"; the exit status is 1 on any failure.
"""
import argparse
import json
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient

# a value displayed as Object.toString(): a class name, '@', a hash
DEFAULT_TO_STRING = re.compile(r"\b[a-z][\w$]*(\.[\w$]+)+@[0-9a-f]{4,}\b")
MACHINE_PATH = re.compile(r"""["'](/work/|/home/|/root/|/Users/|[A-Z]:\\)""")


def source_problems(nb):
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and MACHINE_PATH.search(cell.source):
            found.append("cell %d: names a path on this machine: %s" % (i, MACHINE_PATH.search(cell.source).group(0)))
    return found


def problems(nb):
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append("cell %d: %s: %s" % (i, out.get("ename"), out.get("evalue")))
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                found.append("cell %d: stderr: %s" % (i, out.get("text", "")[:300]))
            elif out.get("output_type") == "execute_result":
                text = out.get("data", {}).get("text/plain", "")
                text = "".join(text) if isinstance(text, list) else text
                m = DEFAULT_TO_STRING.search(text)
                if m and text.strip() == m.group(0):
                    found.append("cell %d: shows a default toString, %s (end the cell with a statement, or "
                                 "display a value)" % (i, m.group(0)))
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kernel", default=None, help="kernel name (default: the notebook's own)")
    parser.add_argument("--html-dir", default=None)
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    parser.add_argument("notebooks", nargs="+")
    args = parser.parse_args()
    passed = failed = 0
    timings = {}
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        static = source_problems(nb)
        kernel = args.kernel or nb.metadata.get("kernelspec", {}).get("name")
        started = time.time()
        client = NotebookClient(nb, timeout=args.timeout, kernel_name=kernel, allow_errors=True,
                                resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
        try:
            client.execute()
            found = problems(nb)
        except Exception as e:  # the kernel died, a cell timed out
            found = ["execution failed: %r" % e]
        found = static + found
        seconds = time.time() - started
        name = os.path.splitext(os.path.basename(path))[0]
        timings[name] = round(seconds, 1)
        if args.html_dir:
            from nbconvert import HTMLExporter
            os.makedirs(args.html_dir, exist_ok=True)
            html, _ = HTMLExporter().from_notebook_node(nb)
            out = os.path.join(args.html_dir, os.path.splitext(os.path.basename(path))[0] + ".html")
            with open(out, "w", encoding="utf-8") as f:
                f.write(html)
            nbformat.write(nb, os.path.join(args.html_dir, name + ".ipynb"))
            print("HTML: " + os.path.abspath(out))
        if found:
            failed += 1
            print("FAIL %s (%.1f s)" % (path, seconds))
            for p in found:
                print("  " + p)
        else:
            passed += 1
            print("PASS %s (%.1f s)" % (path, seconds))
    if args.html_dir:
        with open(os.path.join(args.html_dir, "timings.json"), "w", encoding="utf-8") as f:
            json.dump(timings, f, indent=1, sort_keys=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
