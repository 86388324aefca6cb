// The CNF training recipes side by side: for each candidate (training solver × steps, exact or
// Hutchinson divergence) and seed, train the benchmark's cnf network (MLP 3 → 64×3 → 2 SELU,
// AdamW lr 1e-3, weight decay 1e-5, batch 512, as configs/cnf.json) on moons for a fixed number of
// steps, then measure the steps per CPU second and the quality on held-out moons:
//   NLL = −mean log p_1(x) by the model's own logProb (exact divergence, its evaluation solver), and
//   W2 = exact 2-Wasserstein distance between 2,000 samples and 2,000 held-out points (@pfm/ipm).
// What decides a cheaper default: its speed-up, with NLL and W2 inside the default's seed spread.
import * as tf from '@tensorflow/tfjs-core';
import { createOptimizer, createRng, createTrainingRun, parseRecipe } from '@pfm/core';
import { moons } from '@pfm/datasets';
import { wasserstein } from '@pfm/ipm';
import { benchRegistry } from '../registry/bench-registry.js';

/** One candidate recipe: an id for `--cnf-candidates`, a name for the table and the `cnf` options it sets. */
export interface CnfRecipeCandidate {
  id: string;
  name: string;
  options: Record<string, unknown>;
}

/** The candidates compared by `bench:speed --cnf-recipes`, today's default first (speed-ups are against it). */
export const CNF_RECIPE_CANDIDATES: readonly CnfRecipeCandidate[] = [
  { id: 'rk4-2', name: 'rk4 × 2, exact (default)', options: {} },
  { id: 'rk4-4', name: 'rk4 × 4, exact', options: { train: { integrator: 'rk4', steps: 4 } } },
  { id: 'midpoint-2', name: 'midpoint × 2, exact', options: { train: { integrator: 'midpoint', steps: 2 } } },
  { id: 'rk4-1', name: 'rk4 × 1, exact', options: { train: { integrator: 'rk4', steps: 1 } } },
  { id: 'midpoint-4', name: 'midpoint × 4, exact', options: { train: { integrator: 'midpoint', steps: 4 } } },
  { id: 'midpoint-1', name: 'midpoint × 1, exact', options: { train: { integrator: 'midpoint', steps: 1 } } },
  { id: 'euler-8', name: 'euler × 8, exact', options: { train: { integrator: 'euler', steps: 8 } } },
  { id: 'euler-4', name: 'euler × 4, exact', options: { train: { integrator: 'euler', steps: 4 } } },
  { id: 'euler-2', name: 'euler × 2, exact', options: { train: { integrator: 'euler', steps: 2 } } },
  { id: 'hutchinson-rk4-4', name: 'rk4 × 4, Hutchinson', options: { divergence: 'hutchinson', train: { integrator: 'rk4', steps: 4 } } },
  { id: 'hutchinson-midpoint-4', name: 'midpoint × 4, Hutchinson', options: { divergence: 'hutchinson', train: { integrator: 'midpoint', steps: 4 } } },
];

/**
 * The candidates named by `ids` (ids of CNF_RECIPE_CANDIDATES), in the order given; every candidate
 * when `ids` is undefined. An unknown id throws with the list of known ones.
 */
export function cnfRecipeCandidates(ids?: readonly string[]): CnfRecipeCandidate[] {
  if (ids === undefined) return [...CNF_RECIPE_CANDIDATES];
  return ids.map((id) => {
    const found = CNF_RECIPE_CANDIDATES.find((c) => c.id === id);
    if (found === undefined) throw new Error(`--cnf-candidates: unknown candidate ${JSON.stringify(id)}; expected one of ${CNF_RECIPE_CANDIDATES.map((c) => c.id).join(', ')}`);
    return found;
  });
}

/** One trained candidate at one seed. */
export interface CnfRecipeTrial {
  candidate: string;
  seed: number;
  steps: number;
  /** Training steps per CPU second of this process (the training loop only). */
  cpuStepsPerSecond: number;
  /** −mean log p_1 of the held-out points. */
  nll: number;
  /** Exact W2 between samples and held-out points. */
  w2: number;
}

/** Points of the training set, and of each held-out set. */
const TRAIN_POINTS = 8192;
const BATCH = 512;

