"""Trains the parity suite's flow-matching or OT-CFM velocity field in PyTorch on pfm's own random
streams (written by flow-stream-swap-inputs.mjs), or on a mix of pfm's and torch's, samples it and
scores the samples on held-out points: the flow-field counterpart of energy-stream-swap.py.

Arms (--arm):
  pfm-streams  pfm's initial weights, x0 noise, times and minibatch rows;
  torch-init   the twin's initialisation (nn.Linear's default, torch.manual_seed(SEED)), pfm's streams;
  torch-noise  pfm's initial weights and rows, x0 and times from a torch generator.
Network, loss, coupling, optimiser and sampler are the parity twin's own (reference/parity-twin.py:
TimeMLP on [x, t], 3×64 SELU; L = mean ‖v(t, x_t) − (x1 − x0)‖², x_t = (1 − t) x0 + t x1; OT-CFM
re-pairs each batch by the exact assignment, POT's emd; AdamW lr 1e-3, wd 1e-5; 100 Euler steps).
Prints one JSON line: the first three losses (equal to pfm's on the pfm-streams arm, up to float32
rounding), the unbiased energy distance of 5,000 samples (noise from torch.Generator seeded
SEED + 1000, as the twin's) to the held-out points, and, with --twin-samples, the same score of the
twin's own samples of the parity run. --out writes the samples.

Usage: python3 flow-stream-swap.py --method flow-matching|ot-flow-matching --seed S --train TRAIN.csv
           --test TEST.csv --streams DIR [--arm pfm-streams|torch-init|torch-noise] [--twin-samples F] [--out F]
"""
import argparse
import importlib.util
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from swap_streams import read_run, score  # noqa: E402 (beside this script)


def load_twin():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "parity-twin.py")
    spec = importlib.util.spec_from_file_location("parity_twin", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--method", choices=["flow-matching", "ot-flow-matching"], required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--train", required=True)
    p.add_argument("--test", required=True)
    p.add_argument("--streams", required=True)
    p.add_argument("--arm", choices=["pfm-streams", "torch-init", "torch-noise"], default="pfm-streams")
    p.add_argument("--twin-samples")
    p.add_argument("--out")
    p.add_argument("--batch", type=int, default=512)
    a = p.parse_args()
    twin = load_twin()
    data, test, noise, rows = read_run(a)
    (steps, b, d) = noise.shape
    times = torch.from_numpy(np.fromfile(os.path.join(a.streams, f"t-{a.seed}.f32"), dtype=np.float32).reshape(steps, b))

    net = dict(twin.TIME_MLP_FIELDS, hidden=[64, 64, 64], activation="selu")
    torch.manual_seed(a.seed)
    field = twin.TimeMLP(d, net)
    if a.arm != "torch-init":
        with open(os.path.join(a.streams, f"init-{a.seed}.json")) as f:
            init = json.load(f)
        linears = [m for m in field.net if isinstance(m, torch.nn.Linear)]
        if len(init) != 2 * len(linears):
            raise SystemExit(f"init-{a.seed}.json has {len(init)} tensors, the field {2 * len(linears)}")
        with torch.no_grad():
            for i, layer in enumerate(linears):
                kernel = torch.tensor(init[2 * i]["values"], dtype=torch.float32).view(*init[2 * i]["shape"])
                layer.weight.copy_(kernel.T)  # pfm's kernels are [in, out]
                layer.bias.copy_(torch.tensor(init[2 * i + 1]["values"], dtype=torch.float32))

    optimizer = torch.optim.AdamW(field.parameters(), lr=1e-3, weight_decay=1e-5, betas=(0.9, 0.999), eps=1e-8)
    own = torch.Generator().manual_seed(a.seed + 77)
    losses, start = [], time.perf_counter()
    for s in range(steps):
        x0 = torch.randn(b, d, generator=own) if a.arm == "torch-noise" else noise[s]
        t = torch.rand(b, generator=own) if a.arm == "torch-noise" else times[s]
        x1 = data[rows[s]]
        if a.method == "ot-flow-matching":
            x0, x1 = twin.exact_ot_pairs(x0, x1)
        xt = (1 - t[:, None]) * x0 + t[:, None] * x1
        loss = torch.mean((field(t, xt) - (x1 - x0)) ** 2)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    report = {"method": a.method, "seed": a.seed, "arm": a.arm, "steps": steps, "firstLosses": losses[:3],
              "seconds": time.perf_counter() - start}
    with torch.no_grad():
        z = torch.randn(test.shape[0], d, generator=torch.Generator().manual_seed(a.seed + 1000))
        x = twin.flow_transport(field, z, {"integrator": "euler", "steps": 100})
        score(report, x, test, a.twin_samples, a.out)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
