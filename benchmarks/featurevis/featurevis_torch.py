"""PyTorch reference for FeatureVisBenchmark: the same feature-visualisation step as circuitscope's FeatureVis,
written the way one would in Python: Lucid's Fourier parameterisation (torch.fft.irfftn), colour decorrelation,
sigmoid, the standard transforms (constant pad, jitter, then scale and rotation in one affine_grid/grid_sample),
SqueezeNet from the ONNX file as torch functional ops up to the objective's layer, a channel-mean objective and
torch.optim.Adam(lr=0.05).

usage: featurevis_torch.py model.onnx layer channel [steps warmup size [size ...]]
Prints one line per size: "fft<size><TAB>milliseconds per step (mean over steps)<TAB>objective". Without sizes it
serves requests "size steps warmup", one a line on standard input, answering each with such a line.
"""
import math
import random
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper

COLOR_SQRT = np.array([[0.26, 0.09, 0.02], [0.27, 0.00, -0.05], [0.27, -0.09, 0.03]], dtype=np.float32)
COLOR_MIX = torch.from_numpy(COLOR_SQRT / np.max(np.linalg.norm(COLOR_SQRT, axis=0)))


def attribute(node, name, default):
    for a in node.attribute:
        if a.name == name:
            if a.type == onnx.AttributeProto.INTS:
                return list(a.ints)
            if a.type == onnx.AttributeProto.INT:
                return a.i
            return a.f
    return default


class Squeeze:
    """The ONNX graph's nodes up to one value, run with torch.nn.functional (SqueezeNet's ops only)."""

    def __init__(self, path, until):
        model = onnx.load(path)
        self.weights = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in model.graph.initializer}
        self.input = [i.name for i in model.graph.input if i.name not in self.weights][0]
        meta = {p.key: p.value for p in model.metadata_props}
        self.mean = torch.tensor([float(v) for v in meta.get("input.mean", "0,0,0").split(",")]).reshape(1, 3, 1, 1)
        self.bgr = meta.get("input.channel_order", "RGB").upper() == "BGR"
        self.scale = 255.0 if meta.get("input.range", "0..1").endswith("255") else 1.0
        self.nodes = []
        for n in model.graph.node:
            self.nodes.append(n)
            if until in n.output:
                break
        self.until = until

    def __call__(self, rgb01):
        x = rgb01 * self.scale
        if self.bgr:
            x = x.flip(1)
        env = {self.input: x - self.mean}
        for n in self.nodes:
            args = [env[i] if i in env else self.weights[i] for i in n.input if i]
            op = n.op_type
            if op == "Conv":
                pads = attribute(n, "pads", [0, 0, 0, 0])
                y = F.conv2d(args[0], args[1], args[2] if len(args) > 2 else None,
                             stride=attribute(n, "strides", [1, 1]), padding=(pads[0], pads[1]))
            elif op == "Relu":
                y = F.relu(args[0])
            elif op == "MaxPool":
                pads = attribute(n, "pads", [0, 0, 0, 0])
                y = F.max_pool2d(args[0], attribute(n, "kernel_shape", None), attribute(n, "strides", [1, 1]),
                                 (pads[0], pads[1]), ceil_mode=bool(attribute(n, "ceil_mode", 0)))
            elif op == "Concat":
                y = torch.cat(args, dim=attribute(n, "axis", 1))
            else:
                raise SystemExit("reference runner has no op " + op)
            env[n.output[0]] = y
        return env[self.until]


def fourier_image(spectrum, scale, h, w):
    x = torch.fft.irfftn(torch.view_as_complex(spectrum * scale), s=(h, w), dim=(-2, -1)) / 4.0
    n = x.shape[0]
    x = (COLOR_MIX @ x.reshape(n, 3, -1)).reshape(n, 3, h, w)
    return torch.sigmoid(x)


def spectrum_scale(h, w):
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.rfftfreq(w)[None, :]
    freqs = np.sqrt(fx * fx + fy * fy)
    s = 1.0 / np.maximum(freqs, 1.0 / max(h, w)) * np.sqrt(h * w)
    return torch.from_numpy(s.astype(np.float32))[..., None]


def scale_rotate(x, s, degrees):
    """Resize by s and rotate by degrees about the centre in one bilinear grid_sample (border padding, half-pixel
    centres), as circuitscope's Transforms.scaleRotate does."""
    n, c, h, w = x.shape
    a = math.radians(degrees)
    theta = torch.tensor([[math.cos(a), -math.sin(a), 0.0], [math.sin(a), math.cos(a), 0.0]],
                         dtype=x.dtype).unsqueeze(0).expand(n, 2, 3)
    grid = F.affine_grid(theta, [n, c, round(h * s), round(w * s)], align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


def jitter(x, d, rng):
    h, w = x.shape[-2:]
    dy, dx = rng.randint(0, d), rng.randint(0, d)
    return x[:, :, dy:dy + h - d, dx:dx + w - d]


SCALES = [1 + (i - 5) / 50.0 for i in range(11)]
ANGLES = list(range(-10, 11)) + 5 * [0]


def transform(x, rng):
    x = F.pad(x, (12, 12, 12, 12), value=0.5)
    x = jitter(x, 8, rng)
    s = rng.choice(SCALES)
    a = rng.choice(ANGLES)
    h, w = x.shape[-2:]
    if a != 0 or round(h * s) != h or round(w * s) != w:
        x = scale_rotate(x, s, a)
    return jitter(x, 4, rng)


def run(net, channel, size, steps, warmup):
    torch.manual_seed(0)
    rng = random.Random(0)
    spectrum = (torch.randn(1, 3, size, size // 2 + 1, 2) * 0.01).requires_grad_(True)
    scale = spectrum_scale(size, size)
    opt = torch.optim.Adam([spectrum], lr=0.05)

    def step():
        opt.zero_grad()
        img = fourier_image(spectrum, scale, size, size)
        acts = net(transform(img, rng))
        loss = -acts[:, channel].mean()
        loss.backward()
        opt.step()
        return -loss.item()

    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        value = step()
    ms = (time.perf_counter() - start) * 1000 / steps
    return ms, value


def main():
    threads = int(__import__("os").environ.get("THREADS", "0"))
    if threads > 0:
        torch.set_num_threads(threads)
    print("python: torch %s, %d intra-op threads" % (torch.__version__, torch.get_num_threads()), flush=True)
    path, layer, channel = sys.argv[1], sys.argv[2], int(sys.argv[3])
    net = Squeeze(path, layer)
    if len(sys.argv) > 4:
        steps, warmup = int(sys.argv[4]), int(sys.argv[5])
        for size in [int(s) for s in sys.argv[6:]]:
            ms, value = run(net, channel, size, steps, warmup)
            print("fft%d\t%.3f\t%.2f" % (size, ms, value), flush=True)
        return
    # serve: one "size steps warmup" request a line, so the caller can interleave its own measurements
    print("ready", flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        size, steps, warmup = (int(v) for v in line.split())
        ms, value = run(net, channel, size, steps, warmup)
        print("fft%d\t%.3f\t%.2f" % (size, ms, value), flush=True)


if __name__ == "__main__":
    main()
