// Optional side-by-side reference: when a python 3 can import torch (MLP training step, the
// conv-layer-train twin and the image training twins of mnist-twin.py, at each thread count of the wasm runs) or POT (exact W2 with ot.emd2), run the same cases there. Never
// required; absent → a note. The python on PATH is tried first, then the system one (a distro's
// python3-torch is installed for the system interpreter only), or PFM_PYTHON when set.
import { spawnSync } from 'node:child_process';
import { runConvLayerTwin } from './conv-layer-twin.js';
import { IMAGE_TRAIN_CASES } from './image-train.js';
import { runImageTrainTwin } from './image-train-twin.js';

export interface PythonReference {
  available: { torch: boolean; pot: boolean };
  note: string;
  /** steps/s of the torch training step by case id, then by thread count. */
  trainStepsPerSecond: Record<string, Record<number, number>>;
  /** The MLP training cases' steps per CPU second of the python process (median), by case id, then by thread count. */
  trainStepsPerCpuSecond?: Record<string, Record<number, number>>;
  /** The interpreters used. */
  interpreters?: { torch?: string; pot?: string };
  /** Seconds of POT's exact W2 at n against n. */
  w2Seconds?: { n: number; seconds: number };
}

const SCRIPT = String.raw`
import json, sys, time
out = {}
cfg = json.loads(sys.argv[1])
try:
  if cfg["torch"]:
    import torch
    for threads in cfg["threads"]:
      torch.set_num_threads(threads)
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
          rates = []; cpu = []
          for _ in range(cfg["repeats"]):
              s = time.perf_counter(); c = time.process_time()
              for _ in range(cfg["trainSteps"]): step()
              rates.append(cfg["trainSteps"] / (time.perf_counter() - s))
              cpu.append(cfg["trainSteps"] / (time.process_time() - c))
          rates.sort(); out.setdefault(case, {})[str(threads)] = rates[len(rates) // 2]
          cpu.sort(); out.setdefault("cpu", {}).setdefault(case, {})[str(threads)] = cpu[len(cpu) // 2]
except Exception as error:
    out["torchError"] = f"{type(error).__name__}: {error}"
try:
  if cfg["pot"] and cfg["w2n"] > 0:
    import numpy as np, ot
    n = cfg["w2n"]
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, 2)); y = rng.standard_normal((n, 2)) + [1, 0]
    s = time.perf_counter()
    ot.emd2(np.full(n, 1 / n), np.full(n, 1 / n), ot.dist(x, y), numItermax=10**8)
    out["w2"] = {"n": n, "seconds": time.perf_counter() - s}
except Exception as error:
    out["potError"] = f"{type(error).__name__}: {error}"

print(json.dumps(out))
`;

const CANDIDATES = ['python3', '/usr/bin/python3'];

function canImport(python: string, module: string): boolean {
  const r = spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore', timeout: 120_000 });
  return r.status === 0;
}

/** The python 3 interpreters that run: PFM_PYTHON when set, else those of CANDIDATES. */
function pythonCandidates(): string[] {
  const override = process.env.PFM_PYTHON;
  return (override ? [override] : CANDIDATES).filter((python) => spawnSync(python, ['--version'], { stdio: 'ignore', timeout: 30_000 }).status === 0);
}

/** The first python 3 (PFM_PYTHON, else `python3` on PATH, else the system one) that imports every module; undefined when none does. */
export function findPython(modules: readonly string[]): string | undefined {
  return pythonCandidates().find((python) => canImport(python, modules.join(', ')));
}

function runScript(python: string, cfg: Record<string, unknown>): { ok: true; out: Record<string, unknown> } | { ok: false; error: string } {
  const r = spawnSync(python, ['-c', SCRIPT, JSON.stringify(cfg)], { encoding: 'utf8', timeout: 1_800_000 });
  if (r.status !== 0) return { ok: false, error: `${python}: ${(r.stderr ?? r.error?.message ?? '').trim().split('\n').pop()}` };
  return { ok: true, out: JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown> };
}

