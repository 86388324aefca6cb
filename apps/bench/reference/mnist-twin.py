#!/usr/bin/env python3
"""PyTorch twin of pfm's image training on MNIST (optional reference for the benchmark).

Trains one pfm recipe (the JSON object of the CLI's --config) on an MNIST split written by
`pfm data mnist --split train --out train.npy` with the same networks as pfm's image maps
(core/maps/conv-generator.ts, conv-encoder.ts, unet.ts, layer-ops.ts, layer-parameters.ts), the
same losses and Adam, then writes samples. pfm itself never needs this script (nor Python).

    OMP_NUM_THREADS=1 python3 mnist-twin.py --recipe RECIPE.json --train train.npy \
        --samples N --sample-seed S --out twin.npy [--threads 1] [--time-limit MINUTES] [--test test.npy]

Methods: energy, mmd (Gaussian kernel, median bandwidth), gan (non-saturating), wgan-gp, vae
(continuous Bernoulli or Bernoulli decoder, conv-encoder and conv-generator networks), realnvp
and nsf (dequantised pixels through the logit transform, the parity twin's coupling blocks), flow-matching
(independent coupling, fixed-step Runge-Kutta sampling, Euler by default), distill (mode direct:
a conv-generator regressed on (z, χ₁(z)) pairs of a flow-matching teacher, as pfm's
flows/objectives/distill.ts), each with the recipe's `ema` (pfm's core/train/ema-decay.ts rule)
when given. Networks: `model.type` conv-generator,
conv-encoder or unet, or pfm's image defaults by role (generators conv-generator with latent 64,
velocity fields unet, critics conv-encoder). Intended differences: the framework and the random
streams; the initial weights follow the same laws (W, b ~ U(±1/sqrt(fan_in)), GroupNorm 1 and 0).
A method, option or model field this twin does not implement exits with code 2 and one stderr
line naming the field.

distill also needs its teacher's recipe (`--teacher TEACHER.json`, a flow-matching recipe; the
MNIST track writes it beside the recipe as METHOD-seedS.teacher.json). With `--teacher-weights
FILE` the teacher's weights are read from FILE when it exists, else the teacher is trained (within
the same --time-limit) and saved there; `--save-weights FILE` saves the trained network (with its
EMA applied) of any run, so a flow-matching run can hand its field to the distillation as pfm's
track does.

Output: the samples as .npy of shape (n, 28, 28, 1) float32 (--out), then ONE line on stdout:
    {"method": ID, "trainSeconds": s, "stepsPerSecond": r, "nfe": k, "bpd": b, "parameters": p}
`bpd` is the mean bits/dim of the `--test FILE` digits (.npy, same shape as --train) for the
density models on dequantised pixels (realnvp, nsf, vae with dequantize), null otherwise.
`parameters` counts the trainable scalars of the sampling network (pfm's count for the same
options is the same number). Progress and diagnostics go to stderr.

    python3 mnist-twin.py --count-parameters RECIPE.json
prints {"generator"|"velocity": p, "critic": q} for the recipe's networks on 28x28x1 images.

    OMP_NUM_THREADS=1 python3 mnist-twin.py --speed '{"case": "train-unet-mnist", "threads": 1, "repeats": 5, "steps": 2}'
times one training step of a speed case (train-unet-mnist: flow matching with the default unet;
train-conv-generator-mnist: the energy generator with the default conv-generator; batch 64) and
prints {"case", "threads", "parameters", "stepsPerSecond": [one rate per repeat], "stepsPerCpuSecond":
[the same per CPU second of the process]}.
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
from twin_flows import CouplingFlow, build_coupling_flow, coupling_flow_options  # noqa: E402 (the twins' shared modules, beside them)
from twin_recipe import BatchIndexer, RecipeError, choice, read_fields  # noqa: E402

IMAGE = (28, 28, 1)
IMAGE_LATENT_DIM = 64  # pfm's core/model/generator-model.ts


def note(message):
    print(f"mnist-twin: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Recipe fields and defaults (pfm's core/train/recipe.ts, optimizer.ts, ema.ts)
# --------------------------------------------------------------------------------------------

RECIPE_FIELDS = {"method", "options", "model", "optimizer", "steps", "batchSize", "seed", "ema"}
OPTIMIZER_DEFAULTS = {"name": "adam", "lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
EMA_DEFAULTS = {"decay": None, "warmupSteps": 0}


def positive_int(value, where):
    if not (isinstance(value, int) and not isinstance(value, bool) and value > 0):
        raise RecipeError(f"{where}: expected a positive integer, got {json.dumps(value)}")
    return value


def int_list(value, where, minimum):
    if not (isinstance(value, list) and len(value) >= minimum and all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value)):
        raise RecipeError(f"{where}: expected a list of at least {minimum} positive integers, got {json.dumps(value)}")
    return value


def parse_recipe(raw):
    """The recipe with pfm's defaults: steps 2000, batch 256, seed 0, Adam lr 1e-3, no EMA."""
    if not isinstance(raw, dict):
        raise RecipeError("recipe must be a JSON object")
    for key in raw:
        if key not in RECIPE_FIELDS:
            raise RecipeError(f"recipe.{key}: not implemented by the PyTorch twin (known: {', '.join(sorted(RECIPE_FIELDS))})")
    if not isinstance(raw.get("method"), str):
        raise RecipeError("recipe.method: required (an objective id)")
    optimizer = read_fields(raw.get("optimizer"), OPTIMIZER_DEFAULTS, "recipe.optimizer")
    choice(optimizer["name"], ["adam"], "recipe.optimizer.name")
    ema = None
    if raw.get("ema") is not None:
        ema = read_fields(raw["ema"], EMA_DEFAULTS, "recipe.ema")
        if not (isinstance(ema["decay"], (int, float)) and 0 <= ema["decay"] < 1):
            raise RecipeError(f"recipe.ema.decay: expected a number in [0, 1), got {json.dumps(ema['decay'])}")
        if not (isinstance(ema["warmupSteps"], int) and ema["warmupSteps"] >= 0):
            raise RecipeError(f"recipe.ema.warmupSteps: expected an integer ≥ 0, got {json.dumps(ema['warmupSteps'])}")
    recipe = {
        "method": raw["method"],
        "options": raw.get("options") or {},
        "model": raw.get("model") or {},
        "optimizer": optimizer,
        "steps": positive_int(raw.get("steps", 2000), "recipe.steps"),
        "batchSize": positive_int(raw.get("batchSize", 256), "recipe.batchSize"),
        "seed": int(raw.get("seed", 0)),
        "ema": ema,
    }
    recipe["rngSeed"] = recipe["seed"] % 2**32
    return recipe


# --------------------------------------------------------------------------------------------
# Layers (pfm's core/maps/layer-ops.ts). pfm works in NHWC, the twin in NCHW; the flattening and
# reshaping steps permute so that a row of 784 values means the same pixels in both.
# --------------------------------------------------------------------------------------------

def silu(x):
    return F.silu(x)


ACTIVATIONS = {
    "relu": F.relu, "silu": F.silu, "tanh": torch.tanh, "selu": F.selu,
    "gelu": F.gelu,  # exact x·Φ(x), as pfm's
    "elu": F.elu, "sigmoid": torch.sigmoid, "softplus": F.softplus, "linear": lambda x: x,
}


