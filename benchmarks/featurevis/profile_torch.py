"""Records PyTorch's profile (a Chrome trace) of featurevis_torch.py's step, the peer of ProfileStep.java.

usage: profile_torch.py model.onnx layer channel size steps trace.json"""
import importlib.util
import os
import sys

import torch
from torch.profiler import profile

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("featurevis_torch", os.path.join(here, "featurevis_torch.py"))
fv = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fv)


def main():
    path, layer, channel, size, steps, out = sys.argv[1:7]
    threads = int(os.environ.get("THREADS", "1"))
    torch.set_num_threads(threads)
    net = fv.Squeeze(path, layer)
    ms, _ = fv.run(net, int(channel), int(size), int(steps), 10)
    with profile() as p:
        profiled, _ = fv.run(net, int(channel), int(size), int(steps), 0)
    p.export_chrome_trace(out)
    print("PyTorch %s: %.2f ms a step (%.2f while profiled)" % (torch.__version__, ms, profiled), flush=True)


if __name__ == "__main__":
    main()