/**
 * Finds a python 3 with torch and one with POT and, where present, runs the reference cases:
 * the torch training steps once per entry of `threads` (torch.set_num_threads), POT's exact W2
 * at `w2n` against `w2n`. `imageParameters` (case id → pfm's parameter count) lets the image
 * twins refuse a rate measured on a network of another size.
 */
export function pythonReference(settings: {
  repeats: number;
  trainSteps: number;
  w2n: number;
  threads: number[];
  cases?: string[];
  imageParameters?: Record<string, number>;
}): PythonReference {
  const candidates = pythonCandidates();
  if (candidates.length === 0) return { available: { torch: false, pot: false }, note: 'python3 not found: reference skipped', trainStepsPerSecond: {} };
  const torchPython = candidates.find((python) => canImport(python, 'torch'));
  const potPython = candidates.find((python) => canImport(python, 'ot'));
  const available = { torch: torchPython !== undefined, pot: potPython !== undefined };
  if (!available.torch && !available.pot) {
    return { available, note: `${candidates.join(', ')} found but neither torch nor POT (import ot) is installed: reference skipped`, trainStepsPerSecond: {} };
  }
  const base = { repeats: settings.repeats, trainSteps: settings.trainSteps, w2n: settings.w2n, threads: settings.threads };
  const runs = torchPython !== undefined && torchPython === potPython
    ? [runScript(torchPython, { ...base, torch: true, pot: true })]
    : [
        ...(torchPython !== undefined ? [runScript(torchPython, { ...base, torch: true, pot: false })] : []),
        ...(potPython !== undefined ? [runScript(potPython, { ...base, torch: false, pot: true })] : []),
      ];
  const parsed = Object.assign({}, ...runs.map((r) => (r.ok ? r.out : {}))) as Record<string, unknown>;
  const failures = [
    ...runs.flatMap((r) => (r.ok ? [] : [r.error])),
    ...(['torchError', 'potError'] as const).flatMap((k) => (typeof parsed[k] === 'string' ? [`${k === 'torchError' ? 'torch' : 'POT'}: ${parsed[k]}`] : [])),
  ];
  const trainStepsPerSecond: Record<string, Record<number, number>> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (k === 'w2' || k === 'cpu' || k.endsWith('Error') || v === null || typeof v !== 'object') continue;
    trainStepsPerSecond[k] = Object.fromEntries(Object.entries(v as Record<string, number>).map(([t, rate]) => [Number(t), rate]));
  }
  if (torchPython !== undefined && (settings.cases === undefined || settings.cases.includes('conv-layer-train'))) {
    const conv = runConvLayerTwin(torchPython, settings);
    trainStepsPerSecond['conv-layer-train'] = conv.stepsPerSecond;
    failures.push(...conv.failures);
  }
  for (const id of IMAGE_TRAIN_CASES) {
    if (torchPython === undefined || (settings.cases !== undefined && !settings.cases.includes(id))) continue;
    const twin = runImageTrainTwin(torchPython, id, settings.imageParameters?.[id], settings);
    trainStepsPerSecond[id] = twin.stepsPerSecond;
    failures.push(...twin.failures);
  }
  const w2 = parsed.w2 as { n: number; seconds: number } | undefined;
  const used = [available.torch ? `torch (CPU, ${torchPython})` : '', available.pot ? `POT ot.emd2 (${potPython})` : ''].filter(Boolean).join(', ');
  return {
    available,
    note: `python reference: ${used}${failures.length ? `; failed: ${failures.join('; ')}` : ''}`,
    trainStepsPerSecond,
    ...(parsed.cpu !== null && typeof parsed.cpu === 'object' ? { trainStepsPerCpuSecond: cpuRates(parsed.cpu as Record<string, Record<string, number>>) } : {}),
    interpreters: { ...(torchPython ? { torch: torchPython } : {}), ...(potPython ? { pot: potPython } : {}) },
    ...(w2 ? { w2Seconds: w2 } : {}),
  };
}

/** The script's `cpu` entry with thread counts as numbers. */
function cpuRates(cpu: Record<string, Record<string, number>>): Record<string, Record<number, number>> {
  return Object.fromEntries(Object.entries(cpu).map(([id, byThreads]) => [id, Object.fromEntries(Object.entries(byThreads).map(([t, rate]) => [Number(t), rate]))]));
}
