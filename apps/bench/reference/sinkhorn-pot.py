"""POT's log-domain Sinkhorn on the points of @pfm/bench's sinkhorn speed case (the twin of
apps/bench/src/speed/sinkhorn-speed.ts, which runs it).

    OMP_NUM_THREADS=1 /usr/bin/python3 apps/bench/reference/sinkhorn-pot.py POINTS.json

POINTS.json: {"cases": [{"x": [[..]..], "y": [[..]..], "epsilon": e, "stopThr": s, "numItermax": k}]}.
For each case: ot.sinkhorn2(a, b, M, e, method='sinkhorn_log', stopThr=s, numItermax=k) with uniform
weights and M = |x - y|^2 / 2 (the cost of @pfm/ipm with p = 2, eps = blur^2); prints one JSON line
with the seconds (the cost matrix included), the iterations, whether the stopping test passed
and the transport cost <pi, M>.
"""
import json
import sys
import time

import numpy as np
import ot

cfg = json.load(open(sys.argv[1]))
out = []
for case in cfg["cases"]:
    x = np.asarray(case["x"], dtype=np.float64)
    y = np.asarray(case["y"], dtype=np.float64)
    a = np.full(len(x), 1.0 / len(x))
    b = np.full(len(y), 1.0 / len(y))
    start = time.perf_counter()
    M = ot.dist(x, y) / 2
    cost, log = ot.sinkhorn2(a, b, M, case["epsilon"], method="sinkhorn_log", stopThr=case["stopThr"],
                             numItermax=case["numItermax"], log=True)
    seconds = time.perf_counter() - start
    iterations = int(log["niter"])
    out.append({"seconds": seconds, "iterations": iterations, "converged": bool(log["err"] and log["err"][-1] < case["stopThr"]),
                "transportCost": float(cost)})
print(json.dumps({"pot": ot.__version__, "results": out}))
