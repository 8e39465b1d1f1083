#!/usr/bin/python3
"""Runs CELLS %featurevis cells in one circuitscope kernel and prints the kernel's RSS every 20 cells.

usage: soak_kernel.py KERNEL_NAME CELLS
"""
import sys
import time

from jupyter_client.manager import KernelManager


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def main():
    kernel, cells = sys.argv[1], int(sys.argv[2])
    km = KernelManager(kernel_name=kernel)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=180)
    pid = km.provisioner.process.pid
    print("soak: %d %%featurevis cells in kernel %s (pid %d)" % (cells, kernel, pid))
    first = None
    started = time.time()
    try:
        for i in range(cells + 1):
            if i % 20 == 0:
                now = rss_mb(pid)
                first = now if first is None and i >= 20 else first
                print("cell %4d  RSS %7.1f MB  (%.0f s)" % (i, now, time.time() - started), flush=True)
            if i == cells:
                break
            code = "%%featurevis organism conv4:%d --steps 32 --size 64 --seed %d" % (i % 16, i)
            reply = kc.execute_interactive(code, timeout=300, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                print("cell %d failed: %s" % (i, reply["content"].get("evalue")))
                return 1
        end = rss_mb(pid)
        print("RSS after 20 cells %.1f MB, after %d cells %.1f MB: growth %.1f MB" % (first, cells, end, end - first))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