class SameConv(nn.Module):
    """tfjs conv2d(x, W, stride, 'same') + b: output ⌈h/s⌉ × ⌈w/s⌉; the padding of TensorFlow's
    'same' puts the odd pixel at the bottom/right (total = max((⌈h/s⌉ − 1)s + k − h, 0), top =
    ⌊total/2⌋), which for stride 2 on an even size is (0, 1), not PyTorch's padding=1 (1, 1).
    nn.Conv2d's default initialisation is pfm's law U(±1/sqrt(c_in k²)) for W and b; `scale`
    multiplies both (pfm's finalScale)."""

    def __init__(self, c_in, c_out, k, stride=1, scale=1.0):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, k, stride=stride, padding=0)
        self.k, self.stride = k, stride
        if scale != 1.0:
            with torch.no_grad():
                self.conv.weight.mul_(scale)
                self.conv.bias.mul_(scale)

    @staticmethod
    def pads(size, k, s):
        out = -(-size // s)
        total = max((out - 1) * s + k - size, 0)
        return total // 2, total - total // 2

    def forward(self, x):
        top, bottom = self.pads(x.shape[2], self.k, self.stride)
        left, right = self.pads(x.shape[3], self.k, self.stride)
        if top == bottom and left == right:
            return F.conv2d(x, self.conv.weight, self.conv.bias, self.stride, (top, left))
        return self.conv(F.pad(x, (left, right, top, bottom)))


class GroupNorm(nn.GroupNorm):
    """Wu & He 2018 with ε = 1e-5, γ = 1, β = 0 at start: pfm's layerOps.groupNorm (contiguous
    channel groups, biased variance over (h, w, C/G))."""

    def __init__(self, groups, channels):
        super().__init__(groups, channels, eps=1e-5)


def upsample(x):
    """Nearest ×2 (tf.image.resizeNearestNeighbor to [2h, 2w]: source pixel ⌊i/2⌋)."""
    return F.interpolate(x, scale_factor=2, mode="nearest")


def crop(x, h, w):
    return x[:, :, :h, :w]


# --------------------------------------------------------------------------------------------
# Networks
# --------------------------------------------------------------------------------------------

CONV_GENERATOR_FIELDS = {"type": None, "channels": [64, 32, 16], "upsample": "nearest-conv", "norm": "group", "groups": 8,
                         "activation": "silu", "outputActivation": "sigmoid", "finalScale": 1.0}
CONV_ENCODER_FIELDS = {"type": None, "channels": [32, 64], "hidden": [], "norm": "none", "groups": 8,
                       "activation": "silu", "outputActivation": "linear"}
UNET_FIELDS = {"type": None, "channels": 16, "channelMult": [1, 2, 2], "blocks": 1, "groups": 8,
               "timeFrequencies": 16, "timeScale": 1000.0, "finalScale": 0.0}


def check_groups(channels, groups, where):
    bad = [c for c in channels if c % groups != 0]
    if bad:
        raise RecipeError(f"{where}.groups: {groups} groups do not divide {bad[0]} channels")


class ConvGenerator(nn.Module):
    """pfm's conv-generator: z ↦ dense → [h₀, w₀, c₀] → U × (×2 nearest + 3×3 conv | 4×4 transposed
    conv of stride 2, GroupNorm, σ) → 3×3 conv → crop → σ_out (Radford et al. 2016)."""

    def __init__(self, latent, o, shape=IMAGE):
        super().__init__()
        h, w, c = shape
        ch = o["channels"]
        ups = len(ch) - 1
        self.shape, self.o, self.ch = shape, o, ch
        self.h0, self.w0 = -(-h // 2**ups), -(-w // 2**ups)
        self.project = nn.Linear(latent, self.h0 * self.w0 * ch[0])
        group = o["norm"] == "group"
        self.norms = nn.ModuleList([GroupNorm(o["groups"], ch[i]) for i in range(len(ch))] if group else [])
        if o["upsample"] == "transposed":
            # 'same' 4×4 stride 2 of tfjs conv2dTranspose to [2h, 2w] = padding 1 on each side;
            # nn.ConvTranspose2d's fan_in is c_out·k² as pfm's law says.
            self.ups = nn.ModuleList([nn.ConvTranspose2d(ch[i - 1], ch[i], 4, stride=2, padding=1) for i in range(1, ups + 1)])
        else:
            self.ups = nn.ModuleList([SameConv(ch[i - 1], ch[i], 3) for i in range(1, ups + 1)])
        self.out = SameConv(ch[ups], c, 3, scale=float(o["finalScale"]))

    def hidden(self, x, i):
        if self.o["norm"] == "group":
            x = self.norms[i](x)
        return ACTIVATIONS[self.o["activation"]](x)

    def forward(self, z):
        h, w, c = self.shape
        n = z.shape[0]
        x = self.project(z).reshape(n, self.h0, self.w0, self.ch[0]).permute(0, 3, 1, 2)
        x = self.hidden(x, 0)
        for i, layer in enumerate(self.ups):
            x = self.hidden(layer(x) if self.o["upsample"] == "transposed" else layer(upsample(x)), i + 1)
        image = ACTIVATIONS[self.o["outputActivation"]](crop(self.out(x), h, w))
        return image.permute(0, 2, 3, 1).reshape(n, h * w * c)


class ConvEncoder(nn.Module):
    """pfm's conv-encoder: x ↦ L × (3×3 conv of stride 2, [GroupNorm], σ) → flatten → dense → σ_out."""

    def __init__(self, output_dim, o, shape=IMAGE):
        super().__init__()
        h, w, c = shape
        self.shape, self.o = shape, o
        convs, norms = [], []
        gh, gw, gc = h, w, c
        for channels in o["channels"]:
            convs.append(SameConv(gc, channels, 3, stride=2))
            if o["norm"] == "group":
                norms.append(GroupNorm(o["groups"], channels))
            gh, gw, gc = -(-gh // 2), -(-gw // 2), channels
        self.convs, self.norms = nn.ModuleList(convs), nn.ModuleList(norms)
        widths = [gh * gw * gc, *o["hidden"], output_dim]
        self.dense = nn.ModuleList([nn.Linear(widths[i], widths[i + 1]) for i in range(len(widths) - 1)])

    def forward(self, x):
        h, w, c = self.shape
        n = x.shape[0]
        g = x.reshape(n, h, w, c).permute(0, 3, 1, 2)
        for i, conv in enumerate(self.convs):
            y = conv(g)
            g = ACTIVATIONS[self.o["activation"]](self.norms[i](y) if self.o["norm"] == "group" else y)
        f = g.permute(0, 2, 3, 1).reshape(n, -1)
        for i, layer in enumerate(self.dense):
            last = i + 1 == len(self.dense)
            f = ACTIVATIONS[self.o["outputActivation"] if last else self.o["activation"]](layer(f))
        return f


class ResBlock(nn.Module):
    """GN → SiLU → conv3×3 → + dense(e(t)) → GN → SiLU → conv3×3, skip 1×1 conv when the width
    changes (Ho et al. 2020, App. B; pfm's unet.ts applyRes)."""

    def __init__(self, c_in, c_out, time_width, groups):
        super().__init__()
        self.norm1 = GroupNorm(groups, c_in)
        self.conv1 = SameConv(c_in, c_out, 3)
        self.time = nn.Linear(time_width, c_out)
        self.norm2 = GroupNorm(groups, c_out)
        self.conv2 = SameConv(c_out, c_out, 3)
        self.skip = SameConv(c_in, c_out, 1) if c_in != c_out else None

    def forward(self, x, temb):
        y = self.conv1(silu(self.norm1(x)))
        y = y + self.time(temb)[:, :, None, None]
        y = self.conv2(silu(self.norm2(y)))
        return (self.skip(x) if self.skip is not None else x) + y


class Unet(nn.Module):
    """pfm's unet v(t, x): sinusoidal e(t) (ω_k = s·exp(−ln(10⁴) k/(F − 1))) → dense → SiLU →
    dense → SiLU; input conv; per level `blocks` residual blocks then a stride-2 conv; a middle
    block; per level up `blocks` + 1 residual blocks on [g, skip] then nearest ×2 + conv; GN →
    SiLU → conv3×3 at finalScale (Ronneberger et al. 2015; Ho et al. 2020, App. B)."""

    def __init__(self, o, shape=IMAGE):
        super().__init__()
        h, w, c = shape
        self.shape = shape
        mult = o["channelMult"]
        levels = len(mult)
        multiple = 2 ** (levels - 1)
        self.ph, self.pw = -(-h // multiple) * multiple, -(-w // multiple) * multiple
        widths = [m * o["channels"] for m in mult]
        freq = o["timeFrequencies"]
        time_width = 4 * o["channels"]
        groups = o["groups"]
        self.time1 = nn.Linear(2 * freq, time_width)
        self.time2 = nn.Linear(time_width, time_width)
        omegas = [float(o["timeScale"]) * math.exp(-math.log(10000) * k / max(freq - 1, 1)) for k in range(freq)]
        self.register_buffer("omegas", torch.tensor(omegas, dtype=torch.float32))
        self.input = SameConv(c, widths[0], 3)
        skips = [widths[0]]
        width = widths[0]
        self.down_blocks, self.downsamples = nn.ModuleList(), nn.ModuleList()
        for level in range(levels):
            blocks = nn.ModuleList()
            for _ in range(o["blocks"]):
                blocks.append(ResBlock(width, widths[level], time_width, groups))
                width = widths[level]
                skips.append(width)
            self.down_blocks.append(blocks)
            if level + 1 < levels:
                self.downsamples.append(SameConv(width, width, 3, stride=2))
                skips.append(width)
        self.middle = ResBlock(width, width, time_width, groups)
        self.up_blocks, self.upsamples = nn.ModuleList(), nn.ModuleList()
        for level in range(levels - 1, -1, -1):
            blocks = nn.ModuleList()
            for _ in range(o["blocks"] + 1):
                blocks.append(ResBlock(width + skips.pop(), widths[level], time_width, groups))
                width = widths[level]
            self.up_blocks.append(blocks)
            if level > 0:
                self.upsamples.append(SameConv(width, width, 3))
        self.out_norm = GroupNorm(groups, width)
        self.output = SameConv(width, c, 3, scale=float(o["finalScale"]))

    def forward(self, t, x):
        h, w, c = self.shape
        n = x.shape[0]
        tc = t.reshape(-1, 1).expand(n, 1) if torch.is_tensor(t) else torch.full((n, 1), float(t))
        angles = tc * self.omegas
        temb = silu(self.time2(silu(self.time1(torch.cat([torch.sin(angles), torch.cos(angles)], 1)))))
        g = x.reshape(n, h, w, c).permute(0, 3, 1, 2)
        g = self.input(F.pad(g, (0, self.pw - w, 0, self.ph - h)))
        kept = [g]
        for level, blocks in enumerate(self.down_blocks):
            for block in blocks:
                g = block(g, temb)
                kept.append(g)
            if level < len(self.downsamples):
                g = self.downsamples[level](g)
                kept.append(g)
        g = self.middle(g, temb)
        for level, blocks in enumerate(self.up_blocks):
            for block in blocks:
                g = block(torch.cat([g, kept.pop()], 1), temb)
            if level < len(self.upsamples):
                g = self.upsamples[level](upsample(g))
        out = self.output(silu(self.out_norm(g)))
        return crop(out, h, w).permute(0, 2, 3, 1).reshape(n, h * w * c)


def image_network_options(model, role, where):
    """pfm's networkSpec: `model.type` or the role's image default, the rest of `model` as options."""
    defaults = {"generator": "conv-generator", "decoder": "conv-generator", "critic": "conv-encoder", "encoder": "conv-encoder", "velocity": "unet"}
    kind = model.get("type", defaults[role])
    allowed = [defaults[role]]
    choice(kind, allowed, f"{where}.type")
    fields = {"conv-generator": CONV_GENERATOR_FIELDS, "conv-encoder": CONV_ENCODER_FIELDS, "unet": UNET_FIELDS}[kind]
    o = read_fields(model, fields, where)
    if kind == "conv-generator":
        int_list(o["channels"], f"{where}.channels", 2)
        choice(o["upsample"], ["nearest-conv", "transposed"], f"{where}.upsample")
        choice(o["norm"], ["none", "group"], f"{where}.norm")
        choice(o["activation"], list(ACTIVATIONS), f"{where}.activation")
        choice(o["outputActivation"], list(ACTIVATIONS), f"{where}.outputActivation")
        if o["norm"] == "group":
            check_groups(o["channels"], o["groups"], where)
    elif kind == "conv-encoder":
        int_list(o["channels"], f"{where}.channels", 1)
        int_list(o["hidden"], f"{where}.hidden", 0)
        choice(o["norm"], ["none", "group"], f"{where}.norm")
        choice(o["activation"], list(ACTIVATIONS), f"{where}.activation")
        choice(o["outputActivation"], list(ACTIVATIONS), f"{where}.outputActivation")
        if o["norm"] == "group":
            check_groups(o["channels"], o["groups"], where)
    else:
        positive_int(o["channels"], f"{where}.channels")
        int_list(o["channelMult"], f"{where}.channelMult", 1)
        if len(o["channelMult"]) > 4:
            raise RecipeError(f"{where}.channelMult: at most 4 levels, got {len(o['channelMult'])}")
        positive_int(o["blocks"], f"{where}.blocks")
        positive_int(o["timeFrequencies"], f"{where}.timeFrequencies")
        check_groups([m * o["channels"] for m in o["channelMult"]], o["groups"], where)
    return o


def parameter_count(module):
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


# --------------------------------------------------------------------------------------------
# Losses
# --------------------------------------------------------------------------------------------

def squared_distances(a, b):
    """‖a_i − b_j‖² = ‖a_i‖² + ‖b_j‖² − 2 a_i·b_j clamped at 0 (pfm's squaredDistances)."""
    return torch.relu((a * a).sum(1, keepdim=True) + (b * b).sum(1)[None, :] - 2 * a @ b.T)


def pair_mean(values, exclude_diagonal):
    n, m = values.shape
    if not exclude_diagonal:
        return values.sum() / (n * m)
    return (values.sum() - values.diagonal().sum()) / (n * (n - 1))


def safe_norm(d2):
    """√d² with value and gradient 0 where d² = 0 (pfm's safePower)."""
    positive = d2 > 0
    return torch.where(positive, torch.sqrt(torch.where(positive, d2, torch.ones_like(d2))), torch.zeros_like(d2))


def energy_distance(x, y, unbiased=True):
    """2E‖X − Y‖ − E‖X − X'‖ − E‖Y − Y'‖, pairs i ≠ j inside each sample when unbiased
    (Székely & Rizzo 2013, eq. 3.3; pfm's ipm/energy/energy-distance.ts with β = 1)."""
    return (2 * pair_mean(safe_norm(squared_distances(x, y)), False)
            - pair_mean(safe_norm(squared_distances(x, x)), unbiased)
            - pair_mean(safe_norm(squared_distances(y, y)), unbiased))


def median_distance(x, y, max_points=512):
    """Median ‖z_i − z_j‖ over pairs i < j of at most 512 evenly strided pooled points (pfm's
    medianDistance, Gretton et al. 2012 §8); 1 when every distance is 0."""
    pooled = torch.cat([x, y]).detach().double()
    total = pooled.shape[0]
    count = min(total, max_points)
    pooled = pooled[torch.tensor([c * total // count for c in range(count)])]
    upper = torch.triu_indices(count, count, 1)
    d = torch.cdist(pooled, pooled, compute_mode="donot_use_mm_for_euclid_dist")[upper[0], upper[1]]
    if d.numel() == 0:
        return 1.0
    d, _ = d.sort()
    mid = d.numel() // 2
    median = d[mid].item() if d.numel() % 2 == 1 else 0.5 * (d[mid - 1].item() + d[mid].item())
    return median if median > 0 else 1.0


def gaussian_mmd(x, y, unbiased=True):
    """MMD² = E k(X, X') + E k(Y, Y') − 2 E k(X, Y), k = exp(−‖·‖²/(2ℓ²)), ℓ the median distance
    (Gretton et al. 2012, eqs. 3 and 5; pfm's ipm/mmd/mmd.ts with the default kernel)."""
    rate = -1 / (2 * median_distance(x, y) ** 2)
    k = lambda a, b: torch.exp(squared_distances(a, b) * rate)  # noqa: E731
    return pair_mean(k(x, x), unbiased) + pair_mean(k(y, y), unbiased) - 2 * pair_mean(k(x, y), False)


# --------------------------------------------------------------------------------------------
# Training loop (pfm's core/train/train-step.ts, batch-indexer.ts, ema-weights.ts)
# --------------------------------------------------------------------------------------------

def ema_decay(ema, step):
    """d_s = 0 for s < W, then min(decay, (1 + k)/(10 + k)), k = s − W (pfm's emaDecay)."""
    k = step - ema["warmupSteps"]
    return 0.0 if k < 0 else min(ema["decay"], (1 + k) / (10 + k))


class EmaWeights:
    """θ̄ ← θ̄ − (1 − d_s)(θ̄ − θ) after each step; copied into the network at the end."""

    def __init__(self, ema, module):
        self.ema = ema
        self.params = [p for p in module.parameters() if p.requires_grad]
        self.averages = [p.detach().clone() for p in self.params]

    @torch.no_grad()
    def update(self, step):
        rate = 1 - ema_decay(self.ema, step)
        for avg, p in zip(self.averages, self.params):
            if rate == 1:
                avg.copy_(p)
            else:
                avg.sub_((avg - p) * rate)

    @torch.no_grad()
    def copy_to_network(self):
        for avg, p in zip(self.averages, self.params):
            p.copy_(avg)


class Player:
    """One network with its Adam, its loss(batch) and its updates per step (pfm's Player)."""

    def __init__(self, name, module, loss, optimizer, updates=1, initialize=None):
        self.name, self.module, self.loss, self.updates = name, module, loss, updates
        self.initialize = initialize  # data-dependent initialisation on the training rows (ActNorm), or None
        c = optimizer
        self.optimizer = torch.optim.Adam(module.parameters(), lr=c["lr"], betas=(c["beta1"], c["beta2"]), eps=c["epsilon"])


def update(player, batch, step):
    """One Adam step of `player` on `batch`; a non-finite loss or gradient stops the run."""
    loss = player.loss(batch)
    player.optimizer.zero_grad(set_to_none=True)
    loss.backward()
    grads = [p.grad for p in player.module.parameters() if p.grad is not None]
    grad_sq = sum(torch.sum(g * g) for g in grads).item()
    value = loss.item()
    if not (math.isfinite(value) and math.isfinite(grad_sq)):
        what = f"loss is {value}" if not math.isfinite(value) else f"gradient norm is {math.sqrt(grad_sq) if grad_sq >= 0 else grad_sq}"
        raise RuntimeError(f"training diverged at step {step + 1}: player \"{player.name}\" {what}")
    player.optimizer.step()
    return value


def train(players, data, recipe, time_limit):
    """`steps` steps (fewer when `time_limit` seconds run out); each step updates players[0] then
    the others, each `updates` times on its own minibatch; the EMA of players[0] follows.
    Returns (seconds, steps done)."""
    steps, batch_size = recipe["steps"], recipe["batchSize"]
    indexer = BatchIndexer(data.shape[0], batch_size, recipe["rngSeed"])
    per_step = sum(p.updates for p in players)
    ema = EmaWeights(recipe["ema"], players[0].module) if recipe["ema"] is not None else None
    report_every = max(1, steps // 10)
    start = time.perf_counter()
    done = 0
    for step in range(steps):
        k = 0
        losses = {}
        for player in players:
            for _ in range(player.updates):
                losses[player.name] = update(player, data[indexer.indices(step * per_step + k)], step)
                k += 1
        if ema is not None:
            ema.update(step)
        done = step + 1
        seconds = time.perf_counter() - start
        if done % report_every == 0 or done == steps:
            text = ", ".join(f"{name} {value:.5g}" for name, value in losses.items())
            note(f"step {done}/{steps} loss {text} ({done / max(seconds, 1e-9):.2f} steps/s)")
        if time_limit is not None and seconds >= time_limit:
            note(f"time limit: stopped after {done} of {steps} steps")
            break
    seconds = time.perf_counter() - start
    if ema is not None:
        ema.copy_to_network()
    return seconds, done


# --------------------------------------------------------------------------------------------
# Methods
# --------------------------------------------------------------------------------------------

GENERATOR_OPTIONS = {"latentDim": 0, "noise": "gaussian"}


def noise_of(o, latent):
    def draw(count, generator=None):
        if o["noise"] == "uniform":
            return torch.rand(count, latent, generator=generator)
        return torch.randn(count, latent, generator=generator)
    return draw


def statistics_matching(recipe):
    """energy / mmd: one-step generator φ, loss D(φ(z), batch) (Cabannes 2023 §2; pfm's
    ipm/objectives/statistics-matching.ts)."""
    method = recipe["method"]
    loss_defaults = {"exponent": 1.0, "estimator": "unbiased", "tileSize": None, "fused": None} if method == "energy" \
        else {"kernel": "gaussian", "estimator": "unbiased", "tileSize": None, "fused": None}
    o = read_fields(recipe["options"], {**GENERATOR_OPTIONS, "generatedBatch": 0, "loss": {}}, "recipe.options")
    choice(o["noise"], ["gaussian", "uniform"], "recipe.options.noise")
    loss_o = read_fields(o["loss"], loss_defaults, "recipe.options.loss")
    choice(loss_o["estimator"], ["unbiased", "biased"], "recipe.options.loss.estimator")
    if method == "energy":
        choice(loss_o["exponent"], [1, 1.0], "recipe.options.loss.exponent")
    else:
        choice(loss_o["kernel"], ["gaussian"], "recipe.options.loss.kernel")
    unbiased = loss_o["estimator"] == "unbiased"
    latent = int(o["latentDim"]) or IMAGE_LATENT_DIM
    generator = ConvGenerator(latent, image_network_options(recipe["model"], "generator", "recipe.model"))
    draw = noise_of(o, latent)
    discrepancy = energy_distance if method == "energy" else gaussian_mmd

    def loss(batch):
        m = o["generatedBatch"] or batch.shape[0]
        return discrepancy(generator(draw(m)), batch, unbiased)

    player = Player("generator", generator, loss, recipe["optimizer"])
    return [player], lambda n, g: generator(draw(n, g)), 1


def adversarial_networks(recipe, o):
    """The generator (pfm's image default, a conv-generator), the critic (a conv-encoder with
    criticHidden dense layers) and the noise of an adversarial recipe's options `o`."""
    int_list(o["criticHidden"], "recipe.options.criticHidden", 0)
    positive_int(o["criticSteps"], "recipe.options.criticSteps")
    latent = int(o["latentDim"]) or IMAGE_LATENT_DIM
    generator = ConvGenerator(latent, image_network_options(recipe["model"], "generator", "recipe.model"))
    critic_o = image_network_options({"hidden": o["criticHidden"], "activation": o["criticActivation"]}, "critic", "recipe.options")
    critic = ConvEncoder(1, critic_o)
    draw = noise_of(o, latent)
    return generator, critic, draw


def adversarial_players(recipe, o, generator, critic, generator_loss, critic_loss):
    """The generator's player on the recipe's Adam, and the critic's with criticLr / criticBeta1 /
    criticBeta2 over it and criticSteps updates per step (pfm's ipm/objectives/adversarial.ts)."""
    critic_optimizer = dict(recipe["optimizer"])
    for key, field in (("lr", "criticLr"), ("beta1", "criticBeta1"), ("beta2", "criticBeta2")):
        if o[field] is not None:
            critic_optimizer[key] = float(o[field])
    return [Player("generator", generator, generator_loss, recipe["optimizer"]),
            Player("critic", critic, critic_loss, critic_optimizer, o["criticSteps"])]


def gan(recipe):
    """Non-saturating GAN (Goodfellow et al. 2014): critic loss softplus(−f(x)) + softplus(f(φ(z))),
    generator loss softplus(−f(φ(z))); the critic is pfm's image default, a conv-encoder with
    criticHidden dense layers (pfm's ipm/objectives/adversarial.ts)."""
    o = read_fields(recipe["options"], {**GENERATOR_OPTIONS, "criticSteps": 1, "criticHidden": [64, 64, 64], "criticActivation": "silu",
                                        "criticLr": None, "criticBeta1": None, "criticBeta2": None}, "recipe.options")
    choice(o["noise"], ["gaussian", "uniform"], "recipe.options.noise")
    choice(o["criticActivation"], ["silu", "tanh", "gelu", "softplus", "relu"], "recipe.options.criticActivation")
    generator, critic, draw = adversarial_networks(recipe, o)

    def generator_loss(batch):
        return F.softplus(-critic(generator(draw(batch.shape[0])))).mean()

    def critic_loss(batch):
        with torch.no_grad():
            fake = generator(draw(batch.shape[0]))
        return F.softplus(-critic(batch)).mean() + F.softplus(critic(fake)).mean()

    return adversarial_players(recipe, o, generator, critic, generator_loss, critic_loss), lambda n, g: generator(draw(n, g)), 1


def wgan_gp(recipe):
    """WGAN-GP (Gulrajani et al. 2017): critic loss E f(φ(z)) − E f(x) + λ E(‖∇f(x̂)‖ − 1)² at
    x̂ = εx + (1 − ε)φ(z), ε ~ U[0, 1] per row (one-sided: λ E max(0, ‖∇f(x̂)‖ − 1)², Petzka et al.
    2018); generator loss −E f(φ(z)); five critic updates per generator update and the critic's
    Adam at β = (0, 0.9) by default (pfm's ipm/objectives/adversarial.ts)."""
    o = read_fields(recipe["options"], {**GENERATOR_OPTIONS, "criticSteps": 5, "criticHidden": [64, 64, 64], "criticActivation": "silu",
                                        "criticLr": None, "criticBeta1": 0.0, "criticBeta2": 0.9, "penalty": 10.0,
                                        "penaltySide": "two-sided"}, "recipe.options")
    choice(o["noise"], ["gaussian", "uniform"], "recipe.options.noise")
    choice(o["criticActivation"], ["silu", "tanh", "gelu", "softplus"], "recipe.options.criticActivation")
    choice(o["penaltySide"], ["two-sided", "one-sided"], "recipe.options.penaltySide")
    generator, critic, draw = adversarial_networks(recipe, o)
    penalty = float(o["penalty"])
    if not penalty >= 0:
        raise RecipeError(f"recipe.options.penalty must be ≥ 0, got {penalty}")

    def generator_loss(batch):
        return -critic(generator(draw(batch.shape[0]))).mean()

    def critic_loss(batch):
        with torch.no_grad():
            fake = generator(draw(batch.shape[0]))
        eps = torch.rand(batch.shape[0], 1)
        mixed = (eps * batch + (1 - eps) * fake).requires_grad_(True)
        (gradient,) = torch.autograd.grad(critic(mixed).sum(), mixed, create_graph=True)
        excess = torch.sqrt((gradient ** 2).sum(1) + 1e-12) - 1
        if o["penaltySide"] == "one-sided":
            excess = F.relu(excess)
        return critic(fake).mean() - critic(batch).mean() + penalty * (excess ** 2).mean()

    return adversarial_players(recipe, o, generator, critic, generator_loss, critic_loss), lambda n, g: generator(draw(n, g)), 1


CB_LOGIT_BOUND = 80.0


def continuous_bernoulli_log_normalizer(logits):
    """log C(ℓ) of the continuous Bernoulli, C = ℓ / tanh(ℓ/2) (even in ℓ), with the Taylor
    expansion log 2 + ℓ²/12 − 7ℓ⁴/1440 below |ℓ| = 1e-2 (Loaiza-Ganem & Cunningham 2019, eq. 2;
    pfm's likelihood/vae/continuous-bernoulli-log-normalizer.ts)."""
    a = logits.abs()
    small = a < 1e-2
    safe = torch.where(small, torch.full_like(a, 1e-2), a)
    exact = torch.log(safe) - torch.log(torch.tanh(0.5 * safe))
    sq = torch.where(small, logits, torch.zeros_like(logits)) ** 2
    return torch.where(small, math.log(2) + sq / 12 - sq ** 2 * (7 / 1440), exact)


def continuous_bernoulli_mean(logits):
    """E x = 1/(1 − e^−ℓ) − 1/ℓ (0.5 + ℓ/12 below |ℓ| = 1e-3), logits clipped to ±80."""
    l = logits.clamp(-CB_LOGIT_BOUND, CB_LOGIT_BOUND)
    small = l.abs() < 1e-3
    safe = torch.where(small, torch.full_like(l, 1e-3), l)
    return torch.where(small, 0.5 + l / 12, -1 / torch.expm1(-safe) - 1 / safe)


class Vae(nn.Module):
    """Encoder q(z | x) = N(m(x), diag s(x)²) with (m, log s) = conv-encoder(x) ∈ R^2k and the
    decoder's logits ℓ = conv-generator(z) with a linear output (pfm's image VAE networks)."""

    def __init__(self, latent, model):
        super().__init__()
        # pfm's VAE reads `model.activation` for both image networks (model.hidden is for vectors).
        m = read_fields(model, {"activation": None, "hidden": None}, "recipe.model")
        conv = {} if m["activation"] is None else {"activation": m["activation"]}
        self.latent = latent
        self.encoder = ConvEncoder(2 * latent, image_network_options(conv, "encoder", "recipe.model"))
        self.decoder = ConvGenerator(latent, {**image_network_options(conv, "decoder", "recipe.model"), "outputActivation": "linear"})


def vae(recipe):
    """VAE (Kingma & Welling 2014): minimise −(1/B) Σ_b ELBO(x_b), ELBO = (1/L) Σ_l log p(x | z_l) −
    KL(q(z | x) ‖ N(0, I)) with z_l = m + s ⊙ ε_l and the closed-form KL ½ Σ (m² + s² − 1 − 2 log s)
    (or its Monte Carlo estimate); p(x | z) Bernoulli or continuous Bernoulli with logits ℓ:
    Σ_i x_i ℓ_i − softplus(ℓ_i) [+ log C(ℓ_i)], on dequantised pixels (x·(levels − 1) + u)/levels
    with `dequantize`; samples are the decoder's mean at z ~ N(0, I) (pfm's likelihood/objectives/vae.ts)."""
    o = read_fields(recipe["options"], {"latentDim": 2, "decoderStd": 1.0, "learnDecoderStd": True, "sampleNoise": False,
                                        "logProbSamples": 1000, "likelihood": "gaussian", "dequantize": False, "levels": 256,
                                        "samples": 1, "analyticKl": True}, "recipe.options")
    choice(o["likelihood"], ["bernoulli", "continuous-bernoulli"], "recipe.options.likelihood")
    choice(o["sampleNoise"], [False], "recipe.options.sampleNoise")
    latent, draws, levels = positive_int(o["latentDim"], "recipe.options.latentDim"), positive_int(o["samples"], "recipe.options.samples"), int(o["levels"])
    if o["dequantize"] and o["likelihood"] == "bernoulli":
        raise RecipeError("recipe.options.dequantize is true with likelihood \"bernoulli\" (a pmf of binary pixels, not a density of dequantised ones)")
    continuous = o["likelihood"] == "continuous-bernoulli"
    model = Vae(latent, recipe["model"])

    def loss(batch):
        x = (batch * (levels - 1) + torch.rand_like(batch)) / levels if o["dequantize"] else batch
        h = model.encoder(x)
        mean, log_std = h[:, :latent], h[:, latent:]
        eps = torch.randn(draws, *mean.shape)
        zs = mean + log_std.exp() * eps
        logits = model.decoder(zs.reshape(-1, latent))
        xs = x.repeat(draws, 1)
        terms = xs * logits - F.softplus(logits)
        if continuous:
            terms = terms + continuous_bernoulli_log_normalizer(logits)
        log_lik = terms.sum(1).reshape(draws, -1).mean(0)
        if o["analyticKl"]:
            kl = 0.5 * (mean ** 2 + (2 * log_std).exp() - 2 * log_std - 1).sum(1)
        else:
            kl = -(0.5 * (eps ** 2 - zs ** 2) + log_std).sum(-1).mean(0)
        return -(log_lik - kl).mean()

    def sample(n, generator):
        logits = model.decoder(torch.randn(n, latent, generator=generator))
        return continuous_bernoulli_mean(logits) if continuous else torch.sigmoid(logits)

    def bits(test):
        # The one-sample importance-weighted bound (Burda et al. 2016, eq. 8 with k = 1), as pfm's
        # bitsPerDim with its default of one sample: log p(x̃ | z) + log N(z; 0, I) − log q(z | x̃).
        x = (test * (levels - 1) + torch.rand_like(test)) / levels
        h = model.encoder(x)
        mean, log_std = h[:, :latent], h[:, latent:]
        eps = torch.randn_like(mean)
        z = mean + log_std.exp() * eps
        logits = model.decoder(z)
        terms = x * logits - F.softplus(logits)
        if continuous:
            terms = terms + continuous_bernoulli_log_normalizer(logits)
        log_prior = -0.5 * (z ** 2).sum(1) - 0.5 * latent * math.log(2 * math.pi)
        log_q = (-0.5 * eps ** 2 - log_std).sum(1) - 0.5 * latent * math.log(2 * math.pi)
        return bits_per_dim(terms.sum(1) + log_prior - log_q, levels)

    return [Player("vae", model, loss, recipe["optimizer"])], sample, 1, bits if o["dequantize"] else None


def bits_per_dim(log_prob, levels):
    """Bits per dimension of discrete pixels from log p(x̃) (nats) of their dequantisation x̃ =
    (x·(K − 1) + u)/K on [0, 1]^D: (−log p(x̃) + D log K)/(D log 2), per row (Theis et al. 2016,
    §3.1; pfm's likelihood/flow/bits-per-dimension.ts)."""
    d = x_dim()
    return (d * math.log(levels) - log_prob) / (d * math.log(2))


def test_bits_per_dim(bits, test, seed, chunk=100):
    """Mean bits/dim of the test digits, `chunk` rows at a time, with the dequantisation (and any
    encoder noise) drawn from torch's generator seeded with `seed`."""
    torch.manual_seed(seed)
    total = 0.0
    with torch.no_grad():
        for start in range(0, test.shape[0], chunk):
            total += float(bits(test[start:start + chunk]).sum())
    return total / test.shape[0]


class LogitTransform(nn.Module):
    """The data-side layer of a flow on pixels: y = logit(λ + (1 − 2λ) x̃) towards the noise, whose
    inverse x̃ = (σ(y) − λ)/(1 − 2λ) draws pixels; log|det ∂y/∂x̃| = Σ log(1 − 2λ) − log p − log(1 − p)
    with p = λ + (1 − 2λ) x̃ (Dinh et al. 2017, §4.1; pfm's likelihood/data/pixel-preprocessing.ts)."""

    def __init__(self, lam):
        super().__init__()
        self.lam = lam

    def forward(self, y):
        p = torch.sigmoid(y)
        # log σ'(y) = −softplus(−y) − softplus(y)
        return (p - self.lam) / (1 - 2 * self.lam), (-F.softplus(-y) - F.softplus(y) - math.log(1 - 2 * self.lam)).sum(1)

    def inverse(self, x):
        p = self.lam + (1 - 2 * self.lam) * x
        return torch.log(p) - torch.log1p(-p), (math.log(1 - 2 * self.lam) - torch.log(p) - torch.log1p(-p)).sum(1)


def coupling_flow_mle(recipe):
    """RealNVP or NSF by maximum likelihood on dequantised pixels: −(1/B) Σ_b log p(x̃_b),
    x̃ = (x·(K − 1) + u)/K, log p(x̃) = log N(ψ⁻¹(x̃); 0, I) + log|det Dψ⁻¹(x̃)|, ψ's data-side layer
    the logit transform's inverse, the coupling blocks (affine, or rational-quadratic splines for
    nsf) those of the parity twin (twin_flows.py), ActNorm initialised on the dequantised training
    rows (pfm's likelihood/objectives/realnvp.ts, nsf.ts, flow-training-run.ts)."""
    method = recipe["method"]
    raw = dict(recipe["options"])
    pre = read_fields(raw.pop("preprocess", None), {"dequantize": True, "levels": 256, "logit": 1e-6}, "recipe.options.preprocess")
    o = coupling_flow_options(raw, method, x_dim())
    choice(o["noise"], ["none"], "recipe.options.noise")
    lam, levels = pre["logit"], int(pre["levels"])
    if lam is False or not 0 < float(lam) < 0.5:
        raise RecipeError(f"recipe.options.preprocess.logit: this twin needs a λ in (0, ½), got {json.dumps(lam)}")
    net = read_fields(recipe["model"], {"hidden": [32, 32], "activation": "silu"}, "recipe.model")
    built = build_coupling_flow(method, o, net, x_dim(), recipe["rngSeed"])
    flow = CouplingFlow(x_dim(), [LogitTransform(float(lam)), *built.layers])

    def dequantize(x):
        return (x * (levels - 1) + torch.rand_like(x)) / levels if pre["dequantize"] else x

    def initialize(data):
        if o["actnorm"]:
            flow.initialize(dequantize(data))

    def loss(batch):
        return -flow.log_prob(dequantize(batch)).mean()

    def sample(n, generator):
        return flow.to_data(torch.randn(n, x_dim(), generator=generator))

    def bits(test):
        return bits_per_dim(flow.log_prob(dequantize(test)), levels)

    return [Player("flow", flow, loss, recipe["optimizer"], initialize=initialize)], sample, 1, bits if pre["dequantize"] else None


TABLEAUX = {
    "euler": ([0.0], [], [1.0]),
    "midpoint": ([0.0, 0.5], [[0.5]], [0.0, 1.0]),
    "heun": ([0.0, 1.0], [[1.0]], [0.5, 0.5]),
    "rk4": ([0.0, 0.5, 0.5, 1.0], [[0.5], [0.0, 0.5], [0.0, 0.0, 1.0]], [1 / 6, 1 / 3, 1 / 3, 1 / 6]),
}


@torch.no_grad()
def integrate(drift, y, integrator, steps):
    """Fixed-step explicit Runge–Kutta from t = 0 to 1 on the grid t_i = i/steps:
    k_s = f(t + c_s h, y + h Σ a_sj k_j), y ← y + h Σ b_s k_s (Hairer, Nørsett & Wanner I, II.1)."""
    c, a, b = TABLEAUX[integrator]
    for i in range(steps):
        t, h = i / steps, 1 / steps
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


def flow_matching(recipe):
    """I-CFM: x_t = (1 − (1 − σ_min) t) x0 + t x1 + σ z, u_t = x1 − (1 − σ_min) x0, t ~ U[0, 1],
    L = mean ‖v_θ(t, x_t) − u_t‖² (Lipman et al. 2023, eq. 9; Tong et al. 2024, eq. 14–16; pfm's
    flows/objectives/flow-matching-entry.ts); samples by integrating v from noise at t = 0."""
    o = read_fields(recipe["options"], {"sigma": 0.0, "sigmaMin": 0.0, "coupling": "independent", "sampler": {}}, "recipe.options")
    choice(o["coupling"], ["independent"], "recipe.options.coupling")
    sampler = read_fields(o["sampler"], {"integrator": "euler", "steps": 100}, "recipe.options.sampler")
    choice(sampler["integrator"], list(TABLEAUX), "recipe.options.sampler.integrator")
    positive_int(sampler["steps"], "recipe.options.sampler.steps")
    sigma, sigma_min = float(o["sigma"]), float(o["sigmaMin"])
    if not (sigma >= 0 and 0 <= sigma_min < 1):
        raise RecipeError(f"recipe.options: sigma must be ≥ 0 and sigmaMin in [0, 1), got {sigma} and {sigma_min}")
    field = Unet(image_network_options(recipe["model"], "velocity", "recipe.model"))

    def loss(x1):
        return flow_matching_loss(field, x1, sigma, sigma_min)

    def sample(n, generator):
        field.eval()
        z = torch.randn(n, x_dim(), generator=generator)
        return integrate(lambda t, x: field(t, x), z, sampler["integrator"], sampler["steps"])

    nfe = sampler["steps"] * len(TABLEAUX[sampler["integrator"]][0])
    return [Player("velocity", field, loss, recipe["optimizer"])], sample, nfe


def x_dim():
    return IMAGE[0] * IMAGE[1] * IMAGE[2]


def flow_matching_loss(field, x1, sigma=0.0, sigma_min=0.0):
    x0 = torch.randn_like(x1)
    t = torch.rand(x1.shape[0])
    tc = t[:, None]
    xt = (1 - (1 - sigma_min) * tc) * x0 + tc * x1
    if sigma > 0:
        xt = xt + sigma * torch.randn_like(x1)
    return torch.mean((field(t, xt) - (x1 - (1 - sigma_min) * x0)) ** 2)


DISTILL_OPTIONS = {"mode": "direct", "pairs": 4096, "teacherIntegrator": None, "teacherSteps": None, "student": "generator"}


def distill(recipe, extras):
    """Direct distillation (Liu et al. 2023, §2.3; Luhman & Luhman 2021): a one-step map ψ
    regressed on pairs made once by the teacher flow, min_ψ E_z ‖ψ(z) − χ₁(z)‖², z ~ N(0, I) in
    R^784, χ₁(z) the teacher's fixed-step integral (pfm's flows/objectives/distill.ts, mode
    direct, student generator: a conv-generator with a 784-d input). The teacher is a
    flow-matching field trained first (or read from --teacher-weights); a minibatch draws pair
    indices uniformly with replacement, as pfm's loss does."""
    o = read_fields(recipe["options"], DISTILL_OPTIONS, "recipe.options")
    choice(o["mode"], ["direct"], "recipe.options.mode")
    choice(o["student"], ["generator"], "recipe.options.student")
    pairs = positive_int(o["pairs"], "recipe.options.pairs")
    teacher_recipe = extras.get("teacher")
    if teacher_recipe is None:
        raise RecipeError("recipe.options.teacher: distill needs the teacher's recipe (--teacher TEACHER.json, a flow-matching recipe)")
    choice(teacher_recipe["method"], ["flow-matching"], "--teacher recipe.method")
    torch.manual_seed(teacher_recipe["rngSeed"])
    teacher_players, _, _ = flow_matching(teacher_recipe)
    field = teacher_players[0].module
    own = read_fields(teacher_recipe["options"], {"sigma": 0.0, "sigmaMin": 0.0, "coupling": "independent", "sampler": {}}, "--teacher recipe.options")
    own_sampler = read_fields(own["sampler"], {"integrator": "euler", "steps": 100}, "--teacher recipe.options.sampler")
    integrator = o["teacherIntegrator"] if o["teacherIntegrator"] is not None else own_sampler["integrator"]
    steps = positive_int(o["teacherSteps"], "recipe.options.teacherSteps") if o["teacherSteps"] is not None else own_sampler["steps"]
    choice(integrator, list(TABLEAUX), "recipe.options.teacherIntegrator")
    torch.manual_seed(recipe["rngSeed"])
    student = ConvGenerator(x_dim(), image_network_options(recipe["model"], "generator", "recipe.model"))
    made = {}

    def initialize(data):
        weights = extras.get("teacherWeights")
        if weights is not None and os.path.exists(weights):
            try:
                field.load_state_dict(torch.load(weights))
            except (OSError, RuntimeError) as error:
                raise RecipeError(f"--teacher-weights {weights}: not the weights of this teacher's unet ({error})")
            note(f"distill: teacher weights read from {weights}")
        else:
            note(f"distill: training the flow-matching teacher ({teacher_recipe['steps']} steps)")
            np.random.seed(teacher_recipe["rngSeed"])
            seconds, done = train(teacher_players, data, teacher_recipe, extras.get("timeLimit"))
            note(f"distill: teacher trained, {done} steps in {seconds:.1f} s")
            if weights is not None:
                save_weights(field, weights)
        field.eval()
        generator = torch.Generator().manual_seed(recipe["rngSeed"] + 1)
        z = torch.randn(pairs, x_dim(), generator=generator)
        with torch.no_grad():
            targets = [integrate(lambda t, x: field(t, x), z[i:i + DISTILL_CHUNK], integrator, steps) for i in range(0, pairs, DISTILL_CHUNK)]
        made["z"], made["target"] = z, torch.cat(targets, 0)
        note(f"distill: {pairs} teacher pairs made with {steps} {integrator} steps")
        # The minibatches' pair draws do not depend on whether the teacher was trained or read.
        torch.manual_seed(recipe["rngSeed"] + 2)

    def loss(batch):
        index = torch.randint(pairs, (batch.shape[0],))
        return torch.mean((student(made["z"][index]) - made["target"][index]) ** 2)

    def sample(n, generator):
        student.eval()
        return student(torch.randn(n, x_dim(), generator=generator))

    return [Player("generator", student, loss, recipe["optimizer"], initialize=initialize)], sample, 1


# Teacher samples integrated at once while making the pairs (bounds the memory of the U-Net's pass).
DISTILL_CHUNK = 256


def save_weights(module, path):
    """The network's state dict, written to a temporary file then renamed (nothing half-written)."""
    tmp = f"{path}.{time.time_ns()}.tmp"
    torch.save(module.state_dict(), tmp)
    os.replace(tmp, path)


METHODS = {"energy": statistics_matching, "mmd": statistics_matching, "gan": gan, "wgan-gp": wgan_gp, "flow-matching": flow_matching, "vae": vae, "realnvp": coupling_flow_mle, "nsf": coupling_flow_mle, "distill": distill}
# Methods that take the run's extras (teacher recipe, weights file, time limit) as a second argument.
WITH_EXTRAS = {"distill"}


# --------------------------------------------------------------------------------------------
# Speed cases of `pnpm bench:speed` (apps/bench/src/speed/image-train.ts): one training step,
# batch 64 of MNIST-shaped images, Adam, at the thread count asked.
# --------------------------------------------------------------------------------------------

def speed(cfg):
    torch.set_num_threads(int(cfg["threads"]))
    torch.manual_seed(0)
    case, batch = cfg["case"], 64
    if case == "train-unet-mnist":
        net = Unet(image_network_options({}, "velocity", "model"))

        def loss():
            return flow_matching_loss(net, torch.rand(batch, x_dim()))
    elif case == "train-conv-generator-mnist":
        net = ConvGenerator(IMAGE_LATENT_DIM, image_network_options({}, "generator", "model"))

        def loss():
            return energy_distance(net(torch.randn(batch, IMAGE_LATENT_DIM)), torch.rand(batch, x_dim()))
    else:
        raise RecipeError(f"case: {json.dumps(case)} is not a speed case of the twin (known: train-unet-mnist, train-conv-generator-mnist)")
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)

    def step():
        value = loss()
        optimizer.zero_grad(set_to_none=True)
        value.backward()
        optimizer.step()

    for _ in range(2):
        step()
    rates, cpu_rates = [], []
    for _ in range(int(cfg["repeats"])):
        start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(int(cfg["steps"])):
            step()
        rates.append(int(cfg["steps"]) / (time.perf_counter() - start))
        # Steps per CPU second of this process (user + system): on a shared machine it moves far
        # less with the load than the wall-clock rate.
        cpu_rates.append(int(cfg["steps"]) / max(time.process_time() - cpu_start, 1e-9))
    print(json.dumps({"case": case, "threads": int(cfg["threads"]), "parameters": parameter_count(net), "stepsPerSecond": rates,
                      "stepsPerCpuSecond": cpu_rates}), flush=True)


# --------------------------------------------------------------------------------------------

def read_json(path, flag):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as error:
        raise SystemExit(f"mnist-twin: {flag} {path}: {error}")


def read_images(path, flag):
    """An .npy of shape (n, 28, 28, 1) (or (n, 784)) with values in [0, 1] → [n, 784] float32 rows."""
    try:
        values = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as error:
        raise SystemExit(f"mnist-twin: {flag} {path}: {error}")
    if values.ndim == 4 and values.shape[1:] == IMAGE:
        values = values.reshape(values.shape[0], -1)
    if values.ndim != 2 or values.shape[1] != x_dim() or values.shape[0] == 0:
        raise SystemExit(f"mnist-twin: {flag} {path}: expected images of shape (n, 28, 28, 1), got {values.shape}")
    values = values.astype(np.float32)
    if not np.all(np.isfinite(values)):
        raise SystemExit(f"mnist-twin: {flag} {path}: every value must be finite")
    return torch.from_numpy(values)


def count_parameters(raw):
    recipe = parse_recipe(raw)
    # A distillation's count is its student's: any flow-matching teacher recipe builds it.
    players, *_ = build(recipe, {"teacher": parse_recipe({"method": "flow-matching"})})
    print(json.dumps({p.name: parameter_count(p.module) for p in players}), flush=True)


def build(recipe, extras=None):
    method = recipe["method"]
    if method not in METHODS:
        raise RecipeError(f"recipe.method: {json.dumps(method)} is not implemented by the PyTorch twin (known: {', '.join(METHODS)})")
    torch.manual_seed(recipe["rngSeed"])
    if method in WITH_EXTRAS:
        return METHODS[method](recipe, extras or {})
    return METHODS[method](recipe)


def main():
    try:
        if len(sys.argv) == 3 and sys.argv[1] == "--speed":
            speed(json.loads(sys.argv[2]))
            return
        if len(sys.argv) == 3 and sys.argv[1] == "--count-parameters":
            count_parameters(read_json(sys.argv[2], "--count-parameters"))
            return
        parser = argparse.ArgumentParser(description="PyTorch twin of a pfm recipe on MNIST images")
        parser.add_argument("--recipe", required=True)
        parser.add_argument("--train", required=True)
        parser.add_argument("--samples", type=int, required=True)
        parser.add_argument("--sample-seed", type=int, required=True)
        parser.add_argument("--out", required=True)
        parser.add_argument("--threads", type=int, default=1)
        parser.add_argument("--time-limit", type=float, help="minutes of training at most (as pfm train --time-limit)")
        parser.add_argument("--teacher", help="distill: the flow-matching teacher's recipe")
        parser.add_argument("--teacher-weights", help="distill: the teacher's weights, read when the file exists, else written after training it")
        parser.add_argument("--save-weights", help="writes the trained network's weights (EMA applied) to this file")
        parser.add_argument("--test", help="test digits (.npy, (n, 28, 28, 1)): the density models report their mean bits/dim on them")
        args = parser.parse_args()
        torch.set_num_threads(max(1, args.threads))
        recipe = parse_recipe(read_json(args.recipe, "--recipe"))
        data = read_images(args.train, "--train")
        time_limit = args.time_limit * 60 if args.time_limit is not None else None
        extras = {"teacher": parse_recipe(read_json(args.teacher, "--teacher")) if args.teacher else None,
                  "teacherWeights": args.teacher_weights, "timeLimit": time_limit}
        players, sample, nfe, *rest = build(recipe, extras)
        bits = rest[0] if rest else None
        test = read_images(args.test, "--test") if args.test else None
        for p in players:
            if p.initialize is not None:
                p.initialize(data)
        note(f"{recipe['method']}: {', '.join(f'{p.name} {parameter_count(p.module)} parameters' for p in players)}")
    except RecipeError as error:
        note(str(error))
        sys.exit(2)
    np.random.seed(recipe["rngSeed"])
    seconds, done = train(players, data, recipe, time_limit)
    if args.save_weights:
        save_weights(players[0].module, args.save_weights)
    generator = torch.Generator().manual_seed(args.sample_seed)
    with torch.no_grad():
        for p in players:
            p.module.eval()
        samples = sample(args.samples, generator).reshape(args.samples, *IMAGE).numpy().astype(np.float32)
    bpd = test_bits_per_dim(bits, test, args.sample_seed) if bits is not None and test is not None else None
    tmp = f"{args.out}.{time.time_ns()}.tmp.npy"
    np.save(tmp, samples)
    os.replace(tmp, args.out)
    print(json.dumps({"method": recipe["method"], "trainSeconds": round(seconds, 4), "stepsPerSecond": round(done / max(seconds, 1e-9), 4),
                      "nfe": nfe, "bpd": None if bpd is None else round(bpd, 6), "parameters": parameter_count(players[0].module), "steps": done}), flush=True)


if __name__ == "__main__":
    main()
