"""Trains the parity suite's energy generator in PyTorch on pfm's own random streams (written by
energy-stream-swap-inputs.mjs), or on a mix of pfm's and torch's, and scores it on held-out points.

Arms (--arm):
  pfm-streams  pfm's initial weights, generator noise and minibatch rows;
  torch-init   torch's initialisation (U(±1/√fan_in), torch.manual_seed(SEED)), pfm's noise and rows;
  torch-noise  pfm's initial weights and rows, noise from a torch generator;
  torch-rows   pfm's initial weights and noise, the twin's own minibatch rows (its BatchIndexer,
               seeded as the parity twin seeds it).
--init-seed K draws the torch-init arm's weights from torch.manual_seed(K) instead of the run's seed;
--init-file F takes the initial weights from F (written like init-SEED.json, e.g. another seed's),
so several initialisations can be tried on one run's noise and rows: the spread of the results
over streams alone, with the computation held fixed, is what a gap between pfm and the twin must
exceed before it says anything about pfm's code.
Network, loss and optimiser are the parity twin's (MLP 3×64 SELU; unbiased energy distance
E = 2E‖X − Y‖ − E‖X − X'‖ − E‖Y − Y'‖, Székely & Rizzo 2013; AdamW lr 1e-3, wd 1e-5).
Prints one JSON line: the first three losses (equal to pfm's on the pfm-streams arm), the energy
distance of 5,000 samples to the held-out points, and, with --twin-samples, the same score of the
twin's own samples from the parity run (the same code, so the two numbers compare).

Usage: python3 energy-stream-swap.py --seed S --train TRAIN.csv --test TEST.csv --streams DIR
           [--arm pfm-streams|torch-init|torch-noise|torch-rows] [--init-seed K] [--init-file F] [--twin-samples SAMPLES.csv]
           [--out SAMPLES.csv]
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from swap_streams import energy_distance, read_run, score  # noqa: E402 (beside this script)
from twin_recipe import BatchIndexer  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--train", required=True)
    p.add_argument("--test", required=True)
    p.add_argument("--streams", required=True)
    p.add_argument("--arm", choices=["pfm-streams", "torch-init", "torch-noise", "torch-rows"], default="pfm-streams")
    p.add_argument("--twin-samples")
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--init-seed", type=int, help="torch-init arm: seed of torch's initialisation (default --seed)")
    p.add_argument("--init-file", help="initial weights in the layout of init-SEED.json (default: that file of --seed)")
    p.add_argument("--out", help="write the 5,000 samples to this CSV")
    a = p.parse_args()
    data, test, noise, rows = read_run(a)
    (steps, b, d) = noise.shape
    if a.arm == "torch-rows":
        indexer = BatchIndexer(data.shape[0], b, a.seed % 2**32)
        rows = torch.stack([indexer.indices(s) for s in range(steps)])
    if a.init_seed is not None and a.arm != "torch-init":
        raise SystemExit("--init-seed: only the torch-init arm draws its own initialisation")
    with open(a.init_file or os.path.join(a.streams, f"init-{a.seed}.json")) as f:
        init = json.load(f)
    params = [torch.tensor(q["values"], dtype=torch.float32).view(*q["shape"]).requires_grad_() for q in init]
    if a.arm == "torch-init":
        torch.manual_seed(a.seed if a.init_seed is None else a.init_seed)
        with torch.no_grad():
            for i in range(0, len(params), 2):
                bound = params[i].shape[0] ** -0.5
                params[i].uniform_(-bound, bound)
                params[i + 1].uniform_(-bound, bound)

    def phi(h):
        layers = len(params) // 2
        for i in range(layers):
            h = h @ params[2 * i] + params[2 * i + 1]
            if i + 1 < layers:
                h = torch.selu(h)
        return h

    optimizer = torch.optim.AdamW(params, lr=1e-3, weight_decay=1e-5, betas=(0.9, 0.999), eps=1e-8)
    own_noise = torch.Generator().manual_seed(a.seed + 77)
    losses, start = [], time.perf_counter()
    for s in range(steps):
        z = torch.randn(b, d, generator=own_noise) if a.arm == "torch-noise" else noise[s]
        loss = energy_distance(phi(z), data[rows[s]])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    report = {"seed": a.seed, "arm": a.arm, "initSeed": a.init_seed, "initFile": a.init_file, "steps": steps, "firstLosses": losses[:3], "seconds": time.perf_counter() - start}
    with torch.no_grad():
        x = phi(torch.randn(test.shape[0], d, generator=torch.Generator().manual_seed(a.seed + 1000)))
        score(report, x, test, a.twin_samples, a.out)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
