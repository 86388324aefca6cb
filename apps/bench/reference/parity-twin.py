#!/usr/bin/env python3
"""PyTorch twin of pfm's training recipes (optional reference for the benchmark).

Trains one pfm recipe (the JSON object of the CLI's --config) with plain PyTorch, draws samples
and prints one JSON line, so the benchmark can compare the quality of pfm and of "what a PyTorch
user writes" on the same data, network budget, optimizer and minibatches. pfm itself never needs
this script (nor Python).

    python3 parity-twin.py --recipe RECIPE.json --train TRAIN.csv --test TEST.csv \
        --samples N --sample-seed S --out SAMPLES.csv [--teacher-recipe TEACHER.json] [--threads 1]
        [--sample-noise NOISE.f32]

Methods: flow-matching, ot-flow-matching, energy, realnvp, nsf, distill (mode direct). Each one
mirrors pfm's maths, architecture, loss and default options; the intended differences are the
framework, the random streams and the initialisation (nn.Linear's own, W, b ~ U(±1/√fan_in),
except the last layer of coupling conditioners, zero as in pfm). A method, option or model field
this twin does not implement exits with code 2 and one stderr line naming the field.

Every method maps N(0, I) noise [N, d] to its samples: drawn from torch.Generator seeded with
--sample-seed, or read from --sample-noise (raw little-endian float32, row-major; the parity
suite's --common-noise passes pfm's own draw, so both sides share the sample noise).

Output: the samples as CSV (--out), then ONE line on stdout:
    {"method": ID, "trainSeconds": s, "finalLoss": l, "nll": nats | null, "nfe": k}
trainSeconds is the wall time of the training loop(s) (distill: teacher + student); nll is the
mean −log p of --test (realnvp, nsf). Progress and diagnostics go to stderr. The exact-OT and
Sinkhorn couplings need POT (`ot`); the other methods only torch and numpy.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from twin_flows import (  # noqa: E402 (the twins' shared modules, beside them)
    ACTIVATIONS, build_coupling_flow, coupling_flow_options, mlp)
from twin_recipe import BatchIndexer, RecipeError, choice, read_fields  # noqa: E402


def note(message):
    print(f"parity-twin: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Recipe: fields, defaults (pfm's core/train/recipe.ts, optimizer.ts, schedule.ts) and options.
# --------------------------------------------------------------------------------------------

RECIPE_FIELDS = {"method", "options", "model", "optimizer", "steps", "batchSize", "seed", "divergence"}
OPTIMIZER_DEFAULTS = {"name": "adam", "lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
                      "weightDecay": 0.0, "momentum": 0.0, "clipNorm": 0.0, "schedule": {}}
SCHEDULE_DEFAULTS = {"name": "constant", "warmupSteps": 0, "minFactor": 0.0}
DIVERGENCE_DEFAULTS = {"action": "stop", "lrFactor": 0.5, "maxRollbacks": 3, "snapshotEvery": 50}


def parse_recipe(raw, where):
    """The recipe with pfm's defaults: steps 2000, batch 256, seed 0, Adam lr 1e-3."""
    if not isinstance(raw, dict):
        raise RecipeError(f"{where} must be a JSON object")
    for key in raw:
        if key not in RECIPE_FIELDS:
            raise RecipeError(f"{where}.{key}: not a recipe field (known: {', '.join(sorted(RECIPE_FIELDS))})")
    if not isinstance(raw.get("method"), str):
        raise RecipeError(f"{where}.method: required (an objective id)")
    optimizer = read_fields(raw.get("optimizer"), OPTIMIZER_DEFAULTS, f"{where}.optimizer")
    choice(optimizer["name"], ["adam", "adamw", "sgd"], f"{where}.optimizer.name")
    optimizer["schedule"] = read_fields(optimizer["schedule"], SCHEDULE_DEFAULTS, f"{where}.optimizer.schedule")
    choice(optimizer["schedule"]["name"], ["constant", "cosine"], f"{where}.optimizer.schedule.name")
    divergence = read_fields(raw.get("divergence"), DIVERGENCE_DEFAULTS, f"{where}.divergence")
    choice(divergence["action"], ["stop"], f"{where}.divergence.action")
    recipe = {
        "method": raw["method"],
        "options": raw.get("options") or {},
        "model": raw.get("model") or {},
        "optimizer": optimizer,
        "steps": int(raw.get("steps", 2000)),
        "batchSize": int(raw.get("batchSize", 256)),
        "seed": int(raw.get("seed", 0)),
    }
    # Seeds of the random streams (NumPy's need a non-negative integer; pfm's seeds may be negative).
    recipe["rngSeed"] = recipe["seed"] % 2**32
    if recipe["steps"] <= 0 or recipe["batchSize"] <= 0:
        raise RecipeError(f"{where}.steps and {where}.batchSize must be positive integers")
    return recipe


