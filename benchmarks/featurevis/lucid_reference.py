"""Lucid-style reference for the look of feature visualisations: Lucid's defaults written in PyTorch from
featurevis_torch.py's parts (Fourier parameterisation with 1/f scaling, ImageNet colour decorrelation, sigmoid,
pad 12 / jitter 8 / scale 0.9-1.1 / rotate +-10 / jitter 4, Adam 0.05), run on SqueezeNet channels, each image on
its own. Prints one line per unit with the same measures as ImageStats: the share of colour values at 0 or 255
("clipped"), within 5 levels of them ("saturated"), and the spectral energy above half the Nyquist frequency ("hf").

usage: lucid_reference.py model.onnx steps size layer:channel [layer:channel ...]
"""
import random
import sys
import time

import numpy as np
import torch

import featurevis_torch as ft


def high_frequency_share(img):
    """The share of spectral energy (mean removed, each channel) above 0.25 cycles per pixel."""
    h, w = img.shape[:2]
    f = np.sqrt(np.fft.fftfreq(w)[None, :] ** 2 + np.fft.fftfreq(h)[:, None] ** 2)
    total = high = 0.0
    for c in range(3):
        x = img[..., c] / 255.0
        e = np.abs(np.fft.fft2(x - x.mean())) ** 2
        total += e.sum()
        high += e[f > 0.25].sum()
    return high / total


def render(path, layer, channel, steps, size):
    net = ft.Squeeze(path, layer)
    torch.manual_seed(0)
    rng = random.Random(0)
    spectrum = (torch.randn(1, 3, size, size // 2 + 1, 2) * 0.01).requires_grad_(True)
    scale = ft.spectrum_scale(size, size)
    opt = torch.optim.Adam([spectrum], lr=0.05)
    value = 0.0
    for _ in range(steps):
        opt.zero_grad()
        loss = -net(ft.transform(ft.fourier_image(spectrum, scale, size, size), rng))[:, channel].mean()
        loss.backward()
        opt.step()
        value = -loss.item()
    with torch.no_grad():
        img = ft.fourier_image(spectrum, scale, size, size)[0].permute(1, 2, 0).numpy()
    return np.round(np.clip(img, 0, 1) * 255).astype(np.uint8), value


def main():
    torch.set_num_threads(int(__import__("os").environ.get("THREADS", "1")))
    path, steps, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    for unit in sys.argv[4:]:
        layer, channel = unit.rsplit(":", 1)
        start = time.time()
        img, value = render(path, layer, int(channel), steps, size)
        print("%s\tclipped %.3f\tsaturated %.3f\thf %.4f\tobjective %.1f\t%.0f s" % (
            unit, np.mean((img == 0) | (img == 255)), np.mean((img <= 5) | (img >= 250)),
            high_frequency_share(img.astype(float)), value, time.time() - start), flush=True)


if __name__ == "__main__":
    main()
