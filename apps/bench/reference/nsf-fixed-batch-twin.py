#!/usr/bin/env python3
"""PyTorch side of the NSF fixed-batch check: reads the inputs written by nsf-fixed-batch-inputs.mjs
(a small pfm NSF with seeded weights, a batch x), builds the same flow from the parity twin's layers
(twin_flows.py: ActNorm, LULinear, rational-quadratic SplineCoupling), and writes the fixture: the
per-row log p(x) = log N(ψ⁻¹(x); 0, I) + log|det Dψ⁻¹(x)| and the gradient of its mean with respect
to every parameter, in pfm's variable order (kernels [in, out], as pfm stores them).

    python3 nsf-fixed-batch-twin.py INPUTS.json FIXTURE.json
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from twin_flows import ActNorm, CouplingFlow, LULinear, SplineCoupling  # noqa: E402


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: nsf-fixed-batch-twin.py INPUTS.json FIXTURE.json")
    torch.set_num_threads(1)
    with open(sys.argv[1], encoding="utf-8") as f:
        inputs = json.load(f)
    dim, recipe = inputs["dim"], inputs["recipe"]
    o = {"bins": 8, "tailBound": 4.0, "minBinWidth": 1e-3, "minBinHeight": 1e-3, "minDerivative": 1e-3, **recipe["options"]}
    net = {"hidden": recipe["model"]["hidden"], "activation": "silu"}
    tensors = lambda layer: [torch.tensor(v["values"], dtype=torch.float32).view(*v["shape"]) for v in layer["variables"]]
    built = []  # (pfm layer, torch module, pfm-ordered parameters of the module)
    for layer in inputs["layers"]:
        values = tensors(layer)
        if layer["type"] == "act-norm":
            module = ActNorm(dim)
            params = [module.log_scale, module.shift]
        elif layer["type"] == "lu-linear":
            lower, upper, log_diag = values
            # pfm: x = z Uᵀ Lᵀ P; the permutation P from the exported matrix M = Uᵀ Lᵀ P.
            eye = torch.eye(dim)
            lu = (torch.diag(torch.exp(log_diag)) + torch.triu(upper, 1)).T @ (eye + torch.tril(lower, -1)).T
            p = torch.linalg.solve(lu.double(), torch.tensor(layer["matrix"], dtype=torch.float64).view(dim, dim))
            order = p.abs().argmax(0).tolist()
            if sorted(order) != list(range(dim)) or not torch.allclose(p, torch.eye(dim, dtype=torch.float64)[:, order], atol=1e-3):
                raise SystemExit(f"lu-linear: the exported matrix is not U^T L^T P for a permutation P (got {p.tolist()})")
            module = LULinear(dim, order)
            params = [module.lower, module.upper, module.log_diag]
        elif layer["type"] == "spline-coupling":
            if layer["mask"] != "upper":
                raise SystemExit(f"spline-coupling: mask {layer['mask']!r}; this check builds the 'upper' mask of LU-mixed flows")
            module = SplineCoupling(dim, list(range(dim // 2, dim)), net, o)
            linears = [m for m in module.net if isinstance(m, torch.nn.Linear)]
            params = [p for m in linears for p in (m.weight, m.bias)]
            values = [v.T if v.dim() == 2 else v for v in values]  # pfm kernels are [in, out]
        else:
            raise SystemExit(f"layer type {layer['type']!r} is not part of this check")
        with torch.no_grad():
            for param, value in zip(params, values):
                param.copy_(value)
        built.append((layer, module, params))
    # pfm's chain is in the noise → data order; CouplingFlow keeps the data → noise order.
    flow = CouplingFlow(dim, [module for _, module, _ in reversed(built)])
    x = torch.tensor(inputs["x"], dtype=torch.float32).view(-1, dim)
    log_p = flow.log_prob(x)
    log_p.mean().backward()
    grads = []
    for layer, _, params in built:
        for v, param in zip(layer["variables"], params):
            g = param.grad.T if param.grad.dim() == 2 and layer["type"] == "spline-coupling" else param.grad
            grads.append({"name": v["name"], "shape": v["shape"], "values": [round(float(a), 9) for a in g.reshape(-1)]})
    fixture = {
        "about": "log p of a seeded NSF on a fixed batch and the gradient of its mean, computed by PyTorch "
                 "(apps/bench/reference/nsf-fixed-batch-inputs.mjs, then nsf-fixed-batch-twin.py)",
        "recipe": recipe, "dim": dim, "rows": inputs["rows"],
        "torch": {"logProb": [round(float(a), 6) for a in log_p.detach()], "gradients": grads},
    }
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    diff = np.abs(np.array(inputs["pfmLogProb"]) - log_p.detach().numpy()).max()
    print(f"wrote {sys.argv[2]}: {len(grads)} gradients; largest |log p pfm − torch| on these inputs {diff:.2e}")
    if "z" in inputs:
        # The sampling direction (not in the fixture): torch's ψ(z) against pfm's on the same noise rows.
        with torch.no_grad():
            x_torch = flow.to_data(torch.tensor(inputs["z"], dtype=torch.float32).view(-1, dim)).numpy()
        gap = np.abs(np.array(inputs["pfmForward"]).reshape(-1, dim) - x_torch).max()
        print(f"largest |ψ(z) pfm − torch| over {x_torch.shape[0]} noise rows: {gap:.2e} (largest |ψ(z)| {np.abs(x_torch).max():.1f})")


if __name__ == "__main__":
    main()
