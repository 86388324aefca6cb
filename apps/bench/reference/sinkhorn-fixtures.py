"""Converged debiased Sinkhorn divergences from POT, the reference of @pfm/ipm's ε-scaling tests.

Run from the repository root with POT 0.8.2 and NumPy (Debian: apt-get install python3-pot python3-numpy):

    OMP_NUM_THREADS=1 /usr/bin/python3 apps/bench/reference/sinkhorn-fixtures.py

It writes packages/ipm/src/sinkhorn/fixtures/sinkhorn-divergence.json. For each case (two point
clouds, p, blur) it solves OT_eps(x, y), OT_eps(x, x) and OT_eps(y, y) to convergence with POT's
log-domain Sinkhorn (ot.sinkhorn(..., method="sinkhorn_log"), stopThr 1e-9, at most 2e5
iterations; the marginal error reached is stored with each case) on the cost C = |x - y|^p / p with eps = blur^p, evaluates the
primal value <pi, C> + eps KL(pi | a x b) of each plan, and stores
S_eps = OT_eps(x, y) - (OT_eps(x, x) + OT_eps(y, y)) / 2 (Feydy et al. 2019, AISTATS, eq. 4).
Inputs are rounded to float32 so that the float32 code paths see the same points.
"""
import json
import os

import numpy as np
import ot

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
OUT = os.path.join(ROOT, "packages", "ipm", "src", "sinkhorn", "fixtures", "sinkhorn-divergence.json")
rng = np.random.RandomState(16)


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def moons(n):
    """Two interleaved half circles with noise 0.05 (sklearn's make_moons layout)."""
    t = np.pi * rng.uniform(size=n)
    upper = np.arange(n) % 2 == 0
    pts = np.where(upper[:, None], np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    return f32(pts + 0.05 * rng.randn(n, 2))


def cost(x, y, p):
    d2 = ot.dist(x, y)  # squared Euclidean
    return d2 / 2 if p == 2 else np.sqrt(d2) ** p / p


def entropic_ot(x, y, p, eps):
    a = np.full(len(x), 1.0 / len(x))
    b = np.full(len(y), 1.0 / len(y))
    M = cost(x, y, p)
    plan, log = ot.sinkhorn(a, b, M, eps, method="sinkhorn_log", numItermax=200_000, stopThr=1e-9, log=True)
    marg = np.abs(plan.sum(1) - a).sum() + np.abs(plan.sum(0) - b).sum()
    ab = np.outer(a, b)
    positive = plan > 0
    kl = np.sum(plan[positive] * np.log(plan[positive] / ab[positive])) - plan.sum() + ab.sum()
    return float(np.sum(plan * M) + eps * kl), int(log["niter"]), float(marg)


cases = []
clouds = {
    # Standard Gaussian noise against moons: the generator's situation at the start of training.
    "gauss-vs-moons": (f32(rng.randn(48, 2)), moons(40)),
    # Two Gaussians apart by a shift and an anisotropic scale: a smooth transport.
    "gauss-vs-gauss": (f32(rng.randn(32, 2)), f32(rng.randn(36, 2) * [0.8, 1.1] + [0.3, -0.2])),
}
for name, (x, y) in clouds.items():
    for p in (2, 1):
        for blur in (0.5, 0.1, 0.05):
            eps = blur ** p
            xy, it_xy, marg_xy = entropic_ot(x, y, p, eps)
            xx, _, marg_xx = entropic_ot(x, x, p, eps)
            yy, _, marg_yy = entropic_ot(y, y, p, eps)
            cases.append({
                "name": f"{name}-p{p}-blur{blur}",
                "p": p,
                "blur": blur,
                "epsilon": eps,
                "x": x.tolist(),
                "y": y.tolist(),
                "otXY": xy,
                "otXX": xx,
                "otYY": yy,
                "divergence": xy - 0.5 * (xx + yy),
                "potIterationsXY": it_xy,
                # L1 error of both marginals of POT's plans (the largest of the three): the tests
                # compare with the cases where it is below 1e-7.
                "potMarginalError": max(marg_xy, marg_xx, marg_yy),
                "command": f"ot.sinkhorn(a, b, M, {eps!r}, method='sinkhorn_log', numItermax=200_000, stopThr=1e-9) with M = |x - y|^{p}/{p}",
            })
            print(cases[-1]["name"], cases[-1]["divergence"], it_xy, cases[-1]["potMarginalError"], flush=True)

with open(OUT, "w") as f:
    json.dump({
        "generator": "OMP_NUM_THREADS=1 /usr/bin/python3 apps/bench/reference/sinkhorn-fixtures.py",
        "pot": ot.__version__,
        "numpy": np.__version__,
        "cases": cases,
    }, f, indent=1)
    f.write("\n")
