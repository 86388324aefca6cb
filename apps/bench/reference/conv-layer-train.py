#!/usr/bin/env python3
"""PyTorch twin of the speed case conv-layer-train (src/speed/conv-layer-train.ts).

Forward + backward of a stack of 3x3 convolutions at the shapes of a small MNIST U-Net, batch 64:
x [64, 1, 28, 28] -> conv 1->32, SiLU -> conv 32->32, SiLU -> 2x2 average pool -> conv 32->64
(14x14), SiLU; loss = mean(y^2); gradients of every filter and bias, no optimizer step.

    OMP_NUM_THREADS=1 python3 conv-layer-train.py '{"threads": 1, "repeats": 5, "steps": 5}'

prints ONE line on stdout: {"threads": t, "stepsPerSecond": [one rate per repeat]}.
"""
import json
import sys
import time

import torch
import torch.nn.functional as F


def main() -> None:
    cfg = json.loads(sys.argv[1])
    torch.set_num_threads(int(cfg["threads"]))
    torch.manual_seed(0)
    shapes = [(32, 1), (32, 32), (64, 32)]
    filters = [torch.nn.init.xavier_uniform_(torch.empty(cout, cin, 3, 3)).requires_grad_() for cout, cin in shapes]
    biases = [torch.zeros(cout, requires_grad=True) for cout, _ in shapes]

    def layer(h, i):
        return F.silu(F.conv2d(h, filters[i], biases[i], padding=1))

    def step():
        x = torch.rand(64, 1, 28, 28)
        h = F.avg_pool2d(layer(layer(x, 0), 1), 2)
        loss = layer(h, 2).pow(2).mean()
        grads = torch.autograd.grad(loss, filters + biases)
        return grads[0][0, 0, 0, 0].item()

    for _ in range(2):
        step()
    rates = []
    for _ in range(int(cfg["repeats"])):
        start = time.perf_counter()
        for _ in range(int(cfg["steps"])):
            step()
        rates.append(int(cfg["steps"]) / (time.perf_counter() - start))
    print(json.dumps({"threads": int(cfg["threads"]), "stepsPerSecond": rates}))


if __name__ == "__main__":
    main()
