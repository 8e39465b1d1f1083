#!/usr/bin/python3
"""Interrupting cells in the circuitscope kernel on every JDK this machine has (17, 21, 25 ...).

usage: /usr/bin/python3 interrupt_test.py [--prefix DIR]

For each JDK (the `java` on PATH and every /usr/lib/jvm/*/bin/java, one per feature version) the kernel is installed
as kernelspec circuitscope-jdkN into the scratch prefix (default target/jupyter, never the user's folders) and, on a
running kernel, each cell below is interrupted (the notebook's stop button: an interrupt_request) after a moment.
A check passes when the cell ends within a few seconds as interrupted, nothing mentions ZeroMQ (an interrupt inside a
socket send used to close it: "ZMQException: Errno 4"), the next cell runs, and where the cell is a magic whose
engine loop returns what it has, that partial result was shown. JDK 21 is named when absent. The last line is
"N passed, N failed".
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import time

from jupyter_client.manager import KernelManager

from kernel_protocol_test import text_of

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
JAR = os.path.join(REPO, "kernel-extension", "target", "circuitscope-kernel.jar")
WANTED = (17, 21, 25)

# (what, cell, seconds before the interrupt, seconds it may take to stop after it, text a shown output must contain)
CELLS = [
    ("busy loop", "long n = 0;\nwhile (true) {\n    n++;\n}", 1.0, 4.0, None),
    ("sleep", "Thread.sleep(600_000);", 1.0, 4.0, None),
    ("loop in library code over the cell's lambdas",
     "java.util.stream.LongStream.iterate(0, i -> i + 1).map(i -> i * 2).filter(i -> i < 0).findFirst()",
     1.0, 4.0, None),
    ("loop that swallows exceptions", "while (true) {\n    try { Thread.sleep(2); } catch (Exception e) { }\n}",
     1.0, 4.0, None),
    # a magic is never stopped by force: its engine loop returns what it has (allowing for a loaded machine)
    ("%featurevis with progress updates", "%featurevis conv3:5 --steps 100000 --size 64", 4.0, 30.0, "INTERRUPTED"),
]


def jdks():
    """{feature version: java executable}, the PATH's java first."""
    found = {}
    candidates = ["java"] + sorted(glob.glob("/usr/lib/jvm/*/bin/java"))
    for java in candidates:
        try:
            out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60).stderr
        except (OSError, subprocess.TimeoutExpired):
            continue
        m = re.search(r'version "(\d+)', out)
        if m and int(m.group(1)) not in found:
            found[int(m.group(1))] = os.path.realpath(subprocess.run(
                ["bash", "-c", "command -v " + java], capture_output=True, text=True).stdout.strip() or java)
    return found


def install(java, name, prefix):
    subprocess.run([java, "-jar", JAR, "install", "--prefix", prefix, "--name", name, "--no-cds",
                    "--display-name", name], check=True, stdout=subprocess.DEVNULL)


class Kernel:
    def __init__(self, name):
        self.km = KernelManager(kernel_name=name)
        self.km.start_kernel()
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)

    def run(self, code, interrupt_after=None, timeout=120):
        """(reply content, outputs as (msg_type, content), seconds from the interrupt to the reply)."""
        msg_id = self.kc.execute(code)
        sent = time.time()
        interrupted_at = None
        outputs = []
        while True:
            if interrupt_after is not None and interrupted_at is None and time.time() - sent >= interrupt_after:
                self.km.interrupt_kernel()
                interrupted_at = time.time()
            try:
                msg = self.kc.get_iopub_msg(timeout=0.1)
            except Exception:
                if time.time() - sent > timeout:
                    raise TimeoutError("no idle status after %d s" % timeout)
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
            if msg["msg_type"] in ("stream", "display_data", "update_display_data", "execute_result", "error"):
                outputs.append((msg["msg_type"], msg["content"]))
        reply = self.kc.get_shell_msg(timeout=timeout)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=timeout)
        took = time.time() - interrupted_at if interrupted_at else 0.0
        return reply["content"], outputs, took

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def check_kernel(name):
    results = []
    kernel = Kernel(name)
    try:
        kernel.run("1 + 1")  # warm up JShell, so the first interrupt lands in the cell, not the start-up
        for what, code, wait, allowed, partial in CELLS:
            problems = []
            try:
                reply, outputs, took = kernel.run(code, interrupt_after=wait)
                text = text_of(outputs)
                if reply.get("status") != "error" or reply.get("ename") != "CellInterruptedException":
                    problems.append("reply %s %s: %s" % (reply.get("status"), reply.get("ename"),
                                                         reply.get("evalue")))
                if took > allowed:
                    problems.append("stopped %.1f s after the interrupt (allowed %.1f s)" % (took, allowed))
                if "ZMQ" in text or "Errno 4" in text:
                    problems.append("a ZeroMQ error was shown: " + text[:300])
                if partial and partial not in text:
                    problems.append("the partial result (%r) was not shown; shown: %s" % (partial, text[:300]))
                after, after_outputs, _ = kernel.run("20 + 22")
                if after.get("status") != "ok" or "42" not in text_of(after_outputs):
                    problems.append("the next cell failed: %s" % text_of(after_outputs)[:300])
                detail = "stopped %.1f s after the interrupt" % took
            except Exception as e:
                problems.append("failed: %r" % e)
                detail = ""
            results.append((what, problems, detail))
    finally:
        kernel.close()
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--prefix", default=os.path.join(REPO, "target", "jupyter"))
    args = parser.parse_args()
    if not os.path.isfile(JAR):
        print("FAIL: no %s; build first (mvn -B package)" % JAR)
        print("0 passed, 1 failed")
        return 1
    prefix = os.path.abspath(args.prefix)
    os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter") + os.pathsep + os.environ.get(
        "JUPYTER_PATH", "")
    found = jdks()
    for v in WANTED:
        if v not in found:
            print("JDK %d: not installed here (Debian bookworm packages only openjdk-17); not tested" % v)
    passed = failed = 0
    for version, java in sorted(found.items()):
        if version < 17:
            continue
        name = "circuitscope-jdk%d" % version
        install(java, name, prefix)
        print("JDK %d (%s):" % (version, java))
        for what, problems, detail in check_kernel(name):
            if problems:
                failed += 1
                print("FAIL JDK %d: interrupt %s" % (version, what))
                for p in problems:
                    print("  " + p)
            else:
                passed += 1
                print("PASS JDK %d: interrupt %s (%s)" % (version, what, detail))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
