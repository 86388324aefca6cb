"""Trains a parity-suite run with the PyTorch twin's own code (reference/parity-twin.py: its network,
loss, coupling, optimiser, training loop and sampler) on pfm's random streams, on the twin's own,
or on any mix of the two, and scores the samples on the held-out points.

pfm's streams of the run are written by stream-swap-inputs.mjs into --streams (the run's recipe,
initial weights, per-step noise, flow times and minibatch rows). Each of the three streams comes
from pfm unless --torch names it:
  init   the twin's initialisation (torch.manual_seed(seed), nn.Linear's default), or with
         --init-seed K that of seed K; otherwise pfm's initial weights (init-SEED.json, or
         --init-file F, e.g. init-pfm-K.json: another seed's weights on this run's noise and rows);
  noise  the twin's draws (torch's global stream after the initialisation, as the twin draws it:
         the generator's noise; x0 and t of the flow fields); otherwise pfm's;
  rows   the twin's minibatch order (its BatchIndexer); otherwise pfm's rows.
--torch all is the twin's own run: its samples must equal the parity run's twin samples
(--twin-samples; "twinMaxAbsDiff" reports the largest difference), which checks that this script
computes what the parity twin computes. --torch none (the default) is pfm's streams: its first
three losses equal pfm's (printed by the input writer) to float32 rounding. Same streams and a
different result point at computation; the result following the streams points at randomness.

Methods: energy (one-step generator on the unbiased energy distance), flow-matching and
ot-flow-matching (σ = 0; OT-CFM re-pairs each batch by POT's exact assignment).
Prints one JSON line: the streams taken from torch, the first three losses, the training seconds,
and the scores of the samples (5,000 noise draws from torch.Generator seeded SEED + 1000, as the
parity twin): the unbiased energy distance to the held-out points and the sliced W2 on 2,000 fixed
random directions; with --twin-samples and --pfm-samples the same scores of those samples (the
parity run's twin, and pfm's run from stream-swap-inputs.mjs --pfm-samples). --pfm-final F loads
pfm's trained weights (final-SEED.json of --pfm-samples) into the twin's network and samples them
with this run's sampler and noise ("pfmFinal"): pfm's training against torch's on one sampler, with
no sampling noise between them. --out writes the samples.

Usage: python3 stream-swap.py --seed S --train TRAIN.csv --test TEST.csv --streams DIR
           [--torch none|all|init,noise,rows] [--init-seed K] [--init-file F]
           [--twin-samples F] [--pfm-samples F] [--pfm-final F] [--out F]
"""
import argparse
import importlib.util
import json
import os
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
STREAMS = ("init", "noise", "rows")
DIRECTIONS, DIRECTION_SEED = 2000, 5


