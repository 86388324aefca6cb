# Times POT's exact solver (ot.emd2, network simplex) on point clouds written by
# time-exact-ot.mjs: reads a JSON file {"x": [[...]], "y": [[...]]} and prints one JSON line
# {"n", "m", "cost", "w2", "seconds_cost_matrix", "seconds_emd2", "pot"}. Needs numpy and POT.
import json
import sys
import time

import numpy as np
import ot

with open(sys.argv[1]) as f:
    data = json.load(f)
x = np.asarray(data["x"], dtype=np.float64)
y = np.asarray(data["y"], dtype=np.float64)
a = np.full(len(x), 1.0 / len(x))
b = np.full(len(y), 1.0 / len(y))
t0 = time.perf_counter()
M = ot.dist(x, y)  # squared Euclidean
t1 = time.perf_counter()
cost = ot.emd2(a, b, M, numItermax=100_000_000)
t2 = time.perf_counter()
print(json.dumps({"n": len(x), "m": len(y), "cost": float(cost), "w2": float(np.sqrt(cost)),
                  "seconds_cost_matrix": t1 - t0, "seconds_emd2": t2 - t1, "pot": ot.__version__}))
