"""What the stream-swap scripts (energy-stream-swap.py, flow-stream-swap.py) share: the parity run's
data, pfm's streams of it as the input writers store them, and the score of the samples."""
import os

import numpy as np
import torch


def energy_distance(x, y):
    """Unbiased energy distance 2E‖X − Y‖ − E‖X − X'‖ − E‖Y − Y'‖ (Székely & Rizzo 2013), exact
    differences (no matmul shortcut), pairs i ≠ j inside each sample."""
    def pair_sum(a, b):
        return torch.cdist(a, b, compute_mode="donot_use_mm_for_euclid_dist").sum()
    n, m = x.shape[0], y.shape[0]
    return 2 / (n * m) * pair_sum(x, y) - pair_sum(x, x) / (n * (n - 1)) - pair_sum(y, y) / (m * (m - 1))


def read_run(a):
    """The training and held-out points, pfm's noise [steps, b, d] and minibatch rows [steps, b] of
    --seed in --streams (one thread for torch, as the parity twin)."""
    torch.set_num_threads(1)
    data = torch.tensor(np.loadtxt(a.train, delimiter=",", ndmin=2), dtype=torch.float32)
    test = torch.tensor(np.loadtxt(a.test, delimiter=",", ndmin=2), dtype=torch.float32)
    d, b = data.shape[1], a.batch
    noise = np.fromfile(os.path.join(a.streams, f"noise-{a.seed}.f32"), dtype=np.float32)
    steps = noise.size // (b * d)
    noise = torch.from_numpy(noise.reshape(steps, b, d))
    rows = torch.from_numpy(np.fromfile(os.path.join(a.streams, f"idx-{a.seed}.i32"), dtype=np.int32).astype(np.int64).reshape(steps, b))
    return data, test, noise, rows


def score(report, x, test, twin_samples=None, out=None):
    """Adds the energy distance of samples x to the held-out points (and of the twin's own samples
    from the parity run, when given) to report; writes x to out when given."""
    report["energy"] = energy_distance(x, test).item()
    if out:
        np.savetxt(out, x.numpy(), fmt="%.7g", delimiter=",")
    if twin_samples:
        own = torch.tensor(np.loadtxt(twin_samples, delimiter=",", ndmin=2), dtype=torch.float32)
        report["twinOwnEnergy"] = energy_distance(own, test).item()
    return report
