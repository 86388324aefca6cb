#!/usr/bin/env python3
"""Loads the weights written by mnist-twin-weights.mjs into the twin's networks (mnist-twin.py)
and prints, per network, the largest |twin − pfm| of the outputs on the same inputs; exits 1 when
one exceeds 1e-4 (float32 rounding of a 30-layer network stays far below).

    node reference/mnist-twin-weights.mjs weights.json && python3 reference/mnist-twin-check.py weights.json

pfm's kernels are [k, k, in, out] (NHWC convolutions) and dense kernels [in, out]; PyTorch's are
[out, in, k, k] and [out, in].
"""
import importlib.util
import json
import os
import sys

import torch

spec = importlib.util.spec_from_file_location("mnist_twin", os.path.join(os.path.dirname(os.path.abspath(__file__)), "mnist-twin.py"))
twin = importlib.util.module_from_spec(spec)
spec.loader.exec_module(twin)


def tensor(w):
    t = torch.tensor(w["values"], dtype=torch.float32).reshape(w["shape"])
    if t.dim() == 4:
        return t.permute(3, 2, 0, 1).contiguous()
    return t.T.contiguous() if t.dim() == 2 else t


def load(module, weights, resolve):
    """Copies each pfm variable `layer/kernel|bias|scale|shift` into the parameter resolve(layer) names."""
    loaded = set()
    with torch.no_grad():
        for name, w in weights.items():
            layer, field = name.rsplit("/", 1)
            target = resolve(layer)
            target = getattr(target, "conv", target)
            p = target.weight if field in ("kernel", "scale") else target.bias
            if p.shape != tensor(w).shape:
                raise SystemExit(f"mnist-twin-check: {name} has shape {list(tensor(w).shape)} in pfm, {list(p.shape)} in the twin")
            p.copy_(tensor(w))
            loaded.add(id(p))
    missing = [n for n, p in module.named_parameters() if id(p) not in loaded]
    if missing:
        raise SystemExit(f"mnist-twin-check: twin parameters without a pfm variable: {', '.join(missing)}")


def unet_layer(u, levels):
    def resolve(layer):
        parts = layer.split("/")
        if parts[0] == "time":
            return u.time1 if parts[1] == "dense0" else u.time2
        if parts[0] == "in":
            return u.input
        if parts[0] == "out":
            return u.out_norm if parts[1] == "norm" else u.output
        if parts[0] == "middle":
            return getattr(u.middle, parts[1])
        down = parts[0].startswith("down")
        level = int(parts[0][4:] if down else parts[0][2:])
        if down:
            return u.downsamples[level] if parts[1] == "downsample" else getattr(u.down_blocks[level][int(parts[1][3:])], parts[2])
        # The twin lists the way up from the deepest level.
        up = levels - 1 - level
        return u.upsamples[up] if parts[1] == "upsample" else getattr(u.up_blocks[up][int(parts[1][3:])], parts[2])
    return resolve


def main():
    torch.set_num_threads(1)
    with open(sys.argv[1], encoding="utf-8") as f:
        d = json.load(f)
    o = twin.image_network_options({"finalScale": 1.0}, "velocity", "model")
    u = twin.Unet(o)
    load(u, d["unet"]["weights"], unet_layer(u, len(o["channelMult"])))
    g = twin.ConvGenerator(twin.IMAGE_LATENT_DIM, twin.image_network_options({}, "generator", "model"))
    load(g, d["generator"]["weights"], lambda l: g.project if l == "project" else g.out if l == "out"
         else g.norms[int(l[4:])] if l.startswith("norm") else g.ups[int(l[2:]) - 1])
    e = twin.ConvEncoder(1, twin.image_network_options({"hidden": [64, 64, 64], "activation": "silu"}, "critic", "model"))
    load(e, d["critic"]["weights"], lambda l: e.convs[int(l[4:])] if l.startswith("down") else e.dense[int(l[5:])])
    rows = lambda v, width: torch.tensor(v).reshape(-1, width)  # noqa: E731
    with torch.no_grad():
        outputs = {
            "unet": (u(torch.tensor(d["unet"]["t"]), rows(d["unet"]["x"], 784)), rows(d["unet"]["y"], 784)),
            "conv-generator": (g(rows(d["generator"]["z"], 64)), rows(d["generator"]["y"], 784)),
            "conv-encoder": (e(rows(d["critic"]["x"], 784)), rows(d["critic"]["y"], 1)),
        }
    worst = 0.0
    for name, (mine, theirs) in outputs.items():
        diff = (mine - theirs).abs().max().item()
        worst = max(worst, diff)
        print(f"{name}: max |twin - pfm| = {diff:.3g} (max |pfm| = {theirs.abs().max().item():.3g})")
    sys.exit(0 if worst <= 1e-4 else 1)


if __name__ == "__main__":
    main()