# Network fields each builder reads (pfm: core/maps/time-mlp.ts, mlp.ts; likelihood's
# network-options.ts reads only hidden and activation). `init` is accepted and ignored on purpose:
# the twin always uses PyTorch's default initialisation.
TIME_MLP_FIELDS = {"hidden": [64, 64, 64], "activation": "silu", "init": None, "timeEmbedding": "concat",
                   "embeddingFrequencies": 8, "maxFrequency": 64.0, "finalScale": 1.0}
MLP_FIELDS = {"hidden": [64, 64, 64], "activation": "silu", "outputActivation": "linear", "init": None, "finalScale": 1.0}
COUPLING_NETWORK_FIELDS = {"hidden": [32, 32], "activation": "silu"}


def network_options(model, fields, where, ignore_others=False):
    if ignore_others:
        # pfm's coupling flows read only hidden and activation and ignore other model fields.
        extra = sorted(set(model) - set(fields))
        if extra:
            note(f"{where}: ignoring {', '.join(extra)} (pfm's coupling flows ignore them too)")
        model = {k: v for k, v in model.items() if k in fields}
    net = read_fields(model, fields, where)
    choice(net["activation"], list(ACTIVATIONS), f"{where}.activation")
    if "outputActivation" in net:
        choice(net["outputActivation"], list(ACTIVATIONS), f"{where}.outputActivation")
    if "timeEmbedding" in net:
        choice(net["timeEmbedding"], ["concat", "sinusoidal"], f"{where}.timeEmbedding")
    if not (isinstance(net["hidden"], list) and all(isinstance(h, int) and h > 0 for h in net["hidden"])):
        raise RecipeError(f"{where}.hidden: must be a list of positive integers")
    if net.get("init") is not None:
        note(f"{where}.init = {net['init']!r} ignored: the twin uses PyTorch's default nn.Linear initialisation")
    return net


# --------------------------------------------------------------------------------------------
# Networks
# --------------------------------------------------------------------------------------------

class TimeMLP(nn.Module):
    """v(t, x) = MLP([x, e(t)]) with e(t) = t (concat) or [sin ω_k t, cos ω_k t], ω_k = 2π·F^{k/(K−1)}
    (Vaswani et al. 2017); pfm's core/maps/time-mlp.ts."""

    def __init__(self, dim, net):
        super().__init__()
        k = int(net["embeddingFrequencies"])
        self.sinusoidal = net["timeEmbedding"] == "sinusoidal"
        width = 2 * k if self.sinusoidal else 1
        omegas = [2 * math.pi * float(net["maxFrequency"]) ** (0 if k == 1 else i / (k - 1)) for i in range(k)]
        self.register_buffer("omegas", torch.tensor(omegas, dtype=torch.float32))
        self.net = mlp(dim + width, dim, net["hidden"], net["activation"], final_scale=float(net["finalScale"]))

    def forward(self, t, x):
        tc = t.reshape(-1, 1).expand(x.shape[0], 1) if torch.is_tensor(t) else torch.full((x.shape[0], 1), float(t))
        if self.sinusoidal:
            angles = tc * self.omegas
            tc = torch.cat([torch.sin(angles), torch.cos(angles)], 1)
        return self.net(torch.cat([x, tc], 1))


# --------------------------------------------------------------------------------------------
# Training loop (pfm's core/train/trainer.ts and optimizer.ts)
# --------------------------------------------------------------------------------------------