def load_twin():
    spec = importlib.util.spec_from_file_location("parity_twin", os.path.join(HERE, "parity-twin.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_stream(streams, name, dtype, shape):
    """A raw little-endian stream file of the input writer, checked against the run's shape."""
    path = os.path.join(streams, name)
    values = np.fromfile(path, dtype=dtype)
    if values.size != int(np.prod(shape)):
        raise SystemExit(f"stream-swap: {path} holds {values.size} values, the run needs {shape}")
    return torch.from_numpy(values.reshape(shape).astype(np.int64 if dtype == np.int32 else np.float32))


def torch_streams(value):
    if value == "none":
        return set()
    if value == "all":
        return set(STREAMS)
    names = set(value.split(","))
    unknown = names - set(STREAMS)
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown stream(s) {', '.join(sorted(unknown))} (known: {', '.join(STREAMS)}, or none, all)")
    return names


def load_pfm_weights(linears, path):
    """Copies pfm's initial weights ({shape, values} per tensor, kernels [in, out]) into nn.Linear layers."""
    with open(path) as f:
        init = json.load(f)
    if len(init) != 2 * len(linears):
        raise SystemExit(f"stream-swap: {path} has {len(init)} tensors, the network {2 * len(linears)}")
    with torch.no_grad():
        for layer, kernel, bias in zip(linears, init[0::2], init[1::2]):
            layer.weight.copy_(torch.tensor(kernel["values"], dtype=torch.float32).view(*kernel["shape"]).T)
            layer.bias.copy_(torch.tensor(bias["values"], dtype=torch.float32))


def scores(twin, x, test, directions):
    """Unbiased energy distance (exact differences) and sliced W2 over the fixed directions."""
    xp = torch.sort(x.double() @ directions, dim=0).values
    tp = torch.sort(test.double() @ directions, dim=0).values
    return {"energy": twin.energy_distance(x, test, 1.0, True).item(),
            "slicedW2": ((xp - tp) ** 2).mean().sqrt().item()}


def main():
    p = argparse.ArgumentParser(description="a parity run in the PyTorch twin on pfm's streams")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--train", required=True)
    p.add_argument("--test", required=True)
    p.add_argument("--streams", required=True)
    p.add_argument("--torch", type=torch_streams, default=set(), help="streams drawn by torch: none (default), all, or a comma list of init, noise, rows")
    p.add_argument("--init-seed", type=int, help="with --torch init: the twin's initialisation of this seed")
    p.add_argument("--init-file", help="without --torch init: pfm's initial weights from this file")
    p.add_argument("--twin-samples")
    p.add_argument("--pfm-samples")
    p.add_argument("--pfm-final", help="pfm's trained weights (final-SEED.json), sampled here like this run")
    p.add_argument("--out")
    a = p.parse_args()
    if a.init_seed is not None and "init" not in a.torch:
        p.error("--init-seed needs --torch init")
    if a.init_file is not None and "init" in a.torch:
        p.error("--init-file is pfm's initialisation: not with --torch init")

    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float32)
    twin = load_twin()
    with open(os.path.join(a.streams, f"recipe-{a.seed}.json")) as f:
        recipe = twin.parse_recipe(json.load(f), "recipe")
    if recipe["seed"] != a.seed:
        raise SystemExit(f"stream-swap: recipe-{a.seed}.json has seed {recipe['seed']}")
    data, test = twin.read_csv(a.train, "--train"), twin.read_csv(a.test, "--test")
    steps, b, d = recipe["steps"], recipe["batchSize"], data.shape[1]
    method = recipe["method"]
    noise = read_stream(a.streams, f"noise-{a.seed}.f32", np.float32, (steps, b, d))
    rows = read_stream(a.streams, f"idx-{a.seed}.i32", np.int32, (steps, b))

    # The twin's order of draws: main() seeds torch and NumPy, the method's set-up seeds torch and
    # builds the network; the noise is drawn from torch's global stream after that.
    torch.manual_seed(recipe["rngSeed"])
    np.random.seed(recipe["rngSeed"])
    if method == "energy":
        setup = lambda r: twin.energy_setup(r, d)  # noqa: E731
        model, draw_noise, loss, generated = setup(recipe)
        if generated not in (0, b) or model[0].in_features != d:
            raise SystemExit("stream-swap: pfm's noise stream is one [batch, d] draw per step (options.generatedBatch and latentDim unset)")

        def step_loss(s, batch):
            return loss(batch, draw_noise(batch.shape[0]) if "noise" in a.torch else noise[s])

        def sample(gen):
            return model(draw_noise(test.shape[0], gen))
        linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    elif method in ("flow-matching", "ot-flow-matching"):
        setup = lambda r: twin.flow_matching_setup(r, d, "recipe")  # noqa: E731
        model, options, draw, loss = setup(recipe)
        if options["sigma"] > 0:
            raise SystemExit("stream-swap: pfm's streams hold no path noise z (options.sigma must be 0)")
        times = read_stream(a.streams, f"t-{a.seed}.f32", np.float32, (steps, b))

        def step_loss(s, x1):
            return loss(x1, *(draw(x1) if "noise" in a.torch else (noise[s], times[s], None)))

        def sample(gen):
            return twin.flow_transport(model, torch.randn(test.shape[0], d, generator=gen), options["sampler"])
        linears = [m for m in model.net if isinstance(m, torch.nn.Linear)]
    else:
        raise SystemExit(f"stream-swap: method {method} has no stream swap (known: energy, flow-matching, ot-flow-matching)")

    state = torch.get_rng_state()
    if "init" not in a.torch:
        load_pfm_weights(linears, a.init_file or os.path.join(a.streams, f"init-{a.seed}.json"))
    elif a.init_seed is not None:
        model.load_state_dict(setup(dict(recipe, seed=a.init_seed, rngSeed=a.init_seed % 2**32))[0].state_dict())
    torch.set_rng_state(state)  # the twin's noise stream, whatever the initialisation

    losses, step = [], [0]

    def loss_fn(batch):
        value = step_loss(step[0], batch)
        step[0] += 1
        if len(losses) < 3:
            losses.append(value.item())
        return value

    seconds, _ = twin.train(loss_fn, model.parameters(), data, recipe, f"swap {method} seed {a.seed}",
                            rows=None if "rows" in a.torch else (lambda s: rows[s]))
    with torch.no_grad():
        x = sample(torch.Generator().manual_seed(a.seed + 1000))
        if a.pfm_final:  # the same network and noise, pfm's trained weights
            load_pfm_weights(linears, a.pfm_final)
            x_pfm = sample(torch.Generator().manual_seed(a.seed + 1000))
    directions = torch.randn(d, DIRECTIONS, generator=torch.Generator().manual_seed(DIRECTION_SEED), dtype=torch.float64)
    directions /= directions.norm(dim=0, keepdim=True)
    report = {"method": method, "seed": a.seed, "torch": sorted(a.torch), "initSeed": a.init_seed, "initFile": a.init_file,
              "steps": steps, "firstLosses": losses, "seconds": round(seconds, 2), **scores(twin, x, test, directions)}
    if a.out:
        np.savetxt(a.out, x.numpy(), fmt="%.7g", delimiter=",")
    if a.twin_samples:
        own = twin.read_csv(a.twin_samples, "--twin-samples")
        report["twin"] = scores(twin, own, test, directions)
        report["twinMaxAbsDiff"] = (x - own).abs().max().item() if own.shape == x.shape else None
    if a.pfm_samples:
        report["pfm"] = scores(twin, twin.read_csv(a.pfm_samples, "--pfm-samples"), test, directions)
    if a.pfm_final:
        report["pfmFinal"] = scores(twin, x_pfm, test, directions)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
