#!/usr/bin/env python3
"""Trains a flow-matching velocity field in PyTorch and writes what `pfm import` reads.

The network has the layout of torchcfm's `MLP(dim, time_varying=True, w)` (torchcfm/models/
models.py): `net` = Linear(dim + 1, w), SELU, Linear(w, w), SELU, Linear(w, w), SELU, Linear(w, dim),
fed [x, t] with the time appended last, t = 0 at the noise and t = 1 at the data. The loss is
conditional flow matching with the independent coupling and sigma = 0 (Lipman et al. 2023, eq. 23;
torchcfm's ConditionalFlowMatcher(sigma=0)): x_t = (1 - t) x0 + t x1, target x1 - x0.

    OMP_NUM_THREADS=1 python3 torch-velocity.py --out DIR [--width 32] [--steps 1500] [--seed 0]
        [--samples 64] [--euler-steps 100] [--device cpu|cuda]
    torchrun --nproc_per_node=2 torch-velocity.py --out DIR ...   # the same with DistributedDataParallel

writes, in DIR:
    weights.safetensors   the state_dict (net.0.weight [w, dim + 1], net.0.bias, ..., net.6.bias), F32
    noise.npy             (samples, dim) float32, the base noise x0 ~ N(0, I)
    samples.npy           (samples, dim) float32, Euler with --euler-steps fixed steps from that noise
and prints one JSON line: {"width": w, "steps": k, "finalLoss": l, "eulerSteps": m}.

The Euler times are pfm's: t_i = i / m (t_m = 1 exactly), x <- x + (t_{i+1} - t_i) v(x, t_i), so
`pfm sample --model M.json --noise noise.npy --integrator euler --steps m` gives the same points up
to float32 rounding. The data are two moons drawn with NumPy's seeded generator. The safetensors
file is written by hand (8-byte little-endian header length, JSON header, raw little-endian
tensors), so the script needs only torch and numpy; `safetensors.torch.save_file` writes the same
layout.
"""
import argparse
import json
import os
import struct
import sys

import numpy as np
import torch


def moons(n, rng):
    """Two interleaved half circles with Gaussian noise 0.1, centred (as pfm's `moons`, not the same draws)."""
    k = n // 2
    a = rng.uniform(0, np.pi, n - k)
    b = rng.uniform(0, np.pi, k)
    outer = np.stack([np.cos(a), np.sin(a)], 1)
    inner = np.stack([1 - np.cos(b), 0.5 - np.sin(b)], 1)
    x = np.concatenate([outer, inner]) + rng.normal(0, 0.1, (n, 2))
    return (x - np.array([0.5, 0.25])).astype(np.float32)


class MLP(torch.nn.Module):
    """torchcfm's MLP(dim, time_varying=True, w): the same module names, so the same state_dict keys."""

    def __init__(self, dim, w):
        super().__init__()
        self.net = torch.nn.Sequential(
            torch.nn.Linear(dim + 1, w),
            torch.nn.SELU(),
            torch.nn.Linear(w, w),
            torch.nn.SELU(),
            torch.nn.Linear(w, w),
            torch.nn.SELU(),
            torch.nn.Linear(w, dim),
        )

    def forward(self, x):
        return self.net(x)


def write_safetensors(path, tensors):
    """Writes {name: float32 tensor} as safetensors; the header is padded with spaces to 8 bytes."""
    header, offset, blobs = {}, 0, []
    for name, t in tensors.items():
        data = t.detach().cpu().contiguous().numpy().astype('<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * (-len(text) % 8)
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def euler(model, x0, steps):
    """pfm's fixed-step Euler from t = 0 to 1 (times i / steps in float64, the last exactly 1)."""
    times = [i / steps for i in range(steps)] + [1.0]
    x = x0.clone()
    with torch.no_grad():
        for ta, tb in zip(times[:-1], times[1:]):
            t = torch.full((x.shape[0], 1), ta, dtype=torch.float32, device=x.device)
            x = x + model(torch.cat([x, t], 1)) * (tb - ta)
    return x


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--out', required=True)
    p.add_argument('--width', type=int, default=32)
    p.add_argument('--steps', type=int, default=1500)
    p.add_argument('--batch-size', type=int, default=256)
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--samples', type=int, default=64)
    p.add_argument('--euler-steps', type=int, default=100)
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--threads', type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)

    distributed = int(os.environ.get('WORLD_SIZE', '1')) > 1
    rank = 0
    device = torch.device(a.device)
    if distributed:
        torch.distributed.init_process_group('nccl' if a.device == 'cuda' else 'gloo')
        rank = torch.distributed.get_rank()
        if a.device == 'cuda':
            device = torch.device('cuda', int(os.environ.get('LOCAL_RANK', '0')))
            torch.cuda.set_device(device)

    torch.manual_seed(a.seed)  # the same initial weights on every rank
    dim = 2
    model = MLP(dim, a.width).to(device)
    trained = torch.nn.parallel.DistributedDataParallel(model) if distributed else model
    opt = torch.optim.Adam(trained.parameters(), lr=a.lr)
    rng = np.random.default_rng(a.seed + 1000 * rank)  # each rank its own minibatches
    gen = torch.Generator().manual_seed(a.seed + 1 + 1000 * rank)
    loss = torch.tensor(float('nan'))
    for _ in range(a.steps):
        x1 = torch.from_numpy(moons(a.batch_size, rng)).to(device)
        x0 = torch.randn(a.batch_size, dim, generator=gen).to(device)
        t = torch.rand(a.batch_size, 1, generator=gen).to(device)
        xt = (1 - t) * x0 + t * x1
        loss = ((trained(torch.cat([xt, t], 1)) - (x1 - x0)) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()

    if rank == 0:
        os.makedirs(a.out, exist_ok=True)
        model = model.cpu().eval()
        # `model` is the bare module even under DDP, so the keys carry no "module." prefix.
        write_safetensors(os.path.join(a.out, 'weights.safetensors'), model.state_dict())
        x0 = torch.randn(a.samples, dim, generator=torch.Generator().manual_seed(a.seed + 7))
        np.save(os.path.join(a.out, 'noise.npy'), x0.numpy().astype(np.float32))
        np.save(os.path.join(a.out, 'samples.npy'), euler(model, x0, a.euler_steps).numpy().astype(np.float32))
        print(json.dumps({'width': a.width, 'steps': a.steps, 'finalLoss': float(loss), 'eulerSteps': a.euler_steps}))
    if distributed:
        torch.distributed.destroy_process_group()
    return 0


if __name__ == '__main__':
    sys.exit(main())
