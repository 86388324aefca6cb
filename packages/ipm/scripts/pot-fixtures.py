"""Reference values from POT (Python Optimal Transport) for the @pfm/ipm tests.

Run from packages/ipm with POT 0.8.2 and NumPy (Debian: apt-get install python3-pot python3-numpy):

    python3 scripts/pot-fixtures.py

It writes src/wasserstein/fixtures/emd.json, src/wasserstein/fixtures/network-simplex.json,
src/sinkhorn/fixtures/sinkhorn.json and src/sliced/fixtures/sliced.json. Inputs are rounded to float32 so that the float32 code paths
see exactly the same points. The tests never need Python: they read the JSON files.
"""
import json
import os

import numpy as np
import ot

rng = np.random.RandomState(0)
HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "src")


def points(n, d, shift=0.0, scale=1.0):
    return (rng.randn(n, d) * scale + shift).astype(np.float32).astype(np.float64)


def weights(n):
    w = rng.uniform(0.2, 1.0, size=n)
    return w / w.sum()


def write(path, payload):
    payload = {
        "generator": "python3 scripts/pot-fixtures.py (run in packages/ipm)",
        "pot": ot.__version__,
        "numpy": np.__version__,
        **payload,
    }
    with open(os.path.join(SRC, path), "w") as f:
        json.dump(payload, f, indent=1)
        f.write("\n")


# Exact OT: ot.emd2 with M = ot.dist(x, y) (squared Euclidean) or its square root (p = 1).
emd_cases = []
for name, n, m, d, p, weighted in [
    ("equal-8-p2", 8, 8, 2, 2, False),
    ("unequal-5x7-weights-p2", 5, 7, 2, 2, True),
    ("unequal-6x4-p1", 6, 4, 3, 1, False),
    ("unequal-9x13-weights-p1", 9, 13, 2, 1, True),
]:
    x = points(n, d)
    y = points(m, d, shift=0.5, scale=1.3)
    a = weights(n) if weighted else np.full(n, 1.0 / n)
    b = weights(m) if weighted else np.full(m, 1.0 / m)
    M = ot.dist(x, y)
    if p == 1:
        M = np.sqrt(M)
    emd_cases.append({
        "name": name,
        "p": p,
        "x": x.tolist(),
        "y": y.tolist(),
        "weightsX": a.tolist() if weighted else None,
        "weightsY": b.tolist() if weighted else None,
        "command": "ot.emd2(a, b, M)  # M = ot.dist(x, y)" + (" ** 0.5" if p == 1 else ""),
        "emd2": float(ot.emd2(a, b, M)),
    })
x1 = np.array([[0.0], [2.0], [3.0]])
y1 = np.array([[1.0], [4.0]])
emd_cases.append({
    "name": "line-3x2-p1",
    "p": 1,
    "x": x1.tolist(),
    "y": y1.tolist(),
    "weightsX": None,
    "weightsY": None,
    "command": "ot.emd2_1d(x, y, metric='minkowski', p=1)",
    "emd2": float(ot.emd2_1d(x1.ravel(), y1.ravel(), metric="minkowski", p=1)),
})
write("wasserstein/fixtures/emd.json", {"cases": emd_cases})

# Entropic OT: ot.sinkhorn2(..., method='sinkhorn_log') returns <pi, M> (the linear cost only) for
# M = ||x - y||^2 / 2 (GeomLoss's cost for p = 2), with epsilon = reg.
sinkhorn_cases = []
for name, n, m, reg, weighted in [("6x5-eps0.5", 6, 5, 0.5, False), ("7x9-eps0.1-weights", 7, 9, 0.1, True)]:
    x = points(n, 2)
    y = points(m, 2, shift=0.3, scale=0.8)
    a = weights(n) if weighted else np.full(n, 1.0 / n)
    b = weights(m) if weighted else np.full(m, 1.0 / m)
    M = ot.dist(x, y) / 2
    plan = ot.sinkhorn(a, b, M, reg, method="sinkhorn_log", numItermax=100000, stopThr=1e-13)
    value = ot.sinkhorn2(a, b, M, reg, method="sinkhorn_log", numItermax=100000, stopThr=1e-13)
    sinkhorn_cases.append({
        "name": name,
        "epsilon": reg,
        "x": x.tolist(),
        "y": y.tolist(),
        "weightsX": a.tolist() if weighted else None,
        "weightsY": b.tolist() if weighted else None,
        "command": "ot.sinkhorn2(a, b, ot.dist(x, y) / 2, reg, method='sinkhorn_log', numItermax=100000, stopThr=1e-13)",
        "sinkhorn2": float(value),
        "plan": plan.tolist(),
    })
