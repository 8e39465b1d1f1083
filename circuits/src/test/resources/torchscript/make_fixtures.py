"""Writes the TorchScript test fixtures: a tiny CNN scripted two ways (returning a dict of named intermediates,
and returning only its logits), plus PyTorch's own outputs for a fixed input, for TorchScriptTest to compare.
Run with Debian's python3-torch: /usr/bin/python3 make_fixtures.py"""
import math
import struct
from typing import Dict

import torch
import torch.nn as nn
import torch.nn.functional as F


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(6)
        self.conv2 = nn.Conv2d(6, 8, 3, stride=2)
        self.fc = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        out: Dict[str, torch.Tensor] = {}
        c1 = self.bn1(self.conv1(x))
        out["conv1"] = c1
        r1 = F.relu(c1)
        out["relu1"] = r1
        c2 = torch.tanh(self.conv2(r1))
        out["conv2"] = c2
        pooled = c2.mean(dim=[2, 3])
        out["logits"] = self.fc(pooled)
        return out


class LogitsOnly(nn.Module):
    def __init__(self, inner: Tiny):
        super().__init__()
        self.inner = inner

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.inner(x)["logits"]


def fixed_input() -> torch.Tensor:
    n = 1 * 3 * 12 * 12
    return torch.tensor([0.5 + 0.5 * math.sin(i * 0.37) for i in range(n)], dtype=torch.float32).reshape(1, 3, 12, 12)


def main():
    torch.manual_seed(7)
    model = Tiny()
    with torch.no_grad():  # non-trivial running statistics, so eval mode is visible in the outputs
        model.bn1.running_mean.uniform_(-0.5, 0.5)
        model.bn1.running_var.uniform_(0.5, 2.0)
    model.eval()
    torch.jit.script(model).save("tiny_dict.pt")
    torch.jit.script(LogitsOnly(model)).save("tiny_logits.pt")
    with torch.no_grad():
        outs = model(fixed_input())
    with open("tiny_expected.bin", "wb") as f:
        for name in ["conv1", "relu1", "conv2", "logits"]:
            data = outs[name].flatten().tolist()
            f.write(struct.pack("<i", len(data)))
            f.write(struct.pack("<%df" % len(data), *data))


if __name__ == "__main__":
    main()