def learning_rate(base, schedule, step, total):
    """constant η, or cosine η_min + ½(η − η_min)(1 + cos(π s/S)) (Loshchilov & Hutter 2017);
    a linear warm-up multiplies by min(1, (s + 1)/W)."""
    factor = 1.0
    if schedule["name"] == "cosine":
        progress = min(1.0, step / max(1, total))
        factor = schedule["minFactor"] + 0.5 * (1 - schedule["minFactor"]) * (1 + math.cos(math.pi * progress))
    if schedule["warmupSteps"] > 0:
        factor *= min(1.0, (step + 1) / schedule["warmupSteps"])
    return base * factor


def make_optimizer(params, config):
    """adam (Kingma & Ba 2015; no weight decay), adamw (decoupled decay λ, Loshchilov & Hutter
    2019), sgd with momentum m ← μm + g."""
    betas = (config["beta1"], config["beta2"])
    if config["name"] == "adam":
        return torch.optim.Adam(params, lr=config["lr"], betas=betas, eps=config["epsilon"], weight_decay=0.0)
    if config["name"] == "adamw":
        return torch.optim.AdamW(params, lr=config["lr"], betas=betas, eps=config["epsilon"], weight_decay=config["weightDecay"])
    return torch.optim.SGD(params, lr=config["lr"], momentum=config["momentum"], weight_decay=0.0)


