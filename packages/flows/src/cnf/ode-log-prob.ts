// The log-density of the pushforward of N(0, I) at t0 by the flow of ẋ = f(t, x) to t1, by the
// instantaneous change of variables (Chen et al. 2018, Theorem 1; FFJORD, Grathwohl et al. 2019):
//   log p_{t1}(x) = log N(z; 0, I) − ∫_{t0}^{t1} ∇·f(t, x_t) dt,   x_{t1} = x, z = x_{t0},
// solved backwards as one ODE on the augmented state [x, c], ċ = ∇·f, c(t1) = 0, so that
// log p_{t1}(x) = log N(z) + c(t0). One Hutchinson probe set is drawn per solve (fixed along the path).
import * as tf from '@tensorflow/tfjs-core';
import { solve, type Rng, type SolveGrid, type Solver } from '@pfm/core';
import { driftDivergence, type Drift } from './drift-divergence.js';

/** Largest dimension for which `divergence: 'auto'` takes the exact trace (d VJPs per evaluation). */
export const EXACT_DIVERGENCE_MAX_DIM = 16;

/** How the divergence is computed: `exact` (d VJPs), `hutchinson` (probes), `auto` (exact when d ≤ 16). */
export type DivergenceMode = 'auto' | 'exact' | 'hutchinson';

/** Options of {@link odeLogProb}. */
export interface OdeLogProbOptions {
  /** The ODE solver and where to step; `grid(t1, t0)` runs backwards from the data to the noise. */
  solver: Solver;
  grid: (from: number, to: number) => SolveGrid;
  /** The noise end of the flow (default 0) and the data end (default 1). */
  t0?: number;
  t1?: number;
  /** Default `auto`. */
  divergence?: DivergenceMode;
  /** Rademacher probes per point of Hutchinson's estimator (default 1). */
  probes?: number;
  /** Stream of the probes (needed by Hutchinson's estimator). */
  rng?: Rng;
}

/** log p(x) `[n]` and the drift evaluations the solve used. */
export interface OdeLogProbResult {
  logProb: tf.Tensor1D;
  nfe: number;
}

/** Whether `mode` takes the exact trace in dimension d. */
export function usesExactDivergence(mode: DivergenceMode, d: number): boolean {
  return mode === 'exact' || (mode === 'auto' && d <= EXACT_DIVERGENCE_MAX_DIM);
}

/**
 * log p_{t1}(x) `[n]` for x `[n, d]` of the flow of `drift` from N(0, I) at t0. Exact divergence
 * (d vector-Jacobian products, batched) or Hutchinson's with `probes` Rademacher vectors per point.
 */
export function odeLogProb(drift: Drift, x: tf.Tensor2D, options: OdeLogProbOptions): OdeLogProbResult {
  const { solver, grid } = options;
  const t0 = options.t0 ?? 0;
  const t1 = options.t1 ?? 1;
  const mode = options.divergence ?? 'auto';
  const probeCount = options.probes ?? 1;
  if (x.rank !== 2) throw new RangeError(`odeLogProb: x must be [n, d], got [${x.shape.join(', ')}]`);
  if (!['auto', 'exact', 'hutchinson'].includes(mode)) throw new RangeError(`odeLogProb: divergence must be 'auto', 'exact' or 'hutchinson', got ${JSON.stringify(mode)}`);
  if (!Number.isInteger(probeCount) || probeCount < 1) throw new RangeError(`odeLogProb: probes must be a positive integer, got ${String(probeCount)}`);
  const [n, d] = x.shape;
  const exact = usesExactDivergence(mode, d);
  if (!exact && options.rng === undefined) throw new TypeError('odeLogProb: Hutchinson\'s estimator needs "rng" for its probes');
  return tf.tidy(() => {
    const probes = exact ? undefined : (tf.sign(tf.sub(options.rng!.uniform([probeCount * n, d]), 0.5)) as tf.Tensor2D);
    const augmented = (t: number, y: tf.Tensor2D) =>
      tf.tidy(() => {
        const xs = tf.slice(y, [0, 0], [n, d]) as tf.Tensor2D;
        const { drift: f, divergence } = driftDivergence(drift, t, xs, probes);
        return tf.concat([f, tf.reshape(divergence, [n, 1])], 1) as tf.Tensor2D;
      });
    const start = tf.concat([x, tf.zeros([n, 1])], 1) as tf.Tensor2D;
    const result = solve({ drift: augmented }, solver, grid(t1, t0), start);
    const z = tf.slice(result.y, [0, 0], [n, d]);
    const c = tf.reshape(tf.slice(result.y, [0, d], [n, 1]), [n]);
    const logBase = tf.sub(tf.mul(tf.sum(tf.square(z), 1), -0.5), 0.5 * d * Math.log(2 * Math.PI));
    return { logProb: tf.add(logBase, c) as tf.Tensor1D, nfe: result.nfe };
  });
}
