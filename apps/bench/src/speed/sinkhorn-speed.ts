// Sinkhorn at n×n points for blur 0.05 and 0.01 (@pfm/ipm, host Float64, mode 'scaling' — GeomLoss's
// ε-scaling loop — and mode 'tolerance'), against POT's log-domain Sinkhorn
// (ot.sinkhorn2(..., method='sinkhorn_log')) at the same ε on the same points, when python can
// import POT. The data: x ~ N(0, I) (a generator's noise) against two moons (noise 0.05), p = 2.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@pfm/core';
import { sinkhorn, sinkhornDivergenceValue } from '@pfm/ipm';
import { appRoot } from '../app-root.js';

/** The POT twin, relative to the app folder. */
export const SINKHORN_POT_TWIN = 'reference/sinkhorn-pot.py';

/** One size and blur of the Sinkhorn case. */
export interface SinkhornTiming {
  n: number;
  blur: number;
  /** OT_ε(x, y) by ε-scaling: seconds, updates and the transport cost ⟨π, C⟩. */
  scaling: { seconds: number; iterations: number; transportCost: number; value: number };
  /** The debiased divergence S_ε by ε-scaling (three problems, what `pfm eval --metric sinkhorn` computes). */
  divergenceSeconds: number;
  /** Mode 'tolerance' at its defaults (tolerance 1e-2, at most 1000 iterations), when timed. */
  tolerance?: { seconds: number; iterations: number; status: string; transportCost: number };
  /** POT sinkhorn_log at stopThr 1e-4 on the same points and ε. */
  pot?: { seconds: number; iterations: number; converged: boolean; transportCost: number };
}

/** Seeded points of the case: x ~ N(0, I₂), y on two moons with N(0, 0.05²) noise. */
export function sinkhornCasePoints(n: number): { x: number[][]; y: number[][] } {
  const z = createRng(16).normalArray(4 * n);
  const u = createRng(17).uniformArray(n);
  const x = Array.from({ length: n }, (_v, i) => [z[2 * i]!, z[2 * i + 1]!]);
  const y = Array.from({ length: n }, (_v, j) => {
    const t = Math.PI * u[j]!;
    const e0 = 0.05 * z[2 * n + 2 * j]!;
    const e1 = 0.05 * z[2 * n + 2 * j + 1]!;
    return j % 2 === 0 ? [Math.cos(t) + e0, Math.sin(t) + e1] : [1 - Math.cos(t) + e0, 0.5 - Math.sin(t) + e1];
  });
  return { x, y };
}

const seconds = (start: number) => (performance.now() - start) / 1000;

/**
 * Times the Sinkhorn case for every n of `sizes` and blur of `blurs`; mode 'tolerance' only up to
 * `toleranceUpTo` points (it needs hundreds of iterations). `python` runs POT when given, with at
 * most `potIterations` iterations per solve (a POT run that stops there is a lower bound of its time).
 */
export function sinkhornSpeed(options: {
  sizes: readonly number[];
  blurs: readonly number[];
  toleranceUpTo: number;
  python?: string;
  potIterations: number;
  onCase?: (n: number, blur: number) => void;
}): { timings: SinkhornTiming[]; potNote: string } {
  const timings: SinkhornTiming[] = [];
  const potCases: { x: number[][]; y: number[][]; epsilon: number; stopThr: number; numItermax: number }[] = [];
  for (const n of options.sizes) {
    const { x, y } = sinkhornCasePoints(n);
    for (const blur of options.blurs) {
      options.onCase?.(n, blur);
      let start = performance.now();
      const r = sinkhorn(x, y, { blur });
      const scaling = { seconds: seconds(start), iterations: r.iterations, transportCost: r.transportCost, value: r.value };
      start = performance.now();
      sinkhornDivergenceValue(x, y, { blur });
      const divergenceSeconds = seconds(start);
      const timing: SinkhornTiming = { n, blur, scaling, divergenceSeconds };
      if (n <= options.toleranceUpTo) {
        start = performance.now();
        const t = sinkhorn(x, y, { blur, mode: 'tolerance' });
        timing.tolerance = { seconds: seconds(start), iterations: t.iterations, status: t.status, transportCost: t.transportCost };
      }
      timings.push(timing);
      potCases.push({ x, y, epsilon: blur ** 2, stopThr: 1e-4, numItermax: options.potIterations });
    }
  }
  if (!options.python) return { timings, potNote: 'POT not run (no python with POT)' };
  const dir = mkdtempSync(join(tmpdir(), 'pfm-sinkhorn-'));
  try {
    const input = join(dir, 'points.json');
    writeFileSync(input, JSON.stringify({ cases: potCases }));
    const script = join(appRoot(), SINKHORN_POT_TWIN);
    const run = spawnSync(options.python, [script, input], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, maxBuffer: 1 << 24 });
    if (run.status !== 0) return { timings, potNote: `POT failed: ${(run.stderr || String(run.error)).trim().split('\n').pop()}` };
    const out = JSON.parse(run.stdout.trim().split('\n').pop()!) as { pot: string; results: NonNullable<SinkhornTiming['pot']>[] };
    out.results.forEach((p, k) => (timings[k]!.pot = p));
    return { timings, potNote: `POT ${out.pot}, ot.sinkhorn2(method='sinkhorn_log', stopThr=1e-4, numItermax=${options.potIterations}), one thread` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The markdown table of {@link sinkhornSpeed}. */
export function sinkhornTable(result: { timings: SinkhornTiming[]; potNote: string }): string[] {
  const f = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(3));
  const lines = [
    "Sinkhorn, x ~ N(0, I) against two moons, p = 2 (cost ‖x − y‖²/2, ε = blur²), host Float64 (@pfm/ipm; the same on every backend). " +
      "'scaling': GeomLoss's ε-scaling loop (scaling 0.9) for OT_ε(x, y), and for the debiased S_ε (three problems); 'tolerance': the stopping-test loop at its defaults. " +
      `POT: ${result.potNote}; ratio = POT seconds / ours ('scaling', OT_ε); ⟨π, C⟩ difference relative to POT's.`,
    '',
    "| n × n | blur | scaling: s (updates) | S_ε by scaling: s | tolerance: s (iterations) | POT: s (iterations) | ratio | ⟨π, C⟩ vs POT |",
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const t of result.timings) {
    const tol = t.tolerance ? `${f(t.tolerance.seconds)} (${t.tolerance.iterations}${t.tolerance.status === 'converged' ? '' : ', not converged'})` : '–';
    const pot = t.pot ? `${f(t.pot.seconds)} (${t.pot.iterations}${t.pot.converged ? '' : ', stopped: not converged'})` : '–';
    const ratio = t.pot ? `${t.pot.converged ? '' : '≥ '}×${f(t.pot.seconds / t.scaling.seconds)}` : '–';
    const diff = t.pot ? `${(((t.scaling.transportCost - t.pot.transportCost) / t.pot.transportCost) * 100).toFixed(2)}%` : '–';
    lines.push(`| ${t.n} | ${t.blur} | ${f(t.scaling.seconds)} (${t.scaling.iterations}) | ${f(t.divergenceSeconds)} | ${tol} | ${pot} | ${ratio} | ${diff} |`);
  }
  return lines;
}