def train(loss_fn, params, data, recipe, label, rows=None):
    """`steps` optimizer steps of loss_fn(batch); returns (seconds, last loss). Like pfm, a
    non-finite loss or gradient stops the run; gradients are clipped to norm c when clipNorm > 0
    (g ← g·min(1, c/‖g‖)). Step s's minibatch is data[rows(s)], by default the twin's own
    BatchIndexer seeded with the recipe's seed (reference/stream-swap.py passes pfm's rows)."""
    params = list(params)
    config = recipe["optimizer"]
    optimizer = make_optimizer(params, config)
    steps, batch_size = recipe["steps"], recipe["batchSize"]
    if rows is None:
        rows = BatchIndexer(data.shape[0], batch_size, recipe["rngSeed"]).indices
    report_every = max(1, steps // 10)
    loss_value = float("nan")
    start = time.perf_counter()
    for step in range(steps):
        lr = learning_rate(config["lr"], config["schedule"], step, steps)
        for group in optimizer.param_groups:
            group["lr"] = lr
        batch = data[rows(step)]
        loss = loss_fn(batch)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        grads = [p.grad for p in params if p.grad is not None]
        grad_norm = torch.sqrt(sum(torch.sum(g * g) for g in grads)).item()
        loss_value = loss.item()
        if not (math.isfinite(loss_value) and math.isfinite(grad_norm)):
            what = f"loss is {loss_value}" if not math.isfinite(loss_value) else f"gradient norm is {grad_norm}"
            raise RuntimeError(f"{label}: training diverged at step {step + 1}: {what}")
        if config["clipNorm"] > 0:
            factor = min(1.0, config["clipNorm"] / max(grad_norm, 1e-12))
            if factor < 1.0:
                for g in grads:
                    g.mul_(factor)
        optimizer.step()
        if (step + 1) % report_every == 0 or step + 1 == steps:
            seconds = time.perf_counter() - start
            note(f"{label}: step {step + 1}/{steps} loss {loss_value:.5g} ({(step + 1) / max(seconds, 1e-9):.0f} steps/s)")
    return time.perf_counter() - start, loss_value


# --------------------------------------------------------------------------------------------
# ODE integrators (pfm's flows/integrators/*.ts): explicit Runge–Kutta from a Butcher tableau,
#   k_i = f(t + c_i h, y + h Σ_j a_ij k_j),  y ← y + h Σ_i b_i k_i  (Hairer, Nørsett & Wanner I, II.1)
# --------------------------------------------------------------------------------------------

TABLEAUX = {
    "euler": ([0.0], [], [1.0]),
    "midpoint": ([0.0, 0.5], [[0.5]], [0.0, 1.0]),
    "heun": ([0.0, 1.0], [[1.0]], [0.5, 0.5]),
    "rk4": ([0.0, 0.5, 0.5, 1.0], [[0.5], [0.0, 0.5], [0.0, 0.0, 1.0]], [1 / 6, 1 / 3, 1 / 3, 1 / 6]),
    # Dormand–Prince 5(4) with fixed steps (7 evaluations per step, as pfm's fixed-grid dopri5).
    "dopri5": ([0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1],
               [[1 / 5], [3 / 40, 9 / 40], [44 / 45, -56 / 15, 32 / 9],
                [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
                [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
                [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84]],
               [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0]),
}


@torch.no_grad()
def integrate(drift, y, integrator, steps, t0=0.0, t1=1.0):
    """Fixed-step solve of dy/dt = drift(t, y) from t0 to t1 (grid t_i = t0 + i(t1 − t0)/steps)."""
    c, a, b = TABLEAUX[integrator]
    times = [t0 + (t1 - t0) * i / steps for i in range(steps)] + [t1]
    for i in range(steps):
        t, h = times[i], times[i + 1] - times[i]
        k = []
        for s in range(len(c)):
            yi = y
            for j, aij in enumerate(a[s - 1] if s > 0 else []):
                if aij != 0:
                    yi = yi + (h * aij) * k[j]
            k.append(drift(t + c[s] * h, yi))
        for s, bs in enumerate(b):
            if bs != 0:
                y = y + (h * bs) * k[s]
    return y


def sampler_options(given, where):
    sampler = read_fields(given, {"integrator": "euler", "steps": 100}, where)
    choice(sampler["integrator"], list(TABLEAUX), f"{where}.integrator")
    if not (isinstance(sampler["steps"], int) and sampler["steps"] > 0):
        raise RecipeError(f"{where}.steps: must be a positive integer")
    return sampler


def base_noise(n, d, generator):
    """The N(0, I) noise [n, d] the samples are made from: drawn from `generator`, or, when it is a
    tensor, that tensor (--sample-noise: pfm's own draw, so both sides share the sample noise)."""
    if torch.is_tensor(generator):
        if tuple(generator.shape) != (n, d):
            raise RecipeError(f"--sample-noise: holds {generator.numel()} values, the samples need [{n}, {d}]")
        return generator
    return torch.randn(n, d, generator=generator)


# --------------------------------------------------------------------------------------------
# 1. flow-matching (I-CFM) and ot-flow-matching (OT-CFM)
#    x_t = (1 − (1 − σ_min) t) x0 + t x1 + σ z,  u_t = x1 − (1 − σ_min) x0,  t ~ U[0, 1],
#    L = mean ‖v_θ(t, x_t) − u_t‖² over batch and coordinates (Lipman et al. 2023, eq. 9, 20–23;
#    Tong et al. 2024, eq. 14–16). Couplings: independent (I-CFM), minibatch exact OT (OT-CFM,
#    Tong et al. 2024 §3.3; Pooladian et al. 2023), entropic OT (Sinkhorn; Cuturi 2013).
#    pfm: flows/objectives/flow-matching-entry.ts, velocity-matching-loss.ts, paths/linear-interpolant.ts
# --------------------------------------------------------------------------------------------

def squared_distances(a, b):
    """C_ij = ‖a_i − b_j‖² in float64 from exact differences (NumPy array, for POT)."""
    return torch.cdist(a.double(), b.double(), compute_mode="donot_use_mm_for_euclid_dist").pow(2).numpy()


def exact_ot_pairs(x0, x1):
    """pfm's exact-OT coupling: keep the noise order and re-order the data by the optimal
    assignment σ = argmin Σ_i ‖x0_i − x1_σ(i)‖² (an assignment, not a resampling of the plan)."""
    import ot
    cost = squared_distances(x0, x1)
    n = cost.shape[0]
    plan = ot.emd(np.full(n, 1.0 / n), np.full(n, 1.0 / n), cost, numItermax=10_000_000)
    assignment = torch.from_numpy(plan.argmax(axis=1))
    return x0, x1[assignment]


def sinkhorn_pairs(x0, x1, epsilon, max_iterations, rng):
    """pfm's entropic coupling: π ∝ exp(−‖x0_i − x1_j‖² / (ε max‖x0 − x1‖²)) by Sinkhorn, then B
    pairs (i, j) drawn from π with replacement (torchcfm's OT plan sampler)."""
    import ot
    cost = squared_distances(x0, x1)
    n, m = cost.shape
    plan = ot.sinkhorn(np.full(n, 1.0 / n), np.full(m, 1.0 / m), cost, reg=epsilon * max(cost.max(), 1e-12),
                       numItermax=max_iterations)
    p = np.maximum(plan.ravel(), 0)
    picks = rng.choice(n * m, size=n, p=p / p.sum())
    rows, cols = torch.from_numpy(picks // m), torch.from_numpy(picks % m)
    return x0[rows], x1[cols]


def flow_matching_options(raw, method, where):
    default_coupling = "exact-ot" if method == "ot-flow-matching" else "independent"
    o = read_fields(raw, {"sigma": 0.0, "sigmaMin": 0.0, "coupling": default_coupling, "sinkhorn": {}, "sampler": {}}, where)
    choice(o["coupling"], ["independent", "exact-ot", "sinkhorn"], f"{where}.coupling")
    o["sinkhorn"] = read_fields(o["sinkhorn"], {"epsilon": 0.05, "maxIterations": 1000}, f"{where}.sinkhorn")
    o["sampler"] = sampler_options(o["sampler"], f"{where}.sampler")
    if not (o["sigma"] >= 0 and 0 <= o["sigmaMin"] < 1):
        raise RecipeError(f"{where}: sigma must be ≥ 0 and sigmaMin in [0, 1)")
    return o


def flow_matching_setup(recipe, dim, label):
    """The field v_θ (torch.manual_seed(seed), then nn.Linear's initialisation), the options, the
    draw of one step's noise draw(x1) = (x0, t, z) (z is None when σ = 0) and the step's loss
    loss(x1, x0, t, z); train_flow_matching chains them, reference/stream-swap.py feeds pfm's
    draws in."""
    o = flow_matching_options(recipe["options"], recipe["method"], f"{label}.options")
    net = network_options(recipe["model"], TIME_MLP_FIELDS, f"{label}.model")
    torch.manual_seed(recipe["rngSeed"])
    field = TimeMLP(dim, net)
    sigma, sigma_min = float(o["sigma"]), float(o["sigmaMin"])
    pair_rng = np.random.default_rng([recipe["rngSeed"], 3])

    def draw(x1):
        x0 = torch.randn_like(x1)
        t = torch.rand(x1.shape[0])
        return x0, t, torch.randn_like(x1) if sigma > 0 else None

    def loss(x1, x0, t, z):
        if o["coupling"] == "exact-ot":
            x0, x1 = exact_ot_pairs(x0, x1)
        elif o["coupling"] == "sinkhorn":
            x0, x1 = sinkhorn_pairs(x0, x1, o["sinkhorn"]["epsilon"], o["sinkhorn"]["maxIterations"], pair_rng)
        tc = t[:, None]
        xt = (1 - (1 - sigma_min) * tc) * x0 + tc * x1
        if z is not None:
            xt = xt + sigma * z
        target = x1 - (1 - sigma_min) * x0
        return torch.mean((field(t, xt) - target) ** 2)

    return field, o, draw, loss


def train_flow_matching(recipe, data, label):
    """Trains v_θ; returns (field, options, seconds, last loss)."""
    field, o, draw, loss = flow_matching_setup(recipe, data.shape[1], label)
    seconds, last = train(lambda x1: loss(x1, *draw(x1)), field.parameters(), data, recipe, label)
    return field, o, seconds, last


def flow_transport(field, z, sampler):
    """Noise z at t = 0 to data at t = 1 along dx/dt = v_θ(t, x)."""
    field.eval()
    return integrate(lambda t, x: field(t, x), z, sampler["integrator"], sampler["steps"])


def run_flow_matching(recipe, data, generator, n):
    field, o, seconds, loss = train_flow_matching(recipe, data, "recipe")
    samples = flow_transport(field, base_noise(n, data.shape[1], generator), o["sampler"])
    nfe = o["sampler"]["steps"] * len(TABLEAUX[o["sampler"]["integrator"]][0])
    return samples, seconds, loss, None, nfe


# --------------------------------------------------------------------------------------------
# 2. energy: one-step generator X = φ(Z), Z ~ N(0, I_k) (or U[0, 1]^k), k = data dim by default,
#    trained on the energy distance E = 2E‖X − Y‖^β − E‖X − X'‖^β − E‖Y − Y'‖^β (Székely & Rizzo
#    2013, eq. 3.3), unbiased U-statistic by default (pairs i ≠ j inside each sample), data term
#    included. pfm: ipm/objectives/statistics-matching.ts, ipm/energy/energy-distance.ts
# --------------------------------------------------------------------------------------------

def pair_power_sum(a, b, beta):
    """Σ_{i,j} ‖a_i − b_j‖^β with value and gradient 0 where points coincide (pfm's safePower).
    cdist without the matmul shortcut: exact differences, so ‖a_i − a_i‖ is exactly 0."""
    dist = torch.cdist(a, b, compute_mode="donot_use_mm_for_euclid_dist")
    if beta == 1:
        return dist.sum()
    positive = dist > 0
    safe = torch.where(positive, dist, torch.ones_like(dist))
    return torch.where(positive, safe ** beta, torch.zeros_like(dist)).sum()


def energy_distance(x, y, beta, unbiased):
    n, m = x.shape[0], y.shape[0]
    px, py = (n * (n - 1), m * (m - 1)) if unbiased else (n * n, m * m)
    # Self sums over i ≠ j: the diagonal is 0 (‖x_i − x_i‖^β = 0), so the full sum is the same.
    return (2 / (n * m)) * pair_power_sum(x, y, beta) - pair_power_sum(x, x, beta) / px - pair_power_sum(y, y, beta) / py


def energy_setup(recipe, dim):
    """The generator φ (torch.manual_seed(seed), then nn.Linear's initialisation), its noise
    noise(count, generator=None), the step's loss loss(batch, z) = E(φ(z), batch) and the number of
    generated points per step (0: the minibatch's); run_energy chains them, reference/stream-swap.py
    feeds pfm's noise in."""
    o = read_fields(recipe["options"], {"latentDim": 0, "noise": "gaussian", "loss": {}, "generatedBatch": 0}, "recipe.options")
    choice(o["noise"], ["gaussian", "uniform"], "recipe.options.noise")
    loss_options = read_fields(o["loss"], {"exponent": 1.0, "estimator": "unbiased", "tileSize": None, "fused": None}, "recipe.options.loss")
    choice(loss_options["estimator"], ["unbiased", "biased"], "recipe.options.loss.estimator")
    beta = float(loss_options["exponent"])
    if not 0 < beta < 2:
        raise RecipeError("recipe.options.loss.exponent: must be in (0, 2)")
    latent = int(o["latentDim"]) or dim
    net = network_options(recipe["model"], MLP_FIELDS, "recipe.model")
    torch.manual_seed(recipe["rngSeed"])
    phi = mlp(latent, dim, net["hidden"], net["activation"], net["outputActivation"], float(net["finalScale"]))

    def noise(count, gen=None):
        if o["noise"] != "uniform":
            return base_noise(count, latent, gen)
        if torch.is_tensor(gen):
            raise RecipeError("--sample-noise: is N(0, I) noise; recipe.options.noise is uniform")
        return torch.rand(count, latent, generator=gen)

    def loss(batch, z):
        return energy_distance(phi(z), batch, beta, loss_options["estimator"] == "unbiased")

    return phi, noise, loss, int(o["generatedBatch"])


def run_energy(recipe, data, generator, n):
    phi, noise, loss, generated = energy_setup(recipe, data.shape[1])
    seconds, last = train(lambda batch: loss(batch, noise(generated or batch.shape[0])), phi.parameters(), data, recipe, "recipe")
    with torch.no_grad():
        samples = phi(noise(n, generator))
    return samples, seconds, last, None, 1


# --------------------------------------------------------------------------------------------
# 3-4. Coupling flows by maximum likelihood: log p(x) = log N(ψ⁻¹(x); 0, I) + log|det Dψ⁻¹(x)|
#    (Dinh et al. 2017; Papamakarios et al. 2021). Per block, data → noise: ActNorm, coupling
#    (transforming coordinates ≥ ⌊d/2⌋), then a mixing layer between blocks (Glow's flow step).
#    pfm: likelihood/objectives/coupling-flow-specs.ts, flow-training-run.ts, bijectors/*.ts
#    The layers are in twin_flows.py (shared with mnist-twin.py).
# --------------------------------------------------------------------------------------------

def run_coupling_flow(recipe, data, generator, n, test):
    method, dim = recipe["method"], data.shape[1]
    if dim < 2:
        raise RecipeError(f"--train: {method} coupling layers need dim ≥ 2, the data has {dim} column(s)")
    o = coupling_flow_options(recipe["options"], method, dim)
    net = network_options(recipe["model"], COUPLING_NETWORK_FIELDS, "recipe.model", ignore_others=True)
    torch.manual_seed(recipe["rngSeed"])
    flow = build_coupling_flow(method, o, net, dim, recipe["rngSeed"])
    if o["actnorm"]:
        flow.initialize(data)
    scale = float(o["noiseScale"])

    def loss_fn(batch):
        # −(1/B) Σ log p(x̃_b), x̃ = x + σu: u ~ U[−½, ½)^d or N(0, I) when dequantising.
        if o["noise"] == "uniform":
            batch = batch + scale * (torch.rand_like(batch) - 0.5)
        elif o["noise"] == "gaussian":
            batch = batch + scale * torch.randn_like(batch)
        return -flow.log_prob(batch).mean()

    seconds, loss = train(loss_fn, flow.parameters(), data, recipe, "recipe")
    with torch.no_grad():
        samples = flow.to_data(base_noise(n, dim, generator))
        log_p = torch.cat([flow.log_prob(chunk) for chunk in torch.split(test, 4096)])
        nll = -log_p.double().mean().item()
    return samples, seconds, loss, nll if math.isfinite(nll) else None, 1


# --------------------------------------------------------------------------------------------
# 5. distill (direct): a one-step map ψ regressed on a fixed set of (z, χ₁(z)) pairs made once by
#    the teacher flow, min_ψ E ‖ψ(z) − χ₁(z)‖² (Liu et al. 2023 §2.3; Luhman & Luhman 2021).
#    pfm: flows/objectives/distill.ts (the bench trains the teacher recipe first, same data and seed)
# --------------------------------------------------------------------------------------------

def run_distill(recipe, data, generator, n, teacher_raw):
    o = read_fields(recipe["options"], {"teacher": None, "mode": "direct", "pairs": 4096, "teacherIntegrator": None,
                                        "teacherSteps": None, "startSteps": 64, "finalSteps": 1}, "recipe.options")
    choice(o["mode"], ["direct"], "recipe.options.mode")
    net = network_options(recipe["model"], MLP_FIELDS, "recipe.model")
    if o["teacherIntegrator"] is not None:
        choice(o["teacherIntegrator"], list(TABLEAUX), "recipe.options.teacherIntegrator")
    if o["teacherSteps"] is not None and not (isinstance(o["teacherSteps"], int) and o["teacherSteps"] > 0):
        raise RecipeError("recipe.options.teacherSteps: must be a positive integer")
    if teacher_raw is None:
        raise RecipeError("recipe.options.teacher: distill needs --teacher-recipe (the twin trains the teacher itself)")
    teacher_recipe = parse_recipe(teacher_raw, "teacher")
    choice(teacher_recipe["method"], ["flow-matching", "ot-flow-matching"], "teacher.method")
    # As the bench: the teacher runs with the student's (the matrix's) seed.
    teacher_recipe["seed"], teacher_recipe["rngSeed"] = recipe["seed"], recipe["rngSeed"]
    field, teacher_options, teacher_seconds, _ = train_flow_matching(teacher_recipe, data, "teacher")
    note(f"teacher trained in {teacher_seconds:.1f} s")
    sampler = dict(teacher_options["sampler"])
    if o["teacherIntegrator"] is not None:
        sampler["integrator"] = o["teacherIntegrator"]
    if o["teacherSteps"] is not None:
        sampler["steps"] = o["teacherSteps"]

    dim = data.shape[1]
    torch.manual_seed(recipe["rngSeed"])
    psi = mlp(dim, dim, net["hidden"], net["activation"], net["outputActivation"], float(net["finalScale"]))
    pairs = int(o["pairs"])
    noise = torch.randn(pairs, dim)
    target = flow_transport(field, noise, sampler)

    def loss_fn(batch):
        # The data batch only sets the size: B pairs drawn uniformly with replacement.
        index = torch.randint(pairs, (batch.shape[0],))
        return torch.mean((psi(noise[index]) - target[index]) ** 2)

    seconds, loss = train(loss_fn, psi.parameters(), data, recipe, "recipe")
    with torch.no_grad():
        samples = psi(base_noise(n, dim, generator))
    # trainSeconds counts both training loops (teacher + student), as the parity harness does for pfm.
    return samples, teacher_seconds + seconds, loss, None, 1


# --------------------------------------------------------------------------------------------

def read_csv(path, flag):
    try:
        values = np.loadtxt(path, delimiter=",", dtype=np.float32, ndmin=2)
    except (OSError, ValueError) as error:
        raise SystemExit(f"parity-twin: {flag} {path}: {error}")
    if values.shape[0] == 0 or not np.all(np.isfinite(values)):
        raise SystemExit(f"parity-twin: {flag} {path}: needs at least one row, every value finite")
    return torch.from_numpy(values)


def read_json(path, flag):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as error:
        raise SystemExit(f"parity-twin: {flag} {path}: {error}")


def main():
    parser = argparse.ArgumentParser(description="PyTorch twin of a pfm training recipe")
    parser.add_argument("--recipe", required=True)
    parser.add_argument("--train", required=True)
    parser.add_argument("--test", required=True)
    parser.add_argument("--samples", type=int, required=True)
    parser.add_argument("--sample-seed", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--teacher-recipe")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--sample-noise", help="float32 [samples, dim] N(0, I) noise to map to the samples instead of a draw seeded by --sample-seed")
    args = parser.parse_args()

    torch.set_num_threads(max(1, args.threads))
    torch.set_default_dtype(torch.float32)
    try:
        recipe = parse_recipe(read_json(args.recipe, "--recipe"), "recipe")
        teacher_raw = read_json(args.teacher_recipe, "--teacher-recipe") if args.teacher_recipe else None
        train_data = read_csv(args.train, "--train")
        test_data = read_csv(args.test, "--test")
        if test_data.shape[1] != train_data.shape[1]:
            raise SystemExit(f"parity-twin: --test has {test_data.shape[1]} columns, --train {train_data.shape[1]}")
        torch.manual_seed(recipe["rngSeed"])
        np.random.seed(recipe["rngSeed"])
        generator = torch.Generator().manual_seed(args.sample_seed)
        if args.sample_noise:
            noise = np.fromfile(args.sample_noise, dtype=np.float32)
            if noise.size != args.samples * train_data.shape[1]:
                raise SystemExit(f"parity-twin: --sample-noise {args.sample_noise}: {noise.size} values, expected {args.samples} × {train_data.shape[1]}")
            generator = torch.from_numpy(noise.reshape(args.samples, train_data.shape[1]))
        method, n = recipe["method"], args.samples
        if method in ("flow-matching", "ot-flow-matching"):
            result = run_flow_matching(recipe, train_data, generator, n)
        elif method == "energy":
            result = run_energy(recipe, train_data, generator, n)
        elif method in ("realnvp", "nsf"):
            result = run_coupling_flow(recipe, train_data, generator, n, test_data)
        elif method == "distill":
            result = run_distill(recipe, train_data, generator, n, teacher_raw)
        else:
            raise RecipeError(f"recipe.method: {json.dumps(method)} is not implemented by the PyTorch twin "
                              "(known: flow-matching, ot-flow-matching, energy, realnvp, nsf, distill)")
    except RecipeError as error:
        note(str(error))
        sys.exit(2)

    samples, seconds, loss, nll, nfe = result
    np.savetxt(args.out, samples.detach().numpy(), fmt="%.7g", delimiter=",")
    print(json.dumps({"method": method, "trainSeconds": round(seconds, 4),
                      "finalLoss": loss if math.isfinite(loss) else None, "nll": nll, "nfe": nfe}), flush=True)


if __name__ == "__main__":
    main()
