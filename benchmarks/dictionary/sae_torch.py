"""PyTorch reference for SaeBenchmark: the same TopK sparse autoencoder training loop as circuitscope's
SparseAutoencoder (tied start, decoder bias at the data mean, k largest of ReLU codes, summed squared error per
vector, Adam, decoder rows renormalised after every step), on the same kind of synthetic data, timed after a warm-up.
Prints one line: vectors/s <number>.

Usage: sae_torch.py <channels> <latents> <k> <batch> <steps> <threads>"""
import sys
import time

import torch


def main():
    c, m, k, batch, steps, threads = (int(a) for a in sys.argv[1:7])
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(1)
    atoms = torch.nn.functional.normalize(torch.randn(2 * c, c, generator=g), dim=1)
    n = 20000
    codes = (torch.rand(n, 2 * c, generator=g) < (4.0 / (2 * c))).float() * (0.5 + torch.rand(n, 2 * c, generator=g))
    data = codes @ atoms
    wd = torch.nn.functional.normalize(torch.randn(m, c, generator=g), dim=1)
    we = wd.clone().requires_grad_(True)
    wd.requires_grad_(True)
    be = torch.zeros(m, requires_grad=True)
    bd = data.mean(0).clone().requires_grad_(True)
    opt = torch.optim.Adam([we, be, wd, bd], lr=2e-3)

    def step():
        xb = data[torch.randint(0, n, (batch,), generator=g)]
        z = torch.relu((xb - bd) @ we.t() + be)
        kth = z.topk(k, dim=1).values.min(dim=1, keepdim=True).values
        a = z * (z >= kth).float()
        loss = ((a @ wd + bd - xb) ** 2).sum(1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            wd.div_(wd.norm(dim=1, keepdim=True).clamp_min(1e-12))
        return loss

    for _ in range(20):
        step()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = time.perf_counter() - t0
    print("vectors/s %.1f" % (steps * batch / seconds), flush=True)


if __name__ == "__main__":
    main()