/**
 * Trains `candidate` for `steps` steps at `seed` on the active backend and measures it; `evalPoints`
 * held-out points (default 2,000) for the NLL and W2. Disposes everything it made.
 */
export function cnfRecipeTrial(candidate: CnfRecipeCandidate, seed: number, steps: number, evalPoints = 2000): CnfRecipeTrial {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`cnfRecipeTrial: steps must be a positive integer, got ${steps}`);
  if (!Number.isInteger(evalPoints) || evalPoints < 2) throw new RangeError(`cnfRecipeTrial: evalPoints must be an integer ≥ 2, got ${evalPoints}`);
  const registry = benchRegistry();
  const recipe = parseRecipe({ method: 'cnf', options: candidate.options, model: { hidden: [64, 64, 64], activation: 'selu' }, batchSize: BATCH, seed }, registry);
  const rng = createRng(1000 + seed);
  const data = moons({ variant: 'torchcfm' }).sample(TRAIN_POINTS, rng.fold(0));
  // The same held-out points for every candidate and seed.
  const heldOut = moons({ variant: 'torchcfm' }).sample(evalPoints, createRng(777).fold(1));
  const run = createTrainingRun(recipe, data, registry);
  try {
    const player = run.players[0]!;
    const variables = player.variables as tf.Variable[];
    const optimizer = createOptimizer({ name: 'adamw', lr: 1e-3, weightDecay: 1e-5 }, variables);
    let cpuSeconds: number;
    try {
      const start = process.cpuUsage();
      for (let i = 0; i < steps; i++) {
        tf.tidy(() => {
          const r = rng.fold(1000 + i);
          const rows = tf.tensor1d(r.fold(0).uniformArray(BATCH, 0, TRAIN_POINTS).map(Math.floor), 'int32');
          const batch = tf.gather(data, rows) as tf.Tensor2D;
          const { value, grads } = tf.variableGrads(() => player.loss({ batch, rng: r.fold(1), step: i, totalSteps: steps }), variables);
          optimizer.apply(variables.map((v) => grads[v.name]!), i, steps);
          variables[0]!.dataSync();
          value.dispose();
        });
      }
      const used = process.cpuUsage(start);
      cpuSeconds = (used.user + used.system) / 1e6;
    } finally {
      optimizer.dispose();
    }
    const nll = tf.tidy(() => -(tf.mean(run.model.logProb!(heldOut)).dataSync()[0] as number));
    const samples = run.model.sample(evalPoints, createRng(4242 + seed));
    let w2: number;
    try {
      w2 = Math.sqrt(wasserstein(samples, heldOut, { p: 2 }).cost);
    } finally {
      samples.dispose();
    }
    return { candidate: candidate.name, seed, steps, cpuStepsPerSecond: steps / cpuSeconds, nll, w2 };
  } finally {
    run.model.dispose();
    run.dispose?.();
    data.dispose();
    heldOut.dispose();
  }
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));
const summary = (values: number[]) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return `${fmt(mean)} (${fmt(Math.min(...values))}–${fmt(Math.max(...values))})`;
};

/** The markdown table of `trials`: per candidate, mean (min–max over seeds) of each measure, and the speed-up over the first candidate. */
export function cnfRecipeTable(trials: readonly CnfRecipeTrial[]): string[] {
  const names = [...new Set(trials.map((t) => t.candidate))];
  const of = (name: string) => trials.filter((t) => t.candidate === name);
  const meanRate = (name: string) => of(name).reduce((a, t) => a + t.cpuStepsPerSecond, 0) / of(name).length;
  const base = names.length > 0 ? meanRate(names[0]!) : NaN;
  const lines = ['| training recipe | seeds | steps per CPU second | speed-up | held-out NLL | W2 |', '|---|---|---|---|---|---|'];
  for (const name of names) {
    const rows = of(name);
    lines.push(
      `| ${name} | ${rows.map((t) => t.seed).join(', ')} | ${summary(rows.map((t) => t.cpuStepsPerSecond))} | ×${fmt(meanRate(name) / base)} | ${summary(rows.map((t) => t.nll))} | ${summary(rows.map((t) => t.w2))} |`,
    );
  }
  return lines;
}
