// Optional side-by-side reference: when python3 can import torch (MLP training step) or POT
// (exact W2 with ot.emd2), run the same cases there. Never required; absent → a note.
import { spawnSync } from 'node:child_process';

export interface PythonReference {
  available: { torch: boolean; pot: boolean };
  note: string;
  /** steps/s of the torch training step by case id. */
  trainStepsPerSecond: Record<string, number>;
  /** Seconds of POT's exact W2 at n against n. */
  w2Seconds?: { n: number; seconds: number };
}

const SCRIPT = String.raw`
import json, sys, time
out = {}
cfg = json.loads(sys.argv[1])
try:
    import torch
    torch.manual_seed(0)
    for case, hidden, act in (("train-mlp-256-silu", 256, torch.nn.SiLU), ("train-mlp-64-selu", 64, torch.nn.SELU)):
        net = torch.nn.Sequential(torch.nn.Linear(3, hidden), act(), torch.nn.Linear(hidden, hidden), act(), torch.nn.Linear(hidden, hidden), act(), torch.nn.Linear(hidden, 2))
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        def step():
            x0 = torch.randn(512, 2); x1 = torch.randn(512, 2) + 2; t = torch.rand(512, 1)
            xt = (1 - t) * x0 + t * x1
            loss = ((net(torch.cat([xt, t], 1)) - (x1 - x0)) ** 2).mean()
            opt.zero_grad(); loss.backward(); opt.step()
        for _ in range(5): step()
        rates = []
        for _ in range(cfg["repeats"]):
            s = time.perf_counter()
            for _ in range(cfg["trainSteps"]): step()
            rates.append(cfg["trainSteps"] / (time.perf_counter() - s))
        rates.sort(); out[case] = rates[len(rates) // 2]
except ImportError:
    pass
try:
    import numpy as np, ot
    n = cfg["w2n"]
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, 2)); y = rng.standard_normal((n, 2)) + [1, 0]
    s = time.perf_counter()
    ot.emd2(np.full(n, 1 / n), np.full(n, 1 / n), ot.dist(x, y), numItermax=10**8)
    out["w2"] = {"n": n, "seconds": time.perf_counter() - s}
except ImportError:
    pass
print(json.dumps(out))
`;

function canImport(module: string): boolean {
  const r = spawnSync('python3', ['-c', `import ${module}`], { stdio: 'ignore', timeout: 60_000 });
  return r.status === 0;
}

/** Detects python3 with torch / POT and, where present, runs the reference cases. */
export function pythonReference(settings: { repeats: number; trainSteps: number; w2n: number }): PythonReference {
  const python = spawnSync('python3', ['--version'], { stdio: 'ignore', timeout: 30_000 });
  if (python.status !== 0) return { available: { torch: false, pot: false }, note: 'python3 not found: reference skipped', trainStepsPerSecond: {} };
  const available = { torch: canImport('torch'), pot: canImport('ot') };
  if (!available.torch && !available.pot) {
    return { available, note: 'python3 found but neither torch nor POT (import ot) is installed: reference skipped', trainStepsPerSecond: {} };
  }
  const r = spawnSync('python3', ['-c', SCRIPT, JSON.stringify(settings)], { encoding: 'utf8', timeout: 1_800_000 });
  if (r.status !== 0) return { available, note: `python reference failed: ${(r.stderr ?? '').trim().split('\n').pop()}`, trainStepsPerSecond: {} };
  const parsed = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
  const trainStepsPerSecond: Record<string, number> = {};
  for (const [k, v] of Object.entries(parsed)) if (typeof v === 'number') trainStepsPerSecond[k] = v;
  const w2 = parsed.w2 as { n: number; seconds: number } | undefined;
  return {
    available,
    note: `python3 reference: ${[available.torch ? 'torch (CPU)' : '', available.pot ? 'POT ot.emd2' : ''].filter(Boolean).join(', ')}`,
    trainStepsPerSecond,
    ...(w2 ? { w2Seconds: w2 } : {}),
  };
}
