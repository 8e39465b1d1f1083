#!/usr/bin/python3
"""Executes notebooks top to bottom with nbclient against their kernel; fails on any error output.

usage: /usr/bin/python3 .ci/execute_notebooks.py [--kernel NAME] [--html-dir DIR] NOTEBOOK...

A notebook fails when a cell raises, or an output is an error or a stderr stream. With --html-dir, each executed
notebook is also written there as HTML. The last line is "N passed, N failed"; the exit status is 1 on any failure.
"""
import argparse
import os
import sys
import time

import nbformat
from nbclient import NotebookClient


def problems(nb):
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append("cell %d: %s: %s" % (i, out.get("ename"), out.get("evalue")))
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                found.append("cell %d: stderr: %s" % (i, out.get("text", "")[:300]))
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kernel", default=None, help="kernel name (default: the notebook's own)")
    parser.add_argument("--html-dir", default=None)
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    parser.add_argument("notebooks", nargs="+")
    args = parser.parse_args()
    passed = failed = 0
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        kernel = args.kernel or nb.metadata.get("kernelspec", {}).get("name")
        started = time.time()
        client = NotebookClient(nb, timeout=args.timeout, kernel_name=kernel, allow_errors=True,
                                resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
        try:
            client.execute()
            found = problems(nb)
        except Exception as e:  # the kernel died, a cell timed out
            found = ["execution failed: %r" % e]
        if args.html_dir:
            from nbconvert import HTMLExporter
            os.makedirs(args.html_dir, exist_ok=True)
            html, _ = HTMLExporter().from_notebook_node(nb)
            out = os.path.join(args.html_dir, os.path.splitext(os.path.basename(path))[0] + ".html")
            with open(out, "w", encoding="utf-8") as f:
                f.write(html)
            print("HTML: " + os.path.abspath(out))
        if found:
            failed += 1
            print("FAIL %s (%.1f s)" % (path, time.time() - started))
            for p in found:
                print("  " + p)
        else:
            passed += 1
            print("PASS %s (%.1f s)" % (path, time.time() - started))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
