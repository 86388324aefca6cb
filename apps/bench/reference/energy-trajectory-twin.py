"""PyTorch twin of the energy generator's trajectory test (see energy-trajectory-inputs.mjs).

Reads the fixture written by energy-trajectory-inputs.mjs (recipe, data, pfm's initial weights and
per-step noise), trains the same MLP (Linear → SELU → … → Linear) on the unbiased energy distance
E = 2E‖X − Y‖ − E‖X − X'‖ − E‖Y − Y'‖ (Székely & Rizzo 2013) with torch.optim.AdamW, one step per
noise batch, the whole data set as the batch, and writes into the same file
    "torch": {"losses": [loss of step 1, …], "final": [{"name", "shape", "values"}, …], "version": torch's}
The pfm test then asserts that pfm's trainer follows this trajectory.

Usage: python3 energy-trajectory-twin.py FIXTURE.json
"""
import json
import sys

import torch


def pair_sum(a, b):
    return torch.cdist(a, b, compute_mode="donot_use_mm_for_euclid_dist").sum()


def main(path):
    torch.set_num_threads(1)
    with open(path) as f:
        fixture = json.load(f)
    recipe, dim, rows = fixture["recipe"], fixture["dim"], fixture["rows"]
    opt = recipe["optimizer"]
    if opt["name"] != "adamw" or recipe["method"] != "energy" or recipe["model"]["activation"] != "selu":
        sys.exit("energy-trajectory-twin: the recipe must be energy + selu MLP + adamw")
    y = torch.tensor(fixture["data"], dtype=torch.float32).view(rows, dim)
    params = [torch.tensor(p["values"], dtype=torch.float32).view(*p["shape"]).requires_grad_() for p in fixture["init"]]
    optimizer = torch.optim.AdamW(params, lr=opt["lr"], weight_decay=opt["weightDecay"], betas=(0.9, 0.999), eps=1e-8)
    losses = []
    n = rows
    for noise in fixture["noise"]:
        h = torch.tensor(noise, dtype=torch.float32).view(n, dim)
        layers = len(params) // 2
        for i in range(layers):
            h = h @ params[2 * i] + params[2 * i + 1]
            if i + 1 < layers:
                h = torch.selu(h)
        loss = 2 / (n * n) * pair_sum(h, y) - pair_sum(h, h) / (n * (n - 1)) - pair_sum(y, y) / (n * (n - 1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    fixture["torch"] = {
        "version": torch.__version__,
        "losses": losses,
        "final": [{"name": p["name"], "shape": p["shape"], "values": q.detach().view(-1).tolist()} for p, q in zip(fixture["init"], params)],
    }
    with open(path, "w") as f:
        json.dump(fixture, f)
        f.write("\n")
    print(f"energy-trajectory-twin: {len(losses)} steps, last loss {losses[-1]:.6g}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 energy-trajectory-twin.py FIXTURE.json")
    main(sys.argv[1])
