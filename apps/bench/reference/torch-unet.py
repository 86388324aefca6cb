#!/usr/bin/env python3
"""Writes a PyTorch twin of pfm's U-Net (mnist-twin.py's `Unet`, the same module names) as safetensors,
with base noise and its Euler samples, for `pfm import --arch pfm-unet`.

    OMP_NUM_THREADS=1 python3 torch-unet.py --out DIR [--options '{"channels": 4, ...}'] [--shape 8,8,1]
        [--samples 4] [--euler-steps 4] [--seed 0]

The weights are the twin's initialisation with every parameter then moved by N(0, 0.1²) noise (so
GroupNorm scales and shifts differ from 1 and 0 and a swapped name shows); training the twin is
mnist-twin.py's job. Writes, in DIR: weights.safetensors (the state_dict, F32, including the
`omegas` buffer), noise.npy (samples, h·w·c) and samples.npy: Euler with pfm's times i / m from
that noise, the velocity fed the flat rows as mnist-twin.py's Unet.forward(t, x) takes them.
Prints one JSON line {"options": ..., "shape": [h, w, c], "parameters": p}.

Module names (state_dict keys) and pfm's variables (packages/core/src/maps/unet.ts):
    time1, time2                         time/dense0, time/dense1
    input.conv                           in
    down_blocks.L.B.{norm1,conv1.conv,time,norm2,conv2.conv,skip.conv}   downL/resB/{norm1,conv1,time,norm2,conv2,skip}
    downsamples.L.conv                   downL/downsample
    middle.{...}                         middle/{...}
    up_blocks.U.B.{...}                  up(levels-1-U)/resB/{...}   (the twin lists the way up from the deepest level)
    upsamples.U.conv                     up(levels-1-U)/upsample
    out_norm, output.conv                out/norm, out/conv
weight ↔ kernel/scale, bias ↔ bias/shift; conv weights [out, in, k, k] ↔ pfm [k, k, in, out];
Linear weights [out, in] ↔ pfm [in, out].
"""
import argparse
import importlib.util
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("mnist_twin", os.path.join(HERE, "mnist-twin.py"))
twin = importlib.util.module_from_spec(spec)
spec.loader.exec_module(twin)
spec = importlib.util.spec_from_file_location("torch_velocity", os.path.join(HERE, "torch-velocity.py"))
velocity = importlib.util.module_from_spec(spec)
spec.loader.exec_module(velocity)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True)
    p.add_argument("--options", default='{"channels": 4, "channelMult": [1, 2], "groups": 2, "timeFrequencies": 4, "finalScale": 1.0}')
    p.add_argument("--shape", default="8,8,1")
    p.add_argument("--samples", type=int, default=4)
    p.add_argument("--euler-steps", type=int, default=4)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    shape = tuple(int(s) for s in a.shape.split(","))
    options = json.loads(a.options)
    o = twin.image_network_options(options, "velocity", "options")
    u = twin.Unet(o, shape).eval()
    with torch.no_grad():
        for param in u.parameters():
            param.add_(0.1 * torch.randn(param.shape))
    os.makedirs(a.out, exist_ok=True)
    velocity.write_safetensors(os.path.join(a.out, "weights.safetensors"), u.state_dict())
    dim = shape[0] * shape[1] * shape[2]
    x0 = torch.randn(a.samples, dim, generator=torch.Generator().manual_seed(a.seed + 7))
    np.save(os.path.join(a.out, "noise.npy"), x0.numpy().astype(np.float32))
    times = [i / a.euler_steps for i in range(a.euler_steps)] + [1.0]
    x = x0.clone()
    with torch.no_grad():
        for ta, tb in zip(times[:-1], times[1:]):
            x = x + u(ta, x) * (tb - ta)
    np.save(os.path.join(a.out, "samples.npy"), x.numpy().astype(np.float32))
    print(json.dumps({"options": options, "shape": list(shape), "parameters": sum(q.numel() for q in u.parameters())}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