write("sinkhorn/fixtures/sinkhorn.json", {"cases": sinkhorn_cases})

# Sliced Wasserstein with explicit unit directions (POT divides by n_projections, so pass both).
sliced_cases = []
for name, n, m, d, L, p in [("10x10-d3-p2", 10, 10, 3, 6, 2), ("10x7-d2-p2", 10, 7, 2, 5, 2), ("8x12-d3-p1", 8, 12, 3, 4, 1)]:
    x = points(n, d)
    y = points(m, d, shift=0.4, scale=1.5)
    proj = rng.randn(d, L)
    proj = (proj / np.linalg.norm(proj, axis=0, keepdims=True)).astype(np.float32).astype(np.float64)
    value = ot.sliced_wasserstein_distance(x, y, n_projections=L, p=p, projections=proj)
    sliced_cases.append({
        "name": name,
        "p": p,
        "x": x.tolist(),
        "y": y.tolist(),
        "directions": proj.T.tolist(),
        "command": "ot.sliced_wasserstein_distance(x, y, n_projections=L, p=p, projections=directions.T)",
        "sliced": float(value),
    })
write("sliced/fixtures/sliced.json", {"cases": sliced_cases})

# Larger exact OT cases for the network simplex (unequal sizes, weights, zero weights, duplicated
# points, one point against many), from their own generator so the files above stay unchanged.
rng = np.random.RandomState(1)
network_cases = []
for name, n, m, d, p, kind in [
    ("uniform-40x60-p2", 40, 60, 2, 2, "uniform"),
    ("weights-70x45-d3-p1", 70, 45, 3, 1, "weights"),
    ("zero-weights-50x35-p2", 50, 35, 2, 2, "zeros"),
    ("duplicates-30x80-p2", 30, 80, 2, 2, "duplicates"),
    ("one-vs-25-p1", 1, 25, 2, 1, "weights"),
]:
    x = points(n, d)
    y = points(m, d, shift=0.7, scale=1.4)
    a = np.full(n, 1.0 / n)
    b = np.full(m, 1.0 / m)
    if kind in ("weights", "zeros"):
        a = weights(n)
        b = weights(m)
    if kind == "zeros":
        a[rng.rand(n) < 0.3] = 0.0
        b[rng.rand(m) < 0.3] = 0.0
        a = a / a.sum()
        b = b / b.sum()
    if kind == "duplicates":
        x[n // 2:] = x[: n - n // 2]
        y[m // 4: m // 2] = y[: m // 2 - m // 4]
    M = ot.dist(x, y)
    if p == 1:
        M = np.sqrt(M)
    network_cases.append({
        "name": name,
        "p": p,
        "x": x.tolist(),
        "y": y.tolist(),
        "weightsX": None if kind in ("uniform", "duplicates") else a.tolist(),
        "weightsY": None if kind in ("uniform", "duplicates") else b.tolist(),
        "command": "ot.emd2(a, b, M, numItermax=10**7)  # M = ot.dist(x, y)" + (" ** 0.5" if p == 1 else ""),
        "emd2": float(ot.emd2(a, b, M, numItermax=10**7)),
    })
write("wasserstein/fixtures/network-simplex.json", {"cases": network_cases})
print("wrote 4 fixture files")
