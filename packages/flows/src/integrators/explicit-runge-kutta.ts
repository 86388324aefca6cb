// An explicit Runge–Kutta method from its Butcher tableau (Hairer, Nørsett & Wanner, Solving ODEs I, II.1):
//   k_i = f(t0 + c_i h, y0 + h Σ_{j<i} a_ij k_j),   y1 = y0 + h Σ_i b_i k_i,
//   and, with embedded weights b̂, the local error estimate e = h Σ_i (b_i − b̂_i) k_i.
import * as tf from '@tensorflow/tfjs-core';
import type { DerivativeStepResult, DifferentialProblem, Rng } from '@pfm/core';
import type { FlowSolver } from './flow-solver.js';

/** A Butcher tableau; `a` is lower triangular, row i holding a_i0 … a_i(i−1). */
export interface ButcherTableau {
  c: readonly number[];
  a: readonly (readonly number[])[];
  b: readonly number[];
  /** Weights of the embedded lower-order solution, for an error estimate. */
  bEmbedded?: readonly number[];
}

/** Options of {@link explicitRungeKutta}: id, declared order(s) and tableau. */
export interface ExplicitRungeKuttaOptions {
  id: string;
  /** Classical order of the method. */
  order: number;
  /** Order of the embedded solution (required with `bEmbedded`). */
  errorOrder?: number;
  tableau: ButcherTableau;
}

function checkTableau(id: string, t: ButcherTableau): void {
  const s = t.c.length;
  if (s === 0 || t.b.length !== s || t.a.length !== s - 1) {
    throw new RangeError(`${id}: tableau with ${s} stages needs ${s} weights b and ${s - 1} rows of a`);
  }
  t.a.forEach((row, i) => {
    if (row.length !== i + 1) throw new RangeError(`${id}: tableau row a[${i + 1}] has ${row.length} entries, expected ${i + 1}`);
    const sum = row.reduce((p, v) => p + v, 0);
    if (Math.abs(sum - t.c[i + 1]!) > 1e-12) throw new RangeError(`${id}: row a[${i + 1}] sums to ${sum}, expected c = ${t.c[i + 1]}`);
  });
  const bSum = t.b.reduce((p, v) => p + v, 0);
  if (Math.abs(bSum - 1) > 1e-12) throw new RangeError(`${id}: weights b sum to ${bSum}, expected 1`);
  if (t.bEmbedded && t.bEmbedded.length !== s) throw new RangeError(`${id}: embedded weights need ${s} entries`);
}

/**
 * A fixed-tableau explicit Runge–Kutta solver (`[n, d]` states). Detects the first-same-as-last
 * property (last stage at c = 1 with a-row equal to b) so a driver can reuse f(t1, y1).
 */
export function explicitRungeKutta(options: ExplicitRungeKuttaOptions): FlowSolver {
  const { id, order, tableau } = options;
  checkTableau(id, tableau);
  const s = tableau.c.length;
  const lastRow = tableau.a[s - 2];
  const fsal =
    s > 1 &&
    tableau.c[s - 1] === 1 &&
    lastRow !== undefined &&
    lastRow.every((v, j) => v === tableau.b[j]) &&
    tableau.b[s - 1] === 0;
  const errorWeights = tableau.bEmbedded?.map((bh, i) => tableau.b[i]! - bh);

  const run = (
    problem: DifferentialProblem,
    t0: number,
    t1: number,
    y0: tf.Tensor2D,
    f0: tf.Tensor2D | undefined,
  ): DerivativeStepResult => {
    const h = t1 - t0;
    let nfe = 0;
    const out = tf.tidy(() => {
      const k: tf.Tensor2D[] = [];
      let lastInput: tf.Tensor2D = y0;
      for (let i = 0; i < s; i++) {
        if (i === 0 && f0) {
          k.push(f0);
          continue;
        }
        let yi: tf.Tensor2D = y0;
        const row = i > 0 ? tableau.a[i - 1]! : [];
        row.forEach((aij, j) => {
          if (aij !== 0) yi = tf.add(yi, tf.mul(k[j]!, h * aij));
        });
        lastInput = yi;
        k.push(problem.drift(t0 + tableau.c[i]! * h, yi));
        nfe++;
      }
      let y: tf.Tensor2D = y0;
      if (fsal) {
        // The last stage was evaluated at y1 itself (its a-row equals b).
        y = lastInput;
      } else {
        tableau.b.forEach((bi, i) => {
          if (bi !== 0) y = tf.add(y, tf.mul(k[i]!, h * bi));
        });
      }
      if (y === y0) y = tf.clone(y0);
      const result: { y: tf.Tensor2D; error?: tf.Tensor2D; derivative?: tf.Tensor2D } = { y };
      if (errorWeights) {
        let e: tf.Tensor2D = tf.zerosLike(y0);
        errorWeights.forEach((w, i) => {
          if (w !== 0) e = tf.add(e, tf.mul(k[i]!, h * w));
        });
        result.error = e;
      }
      if (fsal) result.derivative = tf.clone(k[s - 1]!);
      return result;
    });
    return { ...out, nfe };
  };

  const solver: FlowSolver = {
    id,
    order,
    stochastic: false,
    nfePerStep: s,
    step(problem: DifferentialProblem, t0: number, t1: number, y0: tf.Tensor2D, _rng?: Rng) {
      const { derivative, ...rest } = run(problem, t0, t1, y0, undefined);
      derivative?.dispose();
      return rest;
    },
  };
  if (options.errorOrder !== undefined) (solver as { errorOrder?: number }).errorOrder = options.errorOrder;
  if (fsal) solver.stepWithDerivative = run;
  return solver;
}
