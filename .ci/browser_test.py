#!/usr/bin/python3
"""The browser stage: what a reader sees, in a real browser (Debian's Chromium driven by playwright-core).

usage: /usr/bin/python3 .ci/browser_test.py [--notebooks target/notebooks] [--screenshots target/screenshots]
                                            [--live notebooks/00-tour.ipynb] [--timeout 1200]

Needs the notebooks stage's output: each executed notebook as .html and .ipynb in --notebooks. Starts Jupyter
Notebook on a free local port with a token (scratch config, data and runtime folders, so no notebook is trusted by
an earlier signature), then .ci/browser/check_notebooks.js looks at three views:
  html       each HTML export, opened from file://
  untrusted  each executed notebook opened in the server, where it shows "Not Trusted"
  live       the tour opened in the server and run with Cell > Run All
and fails when an output is missing, a figure's area is blank, an error or stderr shows, or an output runs off the
page. Screenshots (one full page per view, named KIND-NOTEBOOK.png) and report.json (pixel statistics of every
figure) go to --screenshots. The last line is "N passed, N failed"; the exit status is 1 on any failure.
"""
import argparse
import glob
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import nbformat

HERE = os.path.dirname(os.path.abspath(__file__))
BROWSER = os.path.join(HERE, "browser")
CHROMIUM = "/usr/bin/chromium"


def figures_in(output, html_first):
    """How many <img>/<svg> a front end shows for one output, after picking its MIME type as the front end does."""
    data = output.get("data", {})
    order = ["text/html", "image/svg+xml", "image/png", "image/jpeg"] if html_first else []
    for mime in order:
        if mime in data:
            if mime == "text/html":
                html = data[mime] if isinstance(data[mime], str) else "".join(data[mime])
                return len(re.findall(r"<img\b", html)) + len(re.findall(r"<svg\b", html))
            return 1
    return 0


def expectations(nb):
    """Per code cell: its index, how many outputs it has and how many figures they show."""
    out = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        outputs = []
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                # a notebook front end shows consecutive pieces of one stream as one output
                if not o.get("text") or (outputs and outputs[-1].get("output_type") == "stream"
                                         and outputs[-1].get("name") == o.get("name")):
                    continue
            outputs.append(o)
        figures = sum(figures_in(o, True) for o in outputs if o.get("output_type") in ("display_data",
                                                                                        "execute_result"))
        out.append({"index": i, "outputs": len(outputs), "figures": figures})
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_playwright():
    node = shutil.which("node")
    if node is None:
        sys.exit("browser: node is not installed (apt-get install nodejs npm)")
    major = int(subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip().lstrip("v")
                .split(".")[0])
    if major < 20:
        sys.exit("browser: playwright-core needs Node 20 or newer, this is Node %d" % major)
    if not os.path.exists(CHROMIUM):
        sys.exit("browser: %s is not installed (apt-get install chromium)" % CHROMIUM)
    if not os.path.isdir(os.path.join(BROWSER, "node_modules", "playwright-core")):
        print("browser: installing playwright-core (pinned in .ci/browser/package-lock.json)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--prefix", BROWSER], check=True)
    return node


def wait_for(url, seconds, process):
    deadline = time.time() + seconds
    while time.time() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return True
        except OSError:
            time.sleep(0.5)
    return False


def shut_down_kernels(base, token):
    try:
        with urllib.request.urlopen("%s/api/kernels?token=%s" % (base, token), timeout=10) as r:
            kernels = json.load(r)
        for k in kernels:
            req = urllib.request.Request("%s/api/kernels/%s?token=%s" % (base, k["id"], token), method="DELETE")
            urllib.request.urlopen(req, timeout=30).close()
    except OSError as e:
        print("browser: could not shut the kernels down through the server: %s" % e)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--notebooks", default="target/notebooks")
    parser.add_argument("--screenshots", default="target/screenshots")
    parser.add_argument("--live", default="notebooks/00-tour.ipynb")
    parser.add_argument("--timeout", type=int, default=1200, help="seconds for the live Run All")
    args = parser.parse_args()
    node = ensure_playwright()
    executed = sorted(glob.glob(os.path.join(args.notebooks, "*.ipynb")))
    if not executed:
        print("browser: no executed notebooks in %s (the notebooks stage writes them)" % args.notebooks)
        print("0 passed, 1 failed")
        return 1
    screenshots = os.path.abspath(args.screenshots)
    if os.path.isdir(screenshots):
        shutil.rmtree(screenshots)
    root = tempfile.mkdtemp(prefix="circuitscope-browser-")
    os.makedirs(os.path.join(root, "executed"))
    os.makedirs(os.path.join(root, "live"))
    views = []
    missing = []
    for path in executed:
        name = os.path.splitext(os.path.basename(path))[0]
        expected = expectations(nbformat.read(path, as_version=4))
        html = os.path.abspath(os.path.join(args.notebooks, name + ".html"))
        if os.path.exists(html):
            views.append({"kind": "html", "name": name, "path": html, "expected": expected})
        else:
            missing.append(html)
        shutil.copy(path, os.path.join(root, "executed", name + ".ipynb"))
        views.append({"kind": "untrusted", "name": name, "path": "executed/%s.ipynb" % name, "expected": expected})
    live_name = os.path.splitext(os.path.basename(args.live))[0]
    reference = os.path.join(args.notebooks, live_name + ".ipynb")
    shutil.copy(args.live, os.path.join(root, "live", live_name + ".ipynb"))
    views.append({"kind": "live", "name": live_name, "path": "live/%s.ipynb" % live_name,
                  "expected": expectations(nbformat.read(reference, as_version=4)) if os.path.exists(reference)
                  else [], "timeoutSeconds": args.timeout})

    port = free_port()
    token = secrets.token_hex(16)
    base = "http://127.0.0.1:%d" % port
    env = dict(os.environ)
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
        env[var] = os.path.join(root, "jupyter", var.lower())
    command = ["jupyter", "notebook", "--no-browser", "--ip=127.0.0.1", "--port=%d" % port, "--port-retries=0",
               "--NotebookApp.token=" + token, "--notebook-dir=" + root]
    if os.getuid() == 0:
        command.append("--allow-root")  # CI containers run as root
    server = subprocess.Popen(command,
                              env=env, stdout=open(os.path.join(root, "server.log"), "w"), stderr=subprocess.STDOUT)
    status = 1
    try:
        if not wait_for("%s/api/status?token=%s" % (base, token), 60, server):
            print("browser: Jupyter Notebook did not answer on %s; its log:" % base)
            print(open(os.path.join(root, "server.log")).read()[-3000:])
            print("0 passed, 1 failed")
            return 1
        config = {"chromium": CHROMIUM, "screenshots": screenshots, "server": {"url": base, "token": token},
                  "views": views}
        config_path = os.path.join(root, "config.json")
        with open(config_path, "w") as f:
            json.dump(config, f)
        status = subprocess.run([node, os.path.join(BROWSER, "check_notebooks.js"), config_path],
                                cwd=BROWSER).returncode
        for m in missing:
            print("FAIL html: %s is missing" % m)
            status = 1
    finally:
        if server.poll() is None:
            shut_down_kernels(base, token)
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(root, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
